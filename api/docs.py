"""Offline API documentation: /docs (Swagger UI) and /redoc (ReDoc) served from
assets bundled in a PyPI package (fastapi-offline ships the Swagger UI and ReDoc
builds), so a bank's closed network renders them with no CDN and no web fonts."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

PREFIX = "/docs-assets"
# ReDoc's side menu shows Redocly's logo from their CDN, with no option to turn it off;
# the served copy points it at the bundled favicon instead, so nothing leaves the network.
REDOC_CDN_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"


def assets_dir() -> Path:
    return Path(str(files("fastapi_offline") / "static"))


@lru_cache(maxsize=1)
def _redoc_js() -> bytes:
    return (assets_dir() / "redoc.standalone.js").read_bytes().replace(REDOC_CDN_LOGO, f"{PREFIX}/favicon.png".encode())


def install(app: FastAPI) -> None:
    """Mount the bundled assets and the two documentation pages (the app is built with docs_url=None)."""
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs-offline/redoc.standalone.js", include_in_schema=False)
    def redoc_js() -> Response:
        return Response(_redoc_js(), media_type="application/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})

    app.mount(PREFIX, StaticFiles(directory=assets_dir()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=openapi_url, title=f"{app.title} · API 文档",
                                   swagger_js_url=f"{PREFIX}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{PREFIX}/swagger-ui.css",
                                   swagger_favicon_url=f"{PREFIX}/favicon.png",
                                   oauth2_redirect_url="/docs/oauth2-redirect")

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        # No Google Fonts: ReDoc falls back to the system fonts (CJK included) offline.
        return get_redoc_html(openapi_url=openapi_url, title=f"{app.title} · API 文档",
                              redoc_js_url="/docs-offline/redoc.standalone.js",
                              redoc_favicon_url=f"{PREFIX}/favicon.png", with_google_fonts=False)

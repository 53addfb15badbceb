"""Security headers on every HTTP response (issue 15), as one ASGI middleware.

* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` (a call id in
  a URL stays here), ``Cross-Origin-Opener-Policy`` / ``-Resource-Policy: same-origin``.
* ``Cache-Control: no-store`` on everything but the console's static files: API
  answers and pages carry personal data, which must not stay in a shared cache or
  the browser's disk cache.
* Content-Security-Policy by what is served: the console's pages load only their own
  scripts (no inline script anywhere; inline *style* attributes are used), connect
  only to this host (the live WebSocket included) and cannot be framed; an HTML
  report under /v1 (shown in the console's iframe) has no script at all and may be
  framed by this origin only, as may the JSON error a report URL answers; everything
  else (JSON, audio) allows nothing and cannot be framed.
  ``X-Frame-Options`` says the same for older browsers.
* ``Strict-Transport-Security`` when the request came over https.

/docs and /redoc load Swagger UI / ReDoc from their CDN, so they get no CSP (they
only describe the API).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STATIC_PREFIX = "/ui/static/"
NO_CSP = ("/docs", "/redoc")
FRAMED_JSON = ("/v1/reports/",)
UI_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          "font-src 'self' data:; media-src 'self' blob:; connect-src 'self' {ws}; frame-src 'self'; "
          "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'")
REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
              "frame-ancestors 'self'; base-uri 'none'; form-action 'none'")
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), geolocation=(), payment=(), microphone=(self)",
}


def headers_for(path: str, content_type: str, host: str, https: bool) -> dict[str, str]:
    out = dict(COMMON)
    if not path.startswith(STATIC_PREFIX):
        out["Cache-Control"] = "no-store"
    if https:
        out["Strict-Transport-Security"] = "max-age=31536000"
    if path.startswith(NO_CSP):
        out["X-Frame-Options"] = "DENY"
        return out
    if path.startswith("/v1/") and content_type.startswith("text/html"):
        out["Content-Security-Policy"] = REPORT_CSP
        out["X-Frame-Options"] = "SAMEORIGIN"
    elif path.startswith(FRAMED_JSON):
        # The console's report iframe shows the API's error (403, 404) when a report cannot open.
        out["Content-Security-Policy"] = API_CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
        out["X-Frame-Options"] = "SAMEORIGIN"
    elif path.startswith("/ui"):
        ws = f"ws://{host} wss://{host}" if host else ""
        out["Content-Security-Policy"] = UI_CSP.format(ws=ws).replace("'self' ;", "'self';")
        out["X-Frame-Options"] = "DENY"
    else:
        out["Content-Security-Policy"] = API_CSP
        out["X-Frame-Options"] = "DENY"
    return out


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in headers_for(path, headers.get("content-type", ""), host, https).items():
                    if name == "Cache-Control" or name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)

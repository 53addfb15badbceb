"""One place that turns errors into responses: ``{"error": {"code", "message", "details"?}}``."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from callsight.errors import CallsightError

log = logging.getLogger(__name__)


def _body(code: str, message: str, details: object = None) -> dict[str, object]:
    err: dict[str, object] = {"code": code, "message": message}
    if details is not None:
        err["details"] = details
    return {"error": err}


def install(app: FastAPI) -> None:
    @app.exception_handler(CallsightError)
    async def _domain(_: Request, exc: CallsightError) -> JSONResponse:
        return JSONResponse(_body(exc.code, exc.message, exc.details), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))  # Retry-After of a 429

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        # A body that is not JSON at all is a malformed request, not a content problem.
        invalid = [e for e in errors if e["type"] == "json_invalid"]
        if invalid:  # FastAPI's own error: it always carries the decoder's message
            msg = invalid[0]["ctx"]["error"]
            return JSONResponse(_body("bad_json", f"request body is not valid JSON: {msg}"), status_code=400)
        details = [
            {"field": ".".join(str(p) for p in e["loc"] if p != "body"), "problem": e["msg"]} for e in errors
        ]
        summary = "; ".join(f"{d['field']}: {d['problem']}" for d in details)
        return JSONResponse(_body("invalid_input", summary, details), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return JSONResponse(_body(f"http_{exc.status_code}", str(exc.detail)), status_code=exc.status_code,
                            headers=headers or None)

    @app.exception_handler(OverflowError)
    async def _overflow(_: Request, exc: OverflowError) -> JSONResponse:
        # Safety net behind the bounded parameter types (api/params.py): a number the
        # database cannot store is the client's input, not a server fault.
        log.info("number out of range: %s", exc)
        return JSONResponse(_body("invalid_input", "a number in the request is out of range"), status_code=422)

    @app.exception_handler(DataError)
    async def _data(_: Request, exc: DataError) -> JSONResponse:
        # PostgreSQL refusing a value (integer out of range, NUL in text) that slipped
        # past validation; the statement itself is not echoed (it can hold other data).
        log.info("database refused a value: %s", exc.orig)
        return JSONResponse(_body("invalid_input", "a value in the request is out of range or not storable"),
                            status_code=422)


def allowed_methods(request: Request) -> list[str]:
    """The methods of the path template this URL resolved to (the first route whose
    pattern matches, as in routing), over every route with that template: Starlette's
    own 405 names only one route's methods, while the schema lists them per template."""
    contexts = list(iter_route_contexts(request.app.routes))
    path = request.url.path
    template = next((ctx.path_format for ctx in contexts
                     if getattr(ctx, "path_regex", None) is not None and ctx.path_regex.match(path)), None)
    methods: set[str] = set()
    for ctx in contexts:
        if template is not None and ctx.path_format == template and ctx.methods:
            methods |= ctx.methods
    return sorted(methods)

"""One place that turns errors into responses: ``{"error": {"code", "message", "details"?}}``."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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
        if any(e.get("type") == "json_invalid" for e in errors):
            msg = next(e.get("ctx", {}).get("error", "") for e in errors if e.get("type") == "json_invalid")
            return JSONResponse(_body("bad_json", f"request body is not valid JSON: {msg}"), status_code=400)
        details = [
            {"field": ".".join(str(p) for p in e["loc"] if p != "body"), "problem": e["msg"]} for e in errors
        ]
        summary = "; ".join(f"{d['field']}: {d['problem']}" for d in details)
        return JSONResponse(_body("invalid_input", summary, details), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(_body(f"http_{exc.status_code}", str(exc.detail)), status_code=exc.status_code)

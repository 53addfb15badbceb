"""The error statuses every operation documents in /openapi.json.

Routes declare their success response; the errors come from shared layers (the auth
dependency, the edge checks in api/edge.py, the body limits, the domain errors) and
are documented here in one pass over the app's routes, so that a client generated
from the schema, or a fuzzing client checking it, sees every status it can receive.
Each is rendered by api/errors.py in the one error shape below.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

from core.jsonio import JsonObject


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"], description="machine-readable reason")
    message: str = Field(examples=["call '3f2c…' not found"], description="what went wrong, for a person")
    details: Any = Field(default=None, description="per-field problems for invalid input")


class ErrorOut(BaseModel):
    error: ErrorDetail


_DESCRIPTIONS = {
    400: "Malformed request (body not JSON, Infinity/NaN literals, bad form)",
    401: "No or unknown API key",
    403: "Your role or scope does not allow this",
    404: "Not found, or not within your scope",
    409: "Conflicts with the current state (not ready, busy, already decided, duplicate)",
    413: "Request body over the limit",
    415: "Unsupported or unreadable media",
    429: "Too many requests from this key or session, or too many failed authentications from this "
         "address: wait for Retry-After",
    422: "Invalid input: a parameter or field out of range, of the wrong type, NUL characters, "
         "non-finite numbers",
    500: "Internal error (in the same shape; nothing was half-done that a retry cannot repeat)",
}

# Statuses only some operations return, beyond what their shape implies (see _statuses).
_EXTRA_PATTERNS: list[tuple[re.Pattern[str], set[int]]] = [
    (re.compile(r"^POST /v1/calls$"), {415}),
    (re.compile(r"^(POST|PUT|PATCH|DELETE) "), {404, 409}),  # writes name things that may be gone or taken
    (re.compile(r"^GET /v1/(calls/\{call_id\}/result|reports|customers)"), {409}),
    # a branch, finding or report named in the query string that does not exist
    (re.compile(r"^GET /v1/(alerts|audit|reports|topics|customers|upsell)"), {404}),
]
# Operations anyone may call (no API key).
_PUBLIC = re.compile(r"^GET /v1/health$")
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def _statuses(method: str, path: str, operation: JsonObject) -> set[int]:
    key = f"{method.upper()} {path}"
    codes = {422, 500}  # the edge checks (NUL, ranges) apply to every path and query
    if path.startswith("/v1/") and not _PUBLIC.search(key):
        codes |= {401, 403, 429}  # 429: rate limit and lockout (callsight/ratelimit.py)
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        codes.add(404)
    if "requestBody" in operation:
        codes |= {400, 413}
    for pattern, extra in _EXTRA_PATTERNS:
        if pattern.search(key):
            codes |= extra
    return codes


def add_error_responses(schema: JsonObject) -> JsonObject:
    """Document the error responses of every operation in a generated OpenAPI document
    (in place; returns it). FastAPI's default 422 shape is replaced by ours."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components["ErrorOut"] = error_schema
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for path, item in schema.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for code in sorted(_statuses(method, path, operation)):
                if str(code) == "422" or str(code) not in responses:
                    responses[str(code)] = {"description": _DESCRIPTIONS[code], "content": content}
                else:  # a route's own wording of the status, in the one error shape
                    responses[str(code)].setdefault("content", content)
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema


def install_responses(app: FastAPI) -> None:
    """Make ``app.openapi()`` document the error statuses of every operation."""
    generate = app.openapi

    def openapi() -> JsonObject:
        if app.openapi_schema is None:
            app.openapi_schema = add_error_responses(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

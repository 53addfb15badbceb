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
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from api.deps import get_principal


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
    422: "Invalid input: a parameter or field out of range, of the wrong type, NUL characters, "
         "non-finite numbers",
    500: "Internal error (in the same shape; nothing was half-done that a retry cannot repeat)",
}

# Statuses only some operations return, beyond what their shape implies (see _statuses).
# The keys are "METHOD path" as in the schema.
_EXTRA: dict[str, set[int]] = {
    "POST /v1/calls": {415},
}
_EXTRA_PATTERNS: list[tuple[re.Pattern[str], set[int]]] = [
    (re.compile(r"^(POST|PUT|PATCH|DELETE) "), {404, 409}),  # writes name things that may be gone or taken
    (re.compile(r"^GET /v1/(calls/\{call_id\}/result|reports|customers)"), {409}),
]


def _needs_auth(dependant: Dependant) -> bool:
    return any(d.call is get_principal or _needs_auth(d) for d in dependant.dependencies)


def _statuses(route: APIRoute, method: str) -> set[int]:
    key = f"{method} {route.path}"
    codes = {422, 500}  # the edge checks (NUL, ranges) apply to every path and query
    if _needs_auth(route.dependant):
        codes |= {401, 403}
    if route.dependant.path_params:
        codes.add(404)
    if route.body_field is not None:
        codes |= {400, 413}
    codes |= _EXTRA.get(key, set())
    for pattern, extra in _EXTRA_PATTERNS:
        if pattern.search(key):
            codes |= extra
    return codes


def install_responses(app: FastAPI) -> None:
    """Add the error responses to every API operation (call after all routers are included)."""
    for route in app.routes:
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for method in sorted(route.methods or ()):
            for code in sorted(_statuses(route, method)):
                route.responses.setdefault(code, {"model": ErrorOut, "description": _DESCRIPTIONS[code]})
    app.openapi_schema = None

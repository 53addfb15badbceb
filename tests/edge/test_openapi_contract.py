"""The schema tells a client every status it can receive, in one error shape, and
every integer parameter states its range."""

from __future__ import annotations

from typing import Any

import pytest

METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    from api.app import app

    return app.openapi()


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, item[m]) for p, item in schema["paths"].items() for m in METHODS if m in item]


def test_every_operation_documents_its_errors_in_the_error_shape(schema: dict[str, Any]) -> None:
    ops = _operations(schema)
    assert len(ops) > 40
    for method, path, op in ops:
        codes = set(op["responses"])
        assert {"422", "500"} <= codes, (method, path)
        if path.startswith("/v1/") and path != "/v1/health":
            assert {"401", "403"} <= codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        if "requestBody" in op:
            assert {"400", "413"} <= codes, (method, path)
        # (416 of the audio endpoint is Starlette's FileResponse, documented by that route)
        for code in codes & {"400", "401", "403", "404", "409", "413", "415", "422", "500"}:
            assert "content" in op["responses"][code], (method, path, code, op["responses"][code])
            ref = op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorOut"), (method, path, code)
    assert schema["paths"]["/v1/calls"]["post"]["responses"].keys() >= {"413", "415"}
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["error"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]


def test_every_integer_parameter_is_bounded(schema: dict[str, Any]) -> None:
    """A new route with a bare ``int`` id or offset fails here: use api/params.py."""
    unbounded = []
    for method, path, op in _operations(schema):
        for param in op.get("parameters", []):
            s = param["schema"]
            options = s.get("anyOf", [s])
            for opt in options:
                if opt.get("type") == "integer" and "maximum" not in opt:
                    unbounded.append(f"{method.upper()} {path} {param['name']}")
    assert unbounded == []


def test_dates_refuse_bare_numbers() -> None:
    from pydantic import TypeAdapter, ValidationError

    from api.params import IsoDate, IsoDateTime

    assert str(TypeAdapter(IsoDateTime).validate_python("2026-10-01T09:30:00+08:00")) == "2026-10-01 09:30:00+08:00"
    assert str(TypeAdapter(IsoDate).validate_python("2026-10-01")) == "2026-10-01"
    for bad in ("0.5", "1700000000", "2026-10", "tomorrow"):
        with pytest.raises(ValidationError, match="ISO 8601"):
            TypeAdapter(IsoDateTime).validate_python(bad)

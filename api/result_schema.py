"""The result document in the OpenAPI description: GET /v1/calls/{id}/result answers
with the schema generated from ``core.result.CallResult`` (the same one published as
docs/result-schema.json), not an untyped object."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI

from core.jsonio import JsonObject, json_schema
from core.result import RESULT_SCHEMA_VERSION, CallResult

_REFS = "#/components/schemas/{model}"


def result_response() -> JsonObject:
    """The 200 response of the result endpoint (the schema itself is added by ``install``)."""
    return {"description": f"The result document, schema version {RESULT_SCHEMA_VERSION} "
                           "(docs/result-schema.md, docs/result-schema.json)",
            "content": {"application/json": {"schema": {"$ref": _REFS.format(model=CallResult.__name__)}}}}


def add_result_schema(schema: JsonObject) -> JsonObject:
    result = json_schema(CallResult, ref_template=_REFS)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in {**result.pop("$defs", {}), CallResult.__name__: result}.items():
        # The records' names are the API's names too: a clash would silently merge two types.
        if components.get(name, definition) != definition:
            raise RuntimeError(f"OpenAPI component {name!r} is defined twice")
        components[name] = definition
    return schema


def install(app: FastAPI) -> None:
    generate: Callable[[], JsonObject] = app.openapi

    def openapi() -> JsonObject:
        if app.openapi_schema is None:
            app.openapi_schema = add_result_schema(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

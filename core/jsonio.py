"""The JSON edge of core's frozen dataclasses: one writer, one reader, one schema.

``to_json`` walks dataclass fields in order (the JSON key order) and honours the
omission markers in field metadata; ``parse`` validates a document into the
dataclasses with pydantic (imported on first use, so importing core stays cheap);
``json_schema`` is what docs/result-schema.json is generated from.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any, TypeVar

__all__ = ["OMIT_EMPTY", "OMIT_FALSE", "OMIT_NONE", "JsonObject", "JsonScalar", "json_schema", "parse", "to_json"]

JsonScalar = str | int | float | bool | None
# A JSON object at an edge of the system (an HTTP body, a stored JSON column, a YAML
# file) BEFORE it is parsed into a type. Internal code passes typed values, not these.
JsonObject = dict[str, Any]
OMIT_NONE: Mapping[str, str] = {"omit": "none"}
OMIT_EMPTY: Mapping[str, str] = {"omit": "empty"}
OMIT_FALSE: Mapping[str, str] = {"omit": "false"}

T = TypeVar("T")


def _omitted(mode: str | None, value: object) -> bool:
    if mode == "none":
        return value is None
    if mode == "empty":
        return not value
    if mode == "false":
        return value is False
    return False


def to_json(value: object) -> Any:
    """Plain JSON values (dict / list / str / number / bool / None) for a dataclass tree."""
    if is_dataclass(value) and not isinstance(value, type):
        out: JsonObject = {}
        for f in fields(value):
            v = getattr(value, f.name)
            if not _omitted(f.metadata.get("omit"), v):
                out[f.name] = to_json(v)
        return out
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    raise TypeError(f"not a JSON value: {type(value).__name__}")


_ADAPTERS: dict[Any, Any] = {}


def _adapter(cls: Any) -> Any:
    # Built once per class (building one costs milliseconds; validating, microseconds).
    if cls not in _ADAPTERS:
        from pydantic import TypeAdapter

        _ADAPTERS[cls] = TypeAdapter(cls)
    return _ADAPTERS[cls]


def parse(cls: type[T], doc: object) -> T:
    """``doc`` validated into ``cls``; unknown keys are ignored (consumers of the contract
    must ignore fields they do not know). Raises ``ValueError`` (pydantic's
    ValidationError) naming the first bad path."""
    out: T = _adapter(cls).validate_python(doc)
    return out


def json_schema(cls: type[Any], ref_template: str = "#/$defs/{model}") -> JsonObject:
    """The JSON Schema of what ``to_json`` writes for ``cls``; ``ref_template`` places the
    nested records elsewhere (``#/components/schemas/{model}`` inside an OpenAPI document)."""
    schema: JsonObject = _adapter(cls).json_schema(mode="serialization", ref_template=ref_template)
    return schema

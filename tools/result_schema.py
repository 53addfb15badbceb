"""Generate the published result contract from the typed result (issue 13).

    .venv/bin/python -m tools.result_schema            # rewrite both files
    .venv/bin/python -m tools.result_schema --check    # exit 1 when either is stale

Writes docs/result-schema.json (the JSON Schema of ``core.result.CallResult``, with
the field meanings of ``core.result_docs`` as descriptions) and the field tables of
docs/result-schema.md (between ``<!-- generated: fields X -->`` and
``<!-- end generated -->`` markers; the prose and examples around them are kept).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import re
import sys
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, Union

from core.jsonio import json_schema
from core.result import RESULT_SCHEMA_VERSION, CallResult
from core.result_docs import FIELD_DOCS, SINCE

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_PATH = ROOT / "docs" / "result-schema.json"
DOC_PATH = ROOT / "docs" / "result-schema.md"
SCHEMA_ID = "https://callsight.local/schemas/result-schema.json"
_SECTION = re.compile(r"(<!-- generated: fields (\S+) -->\n).*?(<!-- end generated -->)", re.S)


@dataclasses.dataclass(frozen=True)
class Row:
    path: str
    type: str
    meaning: str
    owner: type[Any]  # the dataclass that declares the field
    name: str


def _is_record(tp: object) -> bool:
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is Literal:
        return " | ".join(f'`"{v}"`' for v in typing.get_args(tp))
    if origin in (Union, types.UnionType):
        names: list[str] = []
        for arg in typing.get_args(tp):
            name = _type_name(arg)
            if name not in names:
                names.append(name)
        return " | ".join(names)
    if origin is tuple or origin is list:
        (item, *_rest) = typing.get_args(tp) or (Any,)
        return "array" if _is_record(item) or item is Any else f"{_type_name(item)}[]"
    if origin in (dict, Mapping) or tp is dict:
        return "object"
    if _is_record(tp):
        return "object"
    simple = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null",
              dt.date: "string (ISO date)"}
    return simple.get(tp, "any")


def _record_of(tp: Any) -> type[Any] | None:
    """The dataclass a field holds (directly, optionally, or as array items)."""
    if _is_record(tp):
        return typing.cast(type[Any], tp)
    for arg in typing.get_args(tp):
        found = _record_of(arg)
        if found is not None:
            return found
    return None


def rows(cls: type[Any] = CallResult, prefix: str = "", covered: bool = False) -> list[Row]:
    """One row per documented field, in JSON key order; ``ValueError`` for a field no
    entry of FIELD_DOCS covers."""
    out: list[Row] = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        tp = hints[f.name]
        record = _record_of(tp)
        is_array = typing.get_origin(tp) is tuple and record is not None
        path = f"{prefix}{f.name}{'[]' if is_array else ''}"
        doc = FIELD_DOCS.get(path)
        if doc is not None:
            optional = ", optional" if f.metadata.get("omit") else ""
            out.append(Row(path, _type_name(tp) + optional, doc, cls, f.name))
        elif not covered and not any(k.startswith(path + ".") for k in FIELD_DOCS):
            raise ValueError(f"result field {path!r} has no entry in core/result_docs.py FIELD_DOCS")
        if record is not None:
            out += rows(record, path + ".", covered or doc is not None)
    return out


def schema() -> dict[str, Any]:
    doc = json_schema(CallResult)
    defs = doc.setdefault("$defs", {})
    for row in rows():
        target = doc if row.owner is CallResult else defs[row.owner.__name__]
        prop = target["properties"][row.name]
        prop.setdefault("description", row.meaning)  # a record used at two paths: the first wins
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "callsight call result",
            "description": ("The result document of `callsight analyze --json`, GET /v1/calls/{id}/result "
                            "and the worker (docs/result-schema.md). Generated from core/result.py by "
                            "`python -m tools.result_schema`; do not edit."),
            "version": RESULT_SCHEMA_VERSION, **{k: v for k, v in doc.items() if k != "title"}}


def schema_text() -> str:
    return json.dumps(schema(), ensure_ascii=False, indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def table(version: str) -> str:
    lines = ["| field | type | meaning |", "|---|---|---|"]
    for row in rows():
        if SINCE[row.path.split(".")[0].removesuffix("[]")] == version:
            lines.append(f"| `{row.path}` | {_cell(row.type)} | {_cell(row.meaning)} |")
    return "\n".join(lines) + "\n"


def doc_text(current: str) -> str:
    return _SECTION.sub(lambda m: m.group(1) + table(m.group(2)) + m.group(3), current)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when the committed files are stale")
    args = ap.parse_args(argv)
    current = DOC_PATH.read_text(encoding="utf-8")
    wanted = {SCHEMA_PATH: schema_text(), DOC_PATH: doc_text(current)}
    stale = [p for p, text in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if args.check:
        for p in stale:
            print(f"stale: {p.relative_to(ROOT)} (run python -m tools.result_schema)", file=sys.stderr)
        return 1 if stale else 0
    for p in stale:
        p.write_text(wanted[p], encoding="utf-8")
        print(f"wrote {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

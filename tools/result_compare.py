"""Compare two result snapshots (tools.result_snapshot) ignoring ``schema_version``.

    .venv/bin/python -m tools.result_compare BEFORE.jsonl AFTER.jsonl

Prints the number of results, how many differ and the first differences (key paths).
Exit 0 when every result is the same.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _diff(a: Any, b: Any, path: str, out: list[str]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in dict.fromkeys([*a, *b]):
            if k == "schema_version" and not path:
                continue
            if k not in a or k not in b:
                out.append(f"{path}.{k}: only in {'after' if k in b else 'before'}")
            else:
                _diff(a[k], b[k], f"{path}.{k}", out)
        if [k for k in a if k in b] != [k for k in b if k in a]:
            out.append(f"{path}: key order differs")
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} items before, {len(b)} after")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            _diff(x, y, f"{path}[{i}]", out)
    elif a != b or type(a) is not type(b):
        out.append(f"{path}: {a!r} → {b!r}"[:300])


def main(argv: list[str]) -> int:
    before = Path(argv[0]).read_text(encoding="utf-8").splitlines()
    after = Path(argv[1]).read_text(encoding="utf-8").splitlines()
    changed = 0
    for n, (x, y) in enumerate(zip(before, after, strict=False)):
        diffs: list[str] = []
        _diff(json.loads(x), json.loads(y), "", diffs)
        if diffs:
            changed += 1
            if changed <= 10:
                print(f"result {n}: " + "; ".join(diffs[:5]))
    print(f"{len(before)} results before, {len(after)} after, {changed} differ")
    return 0 if changed == 0 and len(before) == len(after) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

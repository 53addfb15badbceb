"""asr/, nlp/ and qa/ are pure (ARCHITECTURE.md): no database, broker, web framework
or settings imports, and nlp/ never reaches up into qa/. Checked on the source so a
lazy import inside a function is caught too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FORBIDDEN = ("sqlalchemy", "celery", "fastapi", "starlette", "redis", "callsight.config", "callsight.db",
             "callsight.services", "callsight.runtime", "api", "workers")
EXTRA = {"nlp": ("qa",), "asr": ("qa", "nlp")}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ["asr", "nlp", "qa"])
def test_pure_packages_import_nothing_impure(package: str) -> None:
    banned = FORBIDDEN + EXTRA.get(package, ())
    bad = sorted(f"{p.relative_to(REPO)}: {name}" for p in (REPO / package).rglob("*.py")
                 for name in _imports(p) if any(name == b or name.startswith(b + ".") for b in banned))
    assert bad == []

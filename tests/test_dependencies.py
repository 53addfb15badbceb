"""Every third-party module the product imports is a declared dependency of the package.

A module that is only installed because something else pulls it in (scipy through
scikit-learn, kombu through celery) works in the dev venv and breaks the day that
other package stops pulling it in; a plain ``pip install`` of the wheel gets only
what pyproject.toml names. The imports are read with ``ast`` (every module, also the
ones imported lazily inside functions) and mapped to distributions through the
installed packages' metadata.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from tests.test_layers import LAYERS, REPO, imported_tops, product_modules


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    # "celery[redis]>=5.4,<6" -> celery; the name is what precedes extras, markers and versions.
    return {_canonical(re.split(r"[\s\[<>=!~;(]", req, maxsplit=1)[0]) for req in project["dependencies"]}


def third_party_imports() -> dict[str, set[Path]]:
    """Top-level module name -> the product files that import it."""
    found: dict[str, set[Path]] = {}
    for path, _ in product_modules():
        for top in imported_tops(path):
            if top not in LAYERS and top not in sys.stdlib_module_names:
                found.setdefault(top, set()).add(path.relative_to(REPO))
    return found


def test_every_third_party_import_is_a_declared_dependency() -> None:
    deps = declared()
    providers = importlib.metadata.packages_distributions()
    undeclared: list[str] = []
    for module, files in sorted(third_party_imports().items()):
        dists = {_canonical(d) for d in providers.get(module, [])}
        if not dists & deps:
            where = ", ".join(sorted(str(f) for f in files)[:3])
            undeclared.append(f"{module} (distribution {sorted(dists) or 'not installed'}; imported in {where})")
    assert not undeclared, "imported but not in [project].dependencies: " + "; ".join(undeclared)


def test_the_scan_sees_the_imports_it_must_check() -> None:
    # Guards the scan itself: a walker that found nothing would pass the test above vacuously.
    seen = third_party_imports()
    assert {"scipy", "sklearn", "sqlalchemy", "celery", "fastapi"} <= seen.keys()
    # ... and the name mapping it relies on (the import name differs from the distribution's).
    assert "scikit-learn" in {_canonical(d) for d in importlib.metadata.packages_distributions()["sklearn"]}
    assert {"scikit-learn", "celery", "scipy"} <= declared()

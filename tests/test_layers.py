"""Our top-level packages import each other in one direction only, with no cycle.

    core <- asr, nlp <- qa <- upsell <- callsight <- workers, api

A package may import its own modules and those of any package on a LOWER layer; two
packages on the same layer never import each other. Every import statement of every
module counts, also the lazy ones inside functions (checked on the source with ``ast``).
callsight reaches workers/ only through the seam in callsight/dispatch.py and
callsight/queue.py (task names; the Celery app's ``include`` lists the task modules as
configuration, and workers/jobs.py hands its job functions to ``dispatch.provide``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

LAYERS: dict[str, int] = {
    "core": 0,
    "asr": 1,
    "nlp": 1,
    "qa": 2,
    "upsell": 3,  # reads the rule pack's levels and text features (qa.model, qa.textfeat)
    "callsight": 4,
    "workers": 5,
    "api": 5,
}

REPO = Path(__file__).resolve().parents[1]


def product_modules() -> Iterator[tuple[Path, str]]:
    """Every module of the product: (path, its top-level package)."""
    for package in LAYERS:
        for path in sorted((REPO / package).rglob("*.py")):
            yield path, package


def imported_tops(path: Path) -> set[str]:
    """Top-level names of every absolute import in the module, lazy ones included (a
    relative import stays inside the module's own package)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names)
    return found


def imported_packages(path: Path) -> set[str]:
    """Our top-level packages that the module imports."""
    return {top for top in imported_tops(path) if top in LAYERS}


def package_graph() -> dict[str, dict[str, list[str]]]:
    """package -> imported package -> the modules (repository paths) that import it."""
    graph: dict[str, dict[str, list[str]]] = {p: {} for p in LAYERS}
    for path, package in product_modules():
        for other in imported_packages(path):
            if other != package:
                graph[package].setdefault(other, []).append(str(path.relative_to(REPO)))
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the directed graph as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def test_imports_follow_the_layers() -> None:
    wrong = [f"{module} imports {imported} ({package} is layer {LAYERS[package]}, {imported} layer {LAYERS[imported]})"
             for package, edges in package_graph().items() for imported, modules in edges.items()
             if LAYERS[imported] >= LAYERS[package] for module in modules]
    assert wrong == []


def test_no_cycle_between_top_level_packages() -> None:
    graph = {package: set(edges) for package, edges in package_graph().items()}
    assert find_cycle(graph) is None, f"import cycle: {' -> '.join(find_cycle(graph) or [])}"


def test_the_checks_can_fail() -> None:
    # The walker sees the imports that must be there (a scan that found nothing would pass
    # vacuously), and the cycle finder finds a planted cycle.
    graph = package_graph()
    assert "callsight" in graph["workers"] and "qa" in graph["callsight"] and "core" in graph["qa"]
    assert find_cycle({"callsight": {"nlp"}, "nlp": {"core"}, "core": set()}) is None
    assert find_cycle({"callsight": {"workers"}, "workers": {"callsight"}}) == ["callsight", "workers", "callsight"]

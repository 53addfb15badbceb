"""Every parameter in the OpenAPI document carries a description (issue 14: /docs
listed bare names), and a route's own description is kept over the generic one."""

from __future__ import annotations

from api.app import create_app


def test_every_parameter_is_described() -> None:
    spec = create_app().openapi()
    bare = [f"{m.upper()} {path}: {p['in']} {p['name']}"
            for path, ops in spec["paths"].items() for m, op in ops.items()
            for p in op.get("parameters", []) if not p.get("description")]
    assert not bare, bare


def test_route_descriptions_win_and_paths_specialise() -> None:
    spec = create_app().openapi()

    def param(path: str, name: str) -> str:
        return str(next(p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == name)["description"])

    assert param("/v1/review/queue", "assignee") == "a user id, 'me' or 'none'"  # the route's own
    assert "done" in param("/v1/calls", "status") and "upheld" in param("/v1/appeals", "status")
    assert "exact phrase" in param("/v1/search", "q")

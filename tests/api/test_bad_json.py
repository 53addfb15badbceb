"""Every route that takes a JSON body answers a malformed body with 400 in the error
shape, naming the problem, before touching anything; a query value of the wrong type
is a 422 naming the parameter. The routes are enumerated from the app."""

from __future__ import annotations

import re

import pytest
from fastapi import params
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from tests.api.conftest import Keys
from tests.factories import auth


def _json_body_routes() -> list[tuple[str, str]]:
    from api.app import app

    found = []
    for ctx in iter_route_contexts(app.routes):
        route = ctx.original_route
        if not isinstance(route, APIRoute) or route.body_field is None:
            continue
        if isinstance(route.body_field.field_info, params.Form):  # multipart uploads and the login form
            continue
        for method in sorted(ctx.methods or ()):
            found.append((method, re.sub(r"\{[^}]+\}", "1", ctx.path or "")))
    return found


JSON_ROUTES = _json_body_routes()


def test_the_json_routes_are_found() -> None:
    assert {("POST", "/v1/calls/transcript"), ("PUT", "/v1/rules/drafts/1"), ("POST", "/v1/crm/sales"),
            ("POST", "/v1/findings/1/verdict"), ("POST", "/v1/branches")} <= set(JSON_ROUTES)
    assert ("POST", "/v1/calls") not in JSON_ROUTES  # multipart


@pytest.mark.parametrize(("method", "path"), JSON_ROUTES, ids=[f"{m} {p}" for m, p in JSON_ROUTES])
@pytest.mark.parametrize("body", [b"{not json", b'{"a": 1,', b"\xff\xfe"])
def test_malformed_json_is_a_400_naming_the_problem(client: TestClient, keys: Keys, method: str, path: str,
                                                    body: bytes) -> None:
    r = client.request(method, path, content=body,
                       headers={**auth(keys.admin), "Content-Type": "application/json"})
    assert r.status_code in (400, 422), f"{method} {path}: {r.status_code} {r.text[:200]}"
    err = r.json()["error"]
    assert set(err) >= {"code", "message"} and "JSON" in err["message"], err


@pytest.mark.parametrize(("path", "param"), [
    ("/v1/calls?limit=many", "limit"), ("/v1/calls?from=yesterday", "from"),
    ("/v1/findings/abc/verdict", "finding_id"), ("/v1/upsell/openings?taken=perhaps", "taken"),
    ("/v1/reports/calls?from=2026-10-01&to=soon", "to"), ("/v1/audit?finding_id=x", "finding_id"),
])
def test_wrongly_typed_parameter_is_422_naming_it(client: TestClient, keys: Keys, path: str, param: str) -> None:
    method = "POST" if path.endswith("/verdict") else "GET"
    r = client.request(method, path, headers=auth(keys.admin), json={"verdict": "confirm"})
    assert r.status_code == 422, r.text[:200]
    assert param in r.json()["error"]["message"], r.text[:200]

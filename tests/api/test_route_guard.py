"""Every route of the app, enumerated from the app itself, refuses a caller without
valid credentials: /v1 answers 401 in the error shape (the WebSocket closes 1008),
/ui pages send the browser to the login page. A new route is covered the moment it
is mounted; a public one must be added to PUBLIC below, with the reason."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route
from starlette.websockets import WebSocketDisconnect

from tests.api.conftest import Keys
from tests.factories import auth

# (method, path template) that answer without credentials, and why.
PUBLIC: dict[tuple[str, str], str] = {
    ("GET", "/v1/health"): "liveness probe for load balancers; returns no data",
    ("GET", "/openapi.json"): "the API description, no data",
    ("GET", "/docs"): "Swagger UI shell over /openapi.json",
    ("GET", "/docs/oauth2-redirect"): "Swagger UI helper page",
    ("GET", "/redoc"): "ReDoc shell over /openapi.json",
    ("GET", "/docs-offline/redoc.standalone.js"): "the bundled ReDoc script (its CDN logo pointed home)",
    ("GET", "/ui/login"): "the login form itself",
    ("POST", "/ui/logout"): "only ends the caller's own session (the cookie it sends)",
    ("GET", "/ui/login/oidc"): "starts single sign-on at the provider (404 when not configured)",
    ("GET", "/ui/login/oidc/callback"): "opens a session only for a valid id_token of this browser's flow",
}
# Public, but without a configured provider or a flow they refuse (tests/security/test_oidc.py).
SSO = {("GET", "/ui/login/oidc"): 404, ("GET", "/ui/login/oidc/callback"): 401}
# Mounted static files (CSS/JS of the console): no data behind them.
PUBLIC_MOUNTS = {"/ui/static", "/docs-assets"}  # console CSS/JS; Swagger UI / ReDoc bundles


@dataclass(frozen=True)
class Endpoint:
    method: str  # "WS" for WebSocket routes
    template: str
    path: str

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


def _fill(template: str) -> str:
    # "1" parses as every path parameter type used here (int ids, str codes and periods).
    return re.sub(r"\{[^}]+\}", "1", template)


def endpoints(app: FastAPI) -> tuple[list[Endpoint], set[str]]:
    """Every (method, path) the app serves, including routers included lazily, and the mount paths."""
    found: list[Endpoint] = []
    mounts: set[str] = set()
    for ctx in iter_route_contexts(app.routes):
        route, template = ctx.original_route, ctx.path
        assert template is not None, route
        if isinstance(route, APIWebSocketRoute):
            found.append(Endpoint("WS", template, _fill(template)))
        elif isinstance(route, APIRoute | Route):
            found += [Endpoint(m, template, _fill(template)) for m in sorted(ctx.methods or ()) if m != "HEAD"]
        elif isinstance(route, Mount):
            mounts.add(template)
        else:  # a route kind this test does not know how to call must not slip through
            raise AssertionError(f"unknown route type {type(route).__name__} at {template}")
    return found, mounts


def _all() -> list[Endpoint]:
    from api.app import app

    return endpoints(app)[0]


ALL = _all()
GUARDED_HTTP = [e for e in ALL if e.method != "WS" and (e.method, e.template) not in PUBLIC]
V1 = [e for e in GUARDED_HTTP if e.template.startswith("/v1/")]
UI = [e for e in GUARDED_HTTP if e.template.startswith("/ui")]


def test_enumeration_sees_the_whole_app() -> None:
    from api.app import app

    found, mounts = endpoints(app)
    seen = {(e.method, e.template) for e in found}
    # The allow-list names only routes that exist (no stale exemptions).
    assert set(PUBLIC) <= seen, set(PUBLIC) - seen
    assert mounts == PUBLIC_MOUNTS
    # Spot checks from every router, so a broken enumeration cannot pass silently.
    for probe in [("POST", "/v1/calls"), ("GET", "/v1/calls/{call_id}/audio"), ("POST", "/v1/crm/sales"),
                  ("PUT", "/v1/rules/drafts/{version_id}"), ("POST", "/v1/appeals/{appeal_id}/ruling"),
                  ("GET", "/v1/customers/{code}/tags"), ("GET", "/v1/reports/{period}/firm"),
                  ("GET", "/v1/topics"), ("WS", "/v1/live"), ("GET", "/ui/calls/{call_id}")]:
        assert probe in seen, probe
    assert len(V1) >= 45 and len(UI) >= 10
    # Nothing outside /v1 and /ui serves data.
    assert all(e.template.startswith(("/v1/", "/ui")) for e in GUARDED_HTTP)


def _assert_401(client: TestClient, e: Endpoint, headers: dict[str, str]) -> None:
    r = client.request(e.method, e.path, headers=headers)
    assert r.status_code == 401, f"{e}: {r.status_code} {r.text[:200]}"
    err = r.json()["error"]
    assert err["code"] == "unauthorized" and err["message"], f"{e}: {err}"


@pytest.mark.parametrize("endpoint", V1, ids=str)
def test_v1_without_credentials_is_401(client: TestClient, endpoint: Endpoint) -> None:
    _assert_401(client, endpoint, {})


@pytest.mark.parametrize("endpoint", V1, ids=str)
def test_v1_with_an_invalid_key_is_401(client: TestClient, keys: Keys, endpoint: Endpoint) -> None:
    _assert_401(client, endpoint, auth("cs_not-a-real-key"))
    _assert_401(client, endpoint, {"X-API-Key": "cs_not-a-real-key"})
    # A valid key under an unknown scheme is not accepted either.
    _assert_401(client, endpoint, {"Authorization": f"Basic {keys.admin}"})


@pytest.mark.parametrize("endpoint", UI, ids=str)
def test_ui_without_a_session_goes_to_login(client: TestClient, endpoint: Endpoint) -> None:
    r = client.request(endpoint.method, endpoint.path, follow_redirects=False)
    if endpoint == Endpoint("POST", "/ui/login", "/ui/login"):
        assert r.status_code in (401, 422), r.text[:200]  # no key in the form: refused, no cookie set
        assert "set-cookie" not in r.headers
        return
    assert r.status_code == 303 and r.headers["location"].startswith("/ui/login"), f"{endpoint}: {r.status_code}"


@pytest.mark.parametrize("endpoint", UI, ids=str)
def test_ui_with_a_forged_cookie_goes_to_login(client: TestClient, keys: Keys, endpoint: Endpoint) -> None:
    if endpoint.method != "GET":
        return
    # A made-up session id, or an API key put in the cookie, is no session.
    client.cookies.set("callsight_session", "css_" + "0" * 43)
    r = client.get(endpoint.path, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/ui/login"), f"{endpoint}: {r.status_code}"
    client.cookies.set("callsight_session", keys.admin)
    r = client.get(endpoint.path, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/ui/login"), f"{endpoint}: {r.status_code}"


@pytest.mark.parametrize("endpoint", [e for e in ALL if e.method == "WS"], ids=str)
@pytest.mark.parametrize("query", ["", "?key=cs_not-a-real-key"])
def test_websocket_without_valid_credentials_closes_1008(client: TestClient, keys: Keys, endpoint: Endpoint,
                                                          query: str) -> None:
    with client.websocket_connect(endpoint.path + query) as ws:
        if not query:
            ws.send_json({"type": "turn", "speaker": "agent", "text": "您好"})  # no auth message first
        with pytest.raises(WebSocketDisconnect) as err:
            ws.receive_json()
    assert err.value.code == 1008


def test_public_routes_answer_without_credentials(client: TestClient) -> None:
    for method, template in PUBLIC:
        r = client.request(method, template, follow_redirects=False)
        assert r.status_code in (200, 303) or r.status_code == SSO.get((method, template)), \
            f"{method} {template}: {r.status_code}"

"""Console single sign-on (OIDC authorization code + PKCE) against a real local
provider (tests/security/oidc_provider.py) over loopback HTTP: discovery, the code
exchange and the id_token check are callsight's real code, nothing is mocked."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from fastapi.testclient import TestClient

from api.routes.ui_session import COOKIE
from callsight import oidc
from callsight.config import settings
from tests.api.conftest import Keys
from tests.integration.conftest import free_port
from tests.security.oidc_provider import Provider

REDIRECT = "http://testserver/ui/login/oidc/callback"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    p = Provider(free_port())
    p.start()
    yield p
    p.stop()


@pytest.fixture
def sso(provider: Provider, monkeypatch: pytest.MonkeyPatch) -> Provider:
    for name, value in (("oidc_issuer", provider.issuer), ("oidc_client_id", provider.client_id),
                        ("oidc_client_secret", provider.client_secret), ("oidc_redirect_uri", REDIRECT)):
        monkeypatch.setattr(settings, name, value)
    oidc._cache.clear()
    provider.user, provider.tamper = "qa", ""
    return provider


def _sso_login(client: TestClient, next_page: str = "") -> httpx.Response:
    start = client.get("/ui/login/oidc" + (f"?next={next_page}" if next_page else ""), follow_redirects=False)
    assert start.status_code == 303, start.text
    # The browser goes to the provider (real HTTP), which sends it back with a code.
    at_idp = httpx.get(start.headers["location"], follow_redirects=False)
    assert at_idp.status_code == 302, at_idp.text
    back = urlparse(at_idp.headers["location"])
    assert back.path == "/ui/login/oidc/callback" and "code" in parse_qs(back.query)
    return client.get(f"{back.path}?{back.query}", follow_redirects=False)


def test_sso_login_opens_a_session_of_the_mapped_user(client: TestClient, keys: Keys, sso: Provider) -> None:
    assert "单点登录" in client.get("/ui/login").text
    done = _sso_login(client, "/ui/rules")
    assert done.status_code == 200 and 'url=/ui/rules"' in done.text
    assert client.cookies.get(COOKIE, "").startswith("css_")
    assert client.get("/v1/calls").status_code == 200
    assert client.get("/ui/", follow_redirects=False).headers["location"] == "/ui/queue"  # qa's home
    # Logout ends it like any session.
    sid = client.cookies.get(COOKIE)
    client.post("/ui/logout")
    client.cookies.set(COOKIE, sid or "")
    assert client.get("/v1/calls").status_code == 401


@pytest.mark.parametrize("tamper", ["nonce", "audience", "key"])
def test_a_wrong_id_token_is_refused(client: TestClient, keys: Keys, sso: Provider, tamper: str) -> None:
    sso.tamper = tamper
    done = _sso_login(client)
    assert done.status_code == 401 and "单点登录失败" in done.text
    assert client.cookies.get(COOKIE) is None
    assert client.get("/v1/calls").status_code == 401


def test_unknown_user_and_forged_state_are_refused(client: TestClient, keys: Keys, sso: Provider) -> None:
    sso.user = "someone-else"
    assert _sso_login(client).status_code == 401
    sso.user = "qa"
    start = client.get("/ui/login/oidc", follow_redirects=False)
    at_idp = httpx.get(start.headers["location"], follow_redirects=False)
    back = urlparse(at_idp.headers["location"])
    code = parse_qs(back.query)["code"][0]
    # A callback whose state is not this browser's flow (login CSRF) is refused.
    forged = client.get(f"{back.path}?code={code}&state=forged", follow_redirects=False)
    assert forged.status_code == 401 and client.cookies.get(COOKIE) is None


def test_not_configured_is_404(client: TestClient) -> None:
    assert not oidc.enabled()
    assert client.get("/ui/login/oidc", follow_redirects=False).status_code == 404
    assert "单点登录" not in client.get("/ui/login").text

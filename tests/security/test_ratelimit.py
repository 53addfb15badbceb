"""Rate limiting and lockout (issue 15) through the real API: wrong keys from one
address end in 429 (with the shipped thresholds: within 50), other addresses and
keys keep working, console logins and the live socket count too, and the Redis
backend shares the lockout between API processes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.websockets import WebSocketDisconnect

from callsight import ratelimit
from callsight.config import settings
from callsight.sessions import set_password
from tests.api.conftest import Keys
from tests.factories import auth
from tests.integration.conftest import RedisServer, free_port


def _wrong_until_429(client: TestClient, limit: int = 100) -> int:
    for n in range(1, limit + 1):
        r = client.get("/v1/calls", headers=auth(f"cs_guess-{n:04d}"))
        if r.status_code == 429:
            assert int(r.headers["Retry-After"]) > 0
            assert r.json()["error"]["code"] == "too_many_requests"
            return n
        assert r.status_code == 401, r.text
    return limit + 1


@pytest.mark.usefixtures("limits")
def test_fifty_wrong_keys_in_a_row_get_429(client: TestClient, keys: Keys) -> None:
    n = _wrong_until_429(client)
    assert n <= 50, f"still 401 after {n - 1} wrong keys"
    assert n == settings.auth_max_failures_per_ip + 1
    # Locked out: even a valid key from this address waits (else 429 vs 200 would still
    # tell a guesser which key is right).
    assert client.get("/v1/calls", headers=auth(keys.qa)).status_code == 429
    # Another address is not affected.
    from api.app import app

    with TestClient(app, client=("10.0.0.2", 50000)) as other:
        assert other.get("/v1/calls", headers=auth(keys.qa)).status_code == 200


@pytest.mark.usefixtures("limits")
def test_lockout_ends_and_no_credential_is_no_guess(client: TestClient, keys: Keys,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "auth_max_failures_per_ip", 3)
    monkeypatch.setattr(settings, "auth_lockout_s", 1)
    for _ in range(10):  # a browser without a session is not guessing
        assert client.get("/v1/calls").status_code == 401
    assert _wrong_until_429(client) == 4
    import time

    time.sleep(1.2)
    assert client.get("/v1/calls", headers=auth(keys.qa)).status_code == 200


@pytest.mark.usefixtures("limits")
def test_requests_per_minute_per_key(client: TestClient, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "rate_limit_per_minute", 5)
    codes = [client.get("/v1/branches", headers=auth(keys.qa)).status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and 429 in codes[5:]
    # The limit is per credential: another key is served.
    assert client.get("/v1/branches", headers=auth(keys.admin)).status_code == 200


@pytest.mark.usefixtures("limits")
def test_password_lockout_is_per_user_and_address(client: TestClient, keys: Keys, db: Session) -> None:
    set_password(db, "qa", "correct horse battery")
    db.commit()
    codes = [client.post("/ui/login", data={"username": "qa", "password": f"wrong-{i}"},
                         follow_redirects=False).status_code for i in range(settings.auth_max_failures_per_user + 1)]
    assert codes[:-1] == [401] * settings.auth_max_failures_per_user and codes[-1] == 429
    # Now even the right password waits, from this address...
    right = {"username": "qa", "password": "correct horse battery"}
    assert client.post("/ui/login", data=right, follow_redirects=False).status_code == 429
    # ...but the user's API key and other users are fine, and so is the user elsewhere.
    assert client.get("/v1/calls", headers=auth(keys.qa)).status_code == 200
    from api.app import app

    with TestClient(app, client=("10.0.0.3", 50000)) as other:
        assert other.post("/ui/login", data=right, follow_redirects=False).status_code == 303


@pytest.mark.usefixtures("limits")
def test_console_logins_and_live_socket_count_towards_the_address(client: TestClient, keys: Keys,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "auth_max_failures_per_ip", 4)
    for i in range(2):
        assert client.post("/ui/login", data={"api_key": f"cs_bad{i}"}, follow_redirects=False).status_code == 401
    for i in range(2):
        with client.websocket_connect("/v1/live") as ws, pytest.raises(WebSocketDisconnect) as err:
            ws.send_json({"type": "auth", "key": f"cs_bad{i}"})
            ws.receive_json()
        assert err.value.code == 1008
    page = client.post("/ui/login", data={"api_key": keys.qa}, follow_redirects=False)
    assert page.status_code == 429 and "尝试次数过多" in page.text
    with client.websocket_connect("/v1/live") as ws, pytest.raises(WebSocketDisconnect) as err:
        ws.send_json({"type": "auth", "key": keys.qa})
        ws.receive_json()
    assert err.value.code == 1008 and "too many" in err.value.reason


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(free_port(), tmp_path)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.mark.usefixtures("limits")
def test_redis_backend_shares_the_lockout_between_processes(client: TestClient, keys: Keys, redis_url: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "rate_limit_redis_url", redis_url)
    ratelimit.counter.cache_clear()
    assert isinstance(ratelimit.counter(), ratelimit.RedisCounter)
    half = settings.auth_max_failures_per_ip // 2
    for n in range(half):
        assert client.get("/v1/calls", headers=auth(f"cs_a{n}")).status_code == 401
    # A second API process: its own counter object, the same Redis.
    other = ratelimit.RedisCounter(redis_url)
    for _ in range(settings.auth_max_failures_per_ip - half - 1):
        n = other.incr("fail:ip:testclient", settings.auth_failure_window_s)
    assert n == settings.auth_max_failures_per_ip - 1
    assert other.blocked_for("ip:testclient") == 0
    assert client.get("/v1/calls", headers=auth("cs_last")).status_code == 401  # the threshold-th failure
    assert other.blocked_for("ip:testclient") > 0  # the other process sees the block
    assert client.get("/v1/calls", headers=auth("cs_after")).status_code == 429
    assert client.get("/v1/calls", headers=auth(keys.qa)).status_code == 429


@pytest.mark.usefixtures("limits")
def test_a_stale_session_cookie_is_no_guess_but_a_made_up_one_is(client: TestClient, keys: Keys,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "auth_max_failures_per_ip", 3)
    client.post("/ui/login", data={"api_key": keys.qa}, follow_redirects=False)
    sid = client.cookies.get("callsight_session") or ""
    client.post("/ui/logout", follow_redirects=False)
    client.cookies.set("callsight_session", sid)
    # A browser still sending its logged-out cookie on every page request is not locked out.
    assert [client.get("/v1/calls").status_code for _ in range(6)] == [401] * 6
    client.cookies.set("callsight_session", "css_made-up")
    assert [client.get("/v1/calls").status_code for _ in range(4)] == [401, 401, 401, 429]


@pytest.mark.usefixtures("limits")
def test_redis_down_fails_open(client: TestClient, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "rate_limit_redis_url", f"redis://127.0.0.1:{free_port()}/0")  # nothing there
    ratelimit.counter.cache_clear()
    assert client.get("/v1/calls", headers=auth(keys.qa)).status_code == 200
    assert client.get("/v1/calls", headers=auth("cs_wrong")).status_code == 401

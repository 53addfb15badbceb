"""Security headers on every response, and no credential in uvicorn's access log
(issue 15). The log test runs a real API process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.websockets import WebSocketDisconnect

from tests.api.conftest import Keys
from tests.factories import auth, make_transcript_call
from tests.integration.conftest import free_port
from tests.ui.conftest import _env, _wait_health

COMMON = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer",
          "cross-origin-opener-policy": "same-origin"}


def _check(resp: httpx.Response, *, csp_has: str, cache: str | None = "no-store", frame: str = "DENY") -> None:
    for name, value in COMMON.items():
        assert resp.headers.get(name) == value, (resp.request.url, name)
    assert csp_has in resp.headers.get("content-security-policy", ""), resp.request.url
    assert resp.headers.get("cache-control") == cache, resp.request.url
    assert resp.headers.get("x-frame-options") == frame


def test_api_answers_errors_and_personal_data_are_not_cached(client: TestClient, keys: Keys, db: Session) -> None:
    call = make_transcript_call(db)
    db.commit()
    for r in (client.get("/v1/calls", headers=auth(keys.qa)),
              client.get(f"/v1/calls/{call.id}/transcript", headers=auth(keys.qa)),
              client.get("/v1/calls"),  # 401
              client.get("/v1/calls/nope", headers=auth(keys.qa)),  # 404
              client.get("/v1/health")):
        _check(r, csp_has="default-src 'none'; frame-ancestors 'none'")


def test_console_pages_and_static_files(client: TestClient, keys: Keys) -> None:
    login = client.get("/ui/login")
    _check(login, csp_has="script-src 'self';")
    assert "frame-ancestors 'none'" in login.headers["content-security-policy"]
    assert "ws://testserver" in login.headers["content-security-policy"]
    client.post("/ui/login", data={"api_key": keys.qa})
    _check(client.get("/ui/queue"), csp_has="script-src 'self';")
    static = client.get("/ui/static/app.css")
    assert static.status_code == 200 and static.headers["x-content-type-options"] == "nosniff"
    assert static.headers.get("cache-control") != "no-store"  # no personal data: cacheable


def test_an_html_report_may_be_framed_by_the_console_only() -> None:
    from api.security_headers import headers_for

    h = headers_for("/v1/reports/2026-10/branches/城东支行", "text/html; charset=utf-8", "h", https=True)
    assert "frame-ancestors 'self'" in h["Content-Security-Policy"] and "script" not in h["Content-Security-Policy"]
    assert h["X-Frame-Options"] == "SAMEORIGIN" and h["Strict-Transport-Security"].startswith("max-age=")


def test_live_socket_refuses_a_key_in_the_url(client: TestClient, keys: Keys) -> None:
    with client.websocket_connect(f"/v1/live?key={keys.agent_1023}") as ws, \
            pytest.raises(WebSocketDisconnect) as err:
        ws.receive_json()
    assert err.value.code == 1008 and "not accepted" in err.value.reason


def test_no_key_or_code_in_the_access_log(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "api.log"
    env = _env(tmp_path / "data")
    env["CALLSIGHT_LOG_LEVEL"] = "INFO"
    subprocess.run([sys.executable, "-m", "callsight.cli", "migrate"], env=env, check=True, capture_output=True)
    with log.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.app:app", "--port", str(port)],
                                env=env, stdout=fh, stderr=subprocess.STDOUT, cwd=os.getcwd())
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_health(base, proc, log)
        secret = "cs_ThisMustNotBeLogged123"
        assert httpx.get(f"{base}/v1/calls?key={secret}&limit=5").status_code == 401
        assert httpx.get(f"{base}/v1/live?key={secret}").status_code in (400, 404, 426)
        assert httpx.get(f"{base}/ui/login?next=/ui/calls&code=oidc-code-123&state=s1").status_code == 200
    finally:
        proc.terminate()
        proc.wait(10)
    text = log.read_text(errors="replace")
    assert "GET /v1/calls?key=[redacted]&limit=5" in text, text[-2000:]
    assert secret not in text and "oidc-code-123" not in text

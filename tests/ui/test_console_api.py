"""The console's server side without a browser: the session cookie (server-side
sessions themselves: tests/security/test_sessions.py), the
cookie bridge to /v1 (and its CSRF header rule), page access per role, and
GET /v1/calls/{id}/audio (scope, Range, transcoding of formats browsers cannot play)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.routes.ui_session import COOKIE
from callsight.config import settings
from callsight.schemas import parse_meta
from callsight.services.calls import create_audio_call
from tests.api.conftest import Keys
from tests.audio_helpers import encode, tone
from tests.factories import auth, make_transcript_call

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "calls" / "04_gx_guaranteed_promise.opus"


def _login(client: TestClient, key: str) -> str:
    resp = client.post("/ui/login", data={"api_key": key}, follow_redirects=False)
    assert resp.status_code == 303, resp.text
    return resp.headers["set-cookie"]


def test_login_sets_an_httponly_strict_cookie_and_rejects_bad_keys(client: TestClient, keys: Keys) -> None:
    bad = client.post("/ui/login", data={"api_key": "cs_wrong"}, follow_redirects=False)
    assert bad.status_code == 401
    assert "API 密钥无效" in bad.text
    assert "set-cookie" not in bad.headers
    header = _login(client, keys.manager_east)
    assert "HttpOnly" in header
    assert re.search(r"SameSite=strict", header, re.IGNORECASE)
    assert keys.manager_east not in header  # a session id, never the key


def test_next_only_redirects_to_console_pages(client: TestClient, keys: Keys) -> None:
    evil = client.post("/ui/login", data={"api_key": keys.qa, "next": "https://evil.example/"},
                       follow_redirects=False)
    assert evil.headers["location"] == "/ui/queue"
    ok = client.post("/ui/login", data={"api_key": keys.qa, "next": "/ui/rules"}, follow_redirects=False)
    assert ok.headers["location"] == "/ui/rules"


def test_cookie_authenticates_reads_and_ui_marked_writes_only(client: TestClient, keys: Keys, db: Session) -> None:
    call = make_transcript_call(db, "城东支行", "A1023")
    db.commit()
    _login(client, keys.qa)
    assert client.get("/v1/calls").status_code == 200
    body = {"call_ids": [call.id]}
    # A cookie alone does not authorise a write: a cross-site form could send it (SameSite aside).
    assert client.post("/v1/review/assignments", json=body).status_code == 401
    marked = client.post("/v1/review/assignments", json=body, headers={"X-Callsight-UI": "1"})
    assert marked.status_code != 401
    client.cookies.clear()
    client.cookies.set(COOKIE, "forged.1.abc")
    assert client.get("/v1/calls").status_code == 401


def test_pages_follow_roles(client: TestClient, keys: Keys) -> None:
    anon = client.get("/ui/queue", follow_redirects=False)
    assert anon.status_code == 303
    assert anon.headers["location"].startswith("/ui/login?next=")
    _login(client, keys.agent_1023)
    page = client.get("/ui/agent")
    assert page.status_code == 200
    assert 'data-nav="rules"' not in page.text and 'data-nav="queue"' not in page.text
    for denied in ("/ui/rules", "/ui/queue", "/ui/manager", "/ui/reports/2026-11/CD01"):
        assert client.get(denied).status_code == 403, denied
    assert client.post("/ui/logout", follow_redirects=False).status_code == 303
    assert client.get("/ui/agent", follow_redirects=False).status_code == 303
    _login(client, keys.qa)
    assert 'data-nav="rules"' in client.get("/ui/queue").text


def _audio_call(db: Session, src: Path, agent: str = "A1023") -> str:
    tmp = settings.data_dir / f"upload-test{src.suffix}"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, tmp)
    meta = parse_meta({"branch": "城东支行", "agent": agent, "started_at": "2026-11-10T10:00:00+08:00"})
    call = create_audio_call(db, meta=meta, upload_path=tmp, filename=src.name, audio_dir=settings.audio_dir,
                             max_duration_s=3600)
    tmp.unlink()
    db.commit()
    return call.id


def test_audio_streams_with_range_and_scope(client: TestClient, keys: Keys, db: Session) -> None:
    call_id = _audio_call(db, SAMPLE)
    size = SAMPLE.stat().st_size
    full = client.get(f"/v1/calls/{call_id}/audio", headers=auth(keys.agent_1023))
    assert full.status_code == 200
    assert full.headers["content-type"] == "audio/ogg"
    assert full.headers["accept-ranges"] == "bytes"
    assert full.content == SAMPLE.read_bytes()
    part = client.get(f"/v1/calls/{call_id}/audio", headers={**auth(keys.manager_east), "Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-199/{size}"
    assert part.content == SAMPLE.read_bytes()[100:200]
    tail = client.get(f"/v1/calls/{call_id}/audio", headers={**auth(keys.qa), "Range": f"bytes={size + 10}-"})
    assert tail.status_code == 416
    # Scope: another agent, another branch's manager.
    assert client.get(f"/v1/calls/{call_id}/audio", headers=auth(keys.agent_1024)).status_code == 403
    assert client.get(f"/v1/calls/{call_id}/audio", headers=auth(keys.manager_west)).status_code == 403
    assert client.get(f"/v1/calls/{call_id}/audio").status_code == 401


def test_audio_of_a_transcript_call_or_missing_file_is_404(client: TestClient, keys: Keys, db: Session) -> None:
    call = make_transcript_call(db)
    db.commit()
    resp = client.get(f"/v1/calls/{call.id}/audio", headers=auth(keys.qa))
    assert resp.status_code == 404
    assert resp.json()["error"]["code"] == "no_audio"
    assert client.get("/v1/calls/nope/audio", headers=auth(keys.qa)).status_code == 404
    call_id = _audio_call(db, SAMPLE)
    for stored in settings.audio_dir.glob(f"{call_id}.*"):
        stored.unlink()
    gone = client.get(f"/v1/calls/{call_id}/audio", headers=auth(keys.qa))
    assert gone.status_code == 404
    assert gone.json()["error"]["code"] == "audio_missing"


def test_formats_browsers_cannot_play_are_served_as_wav(
    client: TestClient, keys: Keys, db: Session, tmp_path: Path
) -> None:
    m4a = encode(tmp_path / "call.m4a", [tone(2.0, 440, 16000), tone(2.0, 660, 16000)], 16000, "aac")
    call_id = _audio_call(db, m4a)
    resp = client.get(f"/v1/calls/{call_id}/audio", headers=auth(keys.qa))
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "audio/wav"
    assert resp.content[:4] == b"RIFF" and resp.content[8:12] == b"WAVE"
    channels = int.from_bytes(resp.content[22:24], "little")
    rate = int.from_bytes(resp.content[24:28], "little")
    assert (channels, rate) == (2, 16000)
    # About 2 s of 16-bit stereo at 16 kHz (AAC adds a little padding).
    assert 2 * 16000 * 2 * 2 * 0.95 < len(resp.content) < 2 * 16000 * 2 * 2 * 1.2
    ranged = client.get(f"/v1/calls/{call_id}/audio", headers={**auth(keys.qa), "Range": "bytes=0-43"})
    assert ranged.status_code == 206 and len(ranged.content) == 44


def test_live_socket_takes_the_session_key_only_from_the_same_origin(client: TestClient, keys: Keys) -> None:
    from starlette.websockets import WebSocketDisconnect

    _login(client, keys.agent_1023)
    with client.websocket_connect("/v1/live", headers={"Origin": "http://testserver"}) as ws:
        assert ws.receive_json()["type"] == "ready"
    # A page on another site cannot ride on the cookie: no key is added, the socket asks for one.
    with client.websocket_connect("/v1/live", headers={"Origin": "https://evil.example"}) as ws:
        ws.send_text("{}")
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 1008


@pytest.mark.parametrize("path", ["/ui/static/app.css", "/ui/static/call.js", "/ui/login"])
def test_console_assets_are_served_locally(client: TestClient, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 200
    assert "cdn" not in resp.text.lower() and "https://" not in resp.text

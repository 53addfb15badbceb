"""Bad input at the API edge: every case of issue 15 answers a 4xx in the error
shape, names the problem, stores nothing; an unexpected fault answers a JSON 500."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.edge import ErrorShield
from callsight.config import settings
from callsight.db.models import Call
from tests.api.conftest import Keys
from tests.audio_helpers import silence, write_wav
from tests.factories import auth, transcript_doc

BIG = str(2**70)
INT32_PAST = str(2**31)


def _error(r, status: int) -> dict:  # type: ignore[no-untyped-def,type-arg]
    assert r.status_code == status, f"{r.status_code} {r.text[:300]}"
    assert r.headers["content-type"].startswith("application/json"), r.headers
    err = r.json()["error"]
    assert err["code"] and err["message"]
    return err  # type: ignore[no-any-return]


def _calls(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Call)) or 0


@pytest.mark.parametrize("path", [
    f"/v1/calls?offset={BIG}", f"/v1/calls?offset={INT32_PAST}", f"/v1/findings/{BIG}/verdict",
    f"/v1/reports/calls?from=2026-10-01&to=2026-10-31&branch_id={BIG}", f"/v1/audit?finding_id={BIG}",
    f"/v1/review/calibrations/{BIG}", f"/v1/appeals/{BIG}/ruling", f"/v1/rules/drafts/{INT32_PAST}/backtest",
    "/v1/calls?to=0.5", "/v1/calls?from=1700000000", "/v1/reports/calls?from=2026-10-01&to=0.5",
])
def test_out_of_range_numbers_and_numeric_dates_are_422(client: TestClient, keys: Keys, path: str) -> None:
    method = "GET" if "/v1/calls" in path or "/v1/audit" in path or path.startswith(
        ("/v1/reports", "/v1/review/calibrations")) else "POST"
    body = {"verdict": "confirm", "ruling": "uphold", "reason": "x", "comment": "x"}
    err = _error(client.request(method, path, headers=auth(keys.admin), json=body), 422)
    assert err["code"] == "invalid_input"


@pytest.mark.parametrize("path", [
    "/v1/calls?agent=A1%00", "/v1/calls/abc%00def", "/v1/search?q=%E5%AD%98%00", "/v1/calls/abc%00def/result",
])
def test_nul_in_path_or_query_is_422(client: TestClient, keys: Keys, path: str) -> None:
    err = _error(client.get(path, headers=auth(keys.admin)), 422)
    assert "NUL" in err["message"]


def test_nul_or_non_finite_in_a_transcript_stores_nothing(client: TestClient, keys: Keys, db: Session) -> None:
    doc = transcript_doc()
    doc["turns"][0]["text"] = "您好\u0000"
    err = _error(client.post("/v1/calls/transcript", json=doc, headers=auth(keys.admin)), 422)
    assert "turns.0.text" in err["message"] and "NUL" in err["message"]
    for literal, status in [("1e309", 422), ("Infinity", 400), ("NaN", 400), ("-Infinity", 400)]:
        raw = json.dumps(transcript_doc(), ensure_ascii=False)
        raw = raw.replace('"text": "好的谢谢"', f'"text": "好的谢谢", "end": {literal}')
        assert literal in raw
        err = _error(client.post("/v1/calls/transcript", content=raw,
                                 headers={**auth(keys.admin), "Content-Type": "application/json"}), status)
        assert ("finite" in err["message"]) if status == 422 else ("not JSON" in err["message"])
    assert _calls(db) == 0


def test_nul_reaching_a_json_column_is_422(client: TestClient, keys: Keys, db: Session) -> None:
    """Rule test / backtest bodies and call metadata end up in JSON columns."""
    body = {"yaml": "id: x\x00", "transcript": transcript_doc()}
    err = _error(client.post("/v1/rules/test", json=body, headers=auth(keys.admin)), 422)
    assert err["details"][0]["field"] == "yaml"
    doc = transcript_doc(note={"k": ["ok", "bad\x00"]})
    err = _error(client.post("/v1/calls/transcript", json=doc, headers=auth(keys.admin)), 422)
    assert "meta.note.k.1" in err["message"]
    assert _calls(db) == 0


def test_oversize_json_is_413_before_parsing(client: TestClient, keys: Keys, db: Session) -> None:
    doc = transcript_doc()
    doc["turns"] = [{"speaker": "agent", "text": "您好" * 5000}] * (3 * 1024 * 1024 // 30000 + 1)
    raw = json.dumps(doc, ensure_ascii=False).encode()
    assert len(raw) > settings.max_json_kb * 1024
    err = _error(client.post("/v1/calls/transcript", content=raw,
                             headers={**auth(keys.admin), "Content-Type": "application/json"}), 413)
    assert err["code"] == "payload_too_large"
    assert _calls(db) == 0


def _multipart(boundary: str, fields: dict[str, str], filename: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
    for name, value in fields.items():
        yield (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n').encode()
    yield (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
           "Content-Type: application/octet-stream\r\n\r\n").encode()
    yield from chunks
    yield f"\r\n--{boundary}--\r\n".encode()


def test_streamed_upload_over_the_limit_is_413(client: TestClient, keys: Keys, db: Session) -> None:
    """No Content-Length (chunked): the limit trips while the body streams in."""
    before = set(settings.audio_dir.glob("*")) if settings.audio_dir.exists() else set()
    block = os.urandom(1024 * 1024)
    body = _multipart("xYz", {"branch": "城东支行"}, "big.wav", iter([block] * (settings.max_upload_mb + 3)))
    r = client.post("/v1/calls", content=body,
                    headers={**auth(keys.admin), "Content-Type": "multipart/form-data; boundary=xYz"})
    err = _error(r, 413)
    assert err["code"] == "payload_too_large"
    assert _calls(db) == 0
    assert (set(settings.audio_dir.glob("*")) if settings.audio_dir.exists() else set()) == before


def test_nul_in_a_form_field_and_a_long_extension(client: TestClient, keys: Keys, db: Session,
                                                  tmp_path: Path) -> None:
    audio = write_wav(tmp_path / "s.wav", [silence(1.0)]).read_bytes()
    r = client.post("/v1/calls", files={"file": ("s.wav", audio, "audio/wav")},
                    data={"branch": "城东支行", "agent": "A1\x00"}, headers=auth(keys.admin))
    assert "NUL" in _error(r, 422)["message"]
    name = "call." + "x" * 300
    r = client.post("/v1/calls", files={"file": (name, b"not audio" * 50, "audio/wav")},
                    data={"branch": "城东支行"}, headers=auth(keys.admin))
    assert _error(r, 415)["code"] == "unreadable_audio"
    # A NUL in the part's file name (raw, as a hostile client sends it) is dropped, not used in a path.
    raw = b"".join(_multipart("b0", {"branch": "城东支行"}, "a\x00b.wav", iter([b"not audio" * 50])))
    r = client.post("/v1/calls", content=raw,
                    headers={**auth(keys.admin), "Content-Type": "multipart/form-data; boundary=b0"})
    assert "\x00" not in _error(r, 415)["message"]
    assert _calls(db) == 0


def test_405_names_every_allowed_method(client: TestClient, keys: Keys) -> None:
    # (DELETE would be a full match: DELETE /v1/calls/{call_id} deletes a call.)
    r = client.request("PUT", "/v1/calls/transcript", headers=auth(keys.admin))
    _error(r, 405)
    assert r.headers["allow"] == "POST"  # the template's methods, though /v1/calls/{call_id} would match
    r = client.request("PATCH", "/v1/calls", headers=auth(keys.admin))
    _error(r, 405)
    assert {m.strip() for m in r.headers["allow"].split(",")} >= {"GET", "POST"}


def test_an_unexpected_fault_is_a_json_500_and_does_not_escape() -> None:
    """The shield on a minimal app with a failing route: the exception stops there, so
    a server (uvicorn) keeps the connection and the client gets the error shape."""
    app = FastAPI()

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("/srv/callsight/var/secret-path")

    app.add_middleware(ErrorShield)
    with TestClient(app, raise_server_exceptions=True) as c:
        r = c.get("/boom")
    err = _error(r, 500)
    assert err["code"] == "internal_error" and "/srv" not in r.text


def test_orphaned_upload_temp_files_are_swept_at_startup(db: Session) -> None:
    from api.app import app

    settings.audio_dir.mkdir(parents=True, exist_ok=True)
    old = settings.audio_dir / "upload-orphan.wav"
    fresh = settings.audio_dir / "upload-inprogress.wav"
    for p in (old, fresh):
        p.write_bytes(b"partial")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    try:
        with TestClient(app):
            pass
        assert not old.exists() and fresh.exists()
    finally:
        fresh.unlink(missing_ok=True)

"""The length limit holds against what the audio really holds, not what its header
claims: probed from the packets at upload, and decoding stops once past the limit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from asr.audio import AudioTooLongError, iter_chunks, probe
from callsight.config import settings
from callsight.db.models import Call
from callsight.schemas import parse_meta
from callsight.services.calls import create_audio_call
from tests.api.conftest import Keys
from tests.edge.flac import lying_flac
from tests.factories import auth


@pytest.fixture(scope="module")
def liar(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 s of audio under a header that says 60 s."""
    return lying_flac(tmp_path_factory.mktemp("flac") / "liar.flac", real_s=300, stated_s=60)


def test_the_header_really_lies(liar: Path) -> None:
    import av

    with av.open(str(liar)) as container:
        stream = container.streams.audio[0]
        assert stream.duration is not None and stream.time_base is not None
        assert float(stream.duration * stream.time_base) == pytest.approx(60.0)


def test_probe_measures_the_packets_not_the_header(liar: Path) -> None:
    assert probe(liar).duration_s == pytest.approx(300.0, abs=0.5)
    t0 = time.perf_counter()
    with pytest.raises(AudioTooLongError, match=r"header states 1\.0 min.*limit of 2 min"):
        probe(liar, max_duration_s=120)
    assert time.perf_counter() - t0 < 2.0  # demuxing stops at the limit, nothing is decoded


def test_decoding_stops_once_past_the_limit(liar: Path) -> None:
    offsets: list[float] = []
    with pytest.raises(AudioTooLongError, match=r"more than 2\.0 min"):
        for offset, _channels in iter_chunks(liar, chunk_s=30, max_duration_s=120):
            offsets.append(offset)
    assert offsets == [0.0, 30.0, 60.0]  # the chunk that crosses 120 s is never handed out
    chunks = list(iter_chunks(liar, chunk_s=100))  # no limit: all 300 s
    assert sum(len(c[0]) for _o, c in chunks) == pytest.approx(300 * 16000, rel=0.01)


def test_upload_of_the_lying_flac_is_refused(client: TestClient, keys: Keys, db: Session, liar: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "max_duration_s", 120.0)
    r = client.post("/v1/calls", files={"file": ("liar.flac", liar.read_bytes(), "audio/flac")},
                    data={"branch": "城东支行"}, headers=auth(keys.admin))
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "audio_too_long" and "liar.flac" in r.json()["error"]["message"]
    assert db.scalar(select(func.count()).select_from(Call)) == 0


def test_a_stored_call_gets_its_real_length_and_the_worker_refuses_it(
    db: Session, keys: Keys, liar: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workers.jobs import run_process_call

    upload = tmp_path / "upload.flac"
    upload.write_bytes(liar.read_bytes())
    call = create_audio_call(db, meta=parse_meta({"branch": "城东支行"}), upload_path=upload,
                             filename="liar.flac", audio_dir=settings.audio_dir, max_duration_s=400)
    db.commit()
    assert call.duration_s == pytest.approx(300.0, abs=0.5)  # not the 60 s the header states
    # The limit is lowered after the upload (a deployment's new policy): the worker refuses the call.
    monkeypatch.setattr(settings, "max_duration_s", 120.0)
    assert run_process_call(call.id) == "failed"
    db.expire_all()
    stored = db.get(Call, call.id)
    assert stored is not None and stored.status == "failed" and stored.error_code == "audio_too_long"
    assert "limit of 2 min" in (stored.error or "")


def test_unreadable_audio_message_names_no_server_path(client: TestClient, keys: Keys) -> None:
    r = client.post("/v1/calls", files={"file": ("call.wav", b"RIFF" + b"\x00" * 200, "audio/wav")},
                    data={"branch": "城东支行"}, headers=auth(keys.admin))
    assert r.status_code == 415, r.text
    message = r.json()["error"]["message"]
    assert "call.wav" in message
    assert str(settings.data_dir) not in message and "upload-" not in message and "/" not in message, message

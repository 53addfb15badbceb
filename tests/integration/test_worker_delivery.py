"""Calls through the real stack: API (uvicorn) -> Redis -> Celery worker -> PostgreSQL,
with real ASR. A worker killed mid-call and a Redis restart lose no call and
complete each exactly once."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select, text

from callsight.db.models import Call, CallEvent, SegmentRow
from tests.audio_helpers import write_wav
from tests.conftest import SAMPLE_CALLS
from tests.factories import transcript_doc
from tests.integration.conftest import Stack, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.asr]

def long_call(path: Path, seconds: float = 60.0, rate: int = 8000) -> Path:
    """A two-channel 8 kHz call of ``seconds``: the bundled sample calls (real recordings
    of a scripted bank call, in the repository) laid end to end, so the test never
    depends on data outside the repository."""
    from asr.audio import load_channels

    out = [np.zeros(int(seconds * rate), np.float32) for _ in range(2)]
    pos = 0
    for sample in sorted(SAMPLE_CALLS.glob("*.opus")):
        agent, customer = load_channels(sample, sample_rate=rate)[:2]
        take = min(len(agent), len(out[0]) - pos)
        if take <= 0:
            break
        out[0][pos : pos + take] = agent[:take]
        out[1][pos : pos + take] = customer[:take]
        pos += take
    return write_wav(path, out, rate)


def upload(stack: Stack, path: Path) -> str:
    with stack.client() as c, path.open("rb") as fh:
        r = c.post("/v1/calls", files={"file": (path.name, fh, "audio/wav")},
                   data={"branch": "城东支行", "agent": "A1023", "direction": "inbound"})
    assert r.status_code == 202, r.text
    return str(r.json()["id"])


def status_of(stack: Stack, call_id: str) -> dict[str, object]:
    with stack.client() as c:
        return dict(c.get(f"/v1/calls/{call_id}").json())


def done_events(stack: Stack, call_id: str) -> int:
    with stack.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(CallEvent)
                               .where(CallEvent.call_id == call_id, CallEvent.kind == "done")) or 0)


def segment_count(stack: Stack, call_id: str) -> int:
    with stack.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(SegmentRow).where(SegmentRow.call_id == call_id)) or 0)


def test_call_goes_through_worker_on_postgres(stack: Stack, tmp_path: Path) -> None:
    worker = stack.start_worker()
    call_id = upload(stack, long_call(tmp_path / "short.wav", seconds=15))
    wait_for(lambda: status_of(stack, call_id)["status"] == "done", 120,
             f"the call to finish; worker log:\n{stack.worker_log()}")
    with stack.client() as c:
        segs = c.get(f"/v1/calls/{call_id}/transcript").json()["segments"]
        hits = c.get("/v1/search", params={"q": "银行"}).json()["hits"]
    assert {s["speaker"] for s in segs} == {"agent", "customer"}
    # The agent's greeting (您好 or, as Whisper base often hears it, 你好) and the bank's name.
    assert any("您好" in s["text"] or "你好" in s["text"] for s in segs), segs
    assert any("银行" in s["text"] for s in segs), segs
    assert any(h["call_id"] == call_id for h in hits)
    stack.kill_worker(worker)


def test_worker_killed_mid_call_is_redelivered_and_completes_once(stack: Stack, tmp_path: Path) -> None:
    worker = stack.start_worker()
    call_id = upload(stack, long_call(tmp_path / "long.wav", seconds=90))
    wait_for(lambda: status_of(stack, call_id)["status"] == "transcribing", 60, "transcription to start")
    time.sleep(1.0)
    stack.kill_worker(worker)  # SIGKILL: no chance to ack, reject or clean up
    assert status_of(stack, call_id)["status"] == "transcribing"
    stack.start_worker()
    wait_for(lambda: status_of(stack, call_id)["status"] == "done", 240,
             f"the redelivered call to finish; worker log:\n{stack.worker_log()}")
    final = status_of(stack, call_id)
    assert final["attempts"] == 2
    assert done_events(stack, call_id) == 1
    with stack.engine.connect() as conn:
        idx = conn.scalars(select(SegmentRow.idx).where(SegmentRow.call_id == call_id)).all()
    assert sorted(idx) == list(range(len(idx))) and idx, "segments stored once, numbered 0..n-1"
    time.sleep(8)  # past the visibility timeout: no further delivery may run it again
    assert done_events(stack, call_id) == 1
    for w in stack.workers:
        if w.poll() is None:
            stack.kill_worker(w)


def test_redis_restart_with_queued_calls_loses_none(stack: Stack) -> None:
    # No worker running: the calls wait in Redis.
    ids = []
    with stack.client() as c:
        for agent in ("A1", "A2", "A3"):
            r = c.post("/v1/calls/transcript", json=transcript_doc(agent=agent))
            assert r.status_code == 202, r.text
            ids.append(r.json()["id"])
    assert all(status_of(stack, i)["status"] == "queued" for i in ids)
    stack.redis.stop()  # this Redis keeps nothing on disk: the queue is gone
    stack.redis.start()
    time.sleep(2.5)  # older than CALLSIGHT_REQUEUE_AFTER_S
    worker = stack.start_worker()
    wait_for(lambda: all(status_of(stack, i)["status"] == "done" for i in ids), 120,
             f"all queued calls to finish after the Redis restart; worker log:\n{stack.worker_log()}")
    for i in ids:
        assert done_events(stack, i) == 1
        assert segment_count(stack, i) == len(transcript_doc()["turns"])
    with stack.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Call)) >= 3
    # What the worker derived from each call landed in PostgreSQL exactly once too:
    # the findings for review, the client tags of the customer, the facts for reports.
    with stack.client() as c:
        findings = c.get(f"/v1/calls/{ids[0]}/findings").json()["findings"]
        tags = c.get("/v1/customers/C20231/tags").json()["tags"]
    assert {f["rule"] for f in findings} >= {"greeting", "risk_disclosure", "forbidden_promise"}
    assert len({f["rule"] for f in findings}) == len(findings)
    assert tags, "the customer's profile was updated from the calls"
    with stack.engine.connect() as conn:
        facts = conn.execute(text("SELECT count(*) FROM call_facts WHERE call_id = ANY(:ids)"), {"ids": ids}).scalar()
    assert facts == len(ids)
    stack.kill_worker(worker)

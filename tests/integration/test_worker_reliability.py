"""Issue 15, "no call stuck", through the real parts: `callsight worker --beat` (Celery
prefork, Redis) on PostgreSQL, pool children SIGKILLed while they transcribe, a soft
time limit and a database error inside the worker. Every call must end done (once)
or failed with a reason."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import redis
from celery import Celery
from sqlalchemy import func, select, update

from callsight.db.models import Call, CallEvent
from tests.conftest import REPO
from tests.integration.conftest import BIN, Stack, wait_for
from tests.integration.test_worker_delivery import done_events, long_call, status_of, upload

pytestmark = [pytest.mark.integration, pytest.mark.asr]
FINAL = ("done", "failed")


def calls_of(stack: Stack, ids: list[str]) -> dict[str, Call]:
    with stack.engine.connect() as conn:
        rows = conn.execute(select(Call).where(Call.id.in_(ids))).all()
    return {r.id: r for r in rows}  # type: ignore[misc]


def events(stack: Stack, call_id: str, kind: str) -> int:
    with stack.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(CallEvent)
                               .where(CallEvent.call_id == call_id, CallEvent.kind == kind)) or 0)


def transcribing_child(stack: Stack, ids: list[str], worker_pid: int, skip: set[int]) -> tuple[str, int] | None:
    """A call being transcribed right now, and the pid of the pool child holding its claim."""
    for cid, row in calls_of(stack, ids).items():
        if row.status == "transcribing" and row.claimed_by:
            pid = int(row.claimed_by.rsplit(":", 1)[1])
            if pid != worker_pid and pid not in skip:
                return cid, pid
    return None


def kill_children_while_transcribing(stack: Stack, ids: list[str], worker_pid: int, kills: int,
                                     timeout: float = 240) -> list[tuple[str, int]]:
    killed: list[tuple[str, int]] = []
    deadline = time.monotonic() + timeout
    while len(killed) < kills and time.monotonic() < deadline:
        got = transcribing_child(stack, ids, worker_pid, {pid for _, pid in killed})
        if got is None:
            time.sleep(0.2)
            continue
        time.sleep(0.5)  # well inside the transcription
        os.kill(got[1], signal.SIGKILL)
        killed.append(got)
    assert len(killed) == kills, f"only {len(killed)} kill(s); worker log:\n{stack.worker_log()}"
    return killed


def test_children_killed_mid_transcription_every_call_done_once(stack: Stack, tmp_path: Path) -> None:
    worker = stack.start_worker(concurrency=2, beat=True)
    ids = [upload(stack, long_call(tmp_path / f"c{i}.wav", seconds=8)) for i in range(3)]
    # Kill the child transcribing a call, then the child that replaced it (or its sibling)
    # while it transcribes another: the replacement is forked from the worker's main process.
    killed = kill_children_while_transcribing(stack, ids, worker.pid, kills=2)
    wait_for(lambda: all(status_of(stack, i)["status"] in FINAL for i in ids), 300,
             f"every call to finish; worker log:\n{stack.worker_log()}")
    rows = calls_of(stack, ids)
    assert {i: r.status for i, r in rows.items()} == dict.fromkeys(ids, "done"), stack.worker_log()
    for cid, row in rows.items():
        assert events(stack, cid, "done") == 1, f"call {cid} stored more than once"
        assert events(stack, cid, "started") == row.attempts, "each attempt is one claim"
        assert row.claim_token is None and row.lease_until is None
    for cid, _pid in killed:
        assert rows[cid].attempts >= 2, f"killed call {cid} was re-run"
    log = stack.worker_log()
    assert "DuplicatePreparedStatement" not in log
    assert "lost its claim" not in log, "two attempts of one call ran at the same time"
    stack.kill_worker(worker)


def test_backlog_gets_no_duplicate_messages(stack: Stack) -> None:
    """Calls only waiting behind a backlog (no worker yet) are not re-enqueued by the
    sweeper (`callsight requeue`), nor by repeated reprocess requests."""
    from tests.factories import transcript_doc

    with stack.client() as c:
        ids = []
        for agent in ("B1", "B2", "B3"):
            r = c.post("/v1/calls/transcript", json=transcript_doc(agent=agent))
            assert r.status_code == 202, r.text
            ids.append(str(r.json()["id"]))
        time.sleep(2.5)  # older than CALLSIGHT_REQUEUE_AFTER_S: the old sweeper re-enqueued them all
        for _ in range(3):
            assert c.post(f"/v1/calls/{ids[0]}/reprocess").status_code == 202
    client = redis.Redis.from_url(stack.redis.url)
    before = client.llen("callsight")
    out = subprocess.run([str(BIN / "callsight"), "requeue"], env=stack.env, cwd=REPO, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert "re-enqueued 0 call(s)" in out, out
    assert client.llen("callsight") == before == len(ids)
    stack.redis.stop()  # the queue is lost: now the sweeper must re-enqueue every one
    stack.redis.start()
    out = subprocess.run([str(BIN / "callsight"), "requeue", "--older-than", "0"], env=stack.env, cwd=REPO,
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert f"re-enqueued {len(ids)} call(s)" in out, out
    client = redis.Redis.from_url(stack.redis.url)
    assert client.llen("callsight") == len(ids)
    client.delete("callsight")  # leave the next test an empty queue
    client.close()


def test_time_limits_and_a_bad_stored_transcript_fail_the_call_with_a_reason(stack: Stack, tmp_path: Path) -> None:
    # No worker yet: the calls wait in Redis.
    slow = upload(stack, long_call(tmp_path / "slow.wav", seconds=20))
    hard = upload(stack, long_call(tmp_path / "hard.wav", seconds=20))
    with stack.client() as c:
        from tests.factories import transcript_doc

        r = c.post("/v1/calls/transcript", json=transcript_doc(agent="A7"))
        assert r.status_code == 202, r.text
        bad = str(r.json()["id"])
    # A NUL in a turn (the API refuses them now; a worker must still end such a call: the
    # transcript schema refuses it before it reaches a PostgreSQL text column).
    with stack.engine.begin() as conn:
        doc = conn.scalar(select(Call.transcript_input).where(Call.id == bad))
        doc["turns"][0]["text"] = "您好\u0000请问"
        conn.execute(update(Call).where(Call.id == bad).values(transcript_input=doc))
    # The audio calls' messages again with a 1 s soft time limit, and a 2 s hard one alone
    # (the pool kills the child; the worker's main process fails the call).
    client = redis.Redis.from_url(stack.redis.url)
    for raw in client.lrange("callsight", 0, -1):
        if slow.encode() in raw or hard.encode() in raw:
            client.lrem("callsight", 1, raw)
    client.close()
    sender = Celery(broker=stack.redis.url)
    sender.send_task("callsight.process_call", args=[slow], queue="callsight", soft_time_limit=1, time_limit=120)
    sender.send_task("callsight.process_call", args=[hard], queue="callsight", time_limit=2)
    worker = stack.start_worker()
    wait_for(lambda: all(status_of(stack, i)["status"] in FINAL for i in (slow, bad, hard)), 180,
             f"the calls to end; worker log:\n{stack.worker_log()}")
    s, b, h = status_of(stack, slow), status_of(stack, bad), status_of(stack, hard)
    assert (s["status"], s["error_code"]) == ("failed", "time_limit"), s
    assert (h["status"], h["error_code"]) == ("failed", "time_limit"), h
    assert "hard time limit" in str(h["error"])
    assert (b["status"], b["error_code"]) == ("failed", "invalid_transcript"), b
    assert "NUL" in str(b["error"]) and "您好" not in str(b["error"])
    assert done_events(stack, slow) == 0 and events(stack, bad, "failed") == 1
    stack.kill_worker(worker)

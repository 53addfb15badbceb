"""Claims, leases and failure reasons on SQLite and PostgreSQL, through the real job
runner and services (issue 15: every call ends done or failed with a reason, once)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callsight.config import settings
from callsight.db.models import Call, CallEvent, SegmentRow, utcnow
from callsight.dispatch import requeue_stale
from callsight.services import claims, processing
from callsight.services.calls import record_event
from tests.factories import auth, make_branch, make_transcript_call, make_user
from workers.jobs import describe_failure, run_process_call


def _call(db: Session) -> Call:
    make_branch(db)
    call = make_transcript_call(db)
    db.commit()  # releases the savepoint: visible to the runner's sessions on the same connection
    return call


def _fresh(db: Session, call_id: str) -> Call:
    db.expire_all()
    call = db.get(Call, call_id)
    assert call is not None
    return call


def _events(db: Session, call_id: str, kind: str) -> int:
    return int(db.scalar(select(func.count()).select_from(CallEvent)
                         .where(CallEvent.call_id == call_id, CallEvent.kind == kind)) or 0)


def _expire_lease(db: Session, call_id: str) -> None:
    call = _fresh(db, call_id)
    call.lease_until = utcnow() - timedelta(seconds=1)
    db.commit()


def test_second_claim_waits_for_the_lease_and_fences_the_first(db: Session) -> None:
    call = _call(db)
    first = claims.claim(db, call.id, "host-a:1")
    assert first is not None and first.attempt == 1
    assert claims.claim(db, call.id, "host-b:2") is None, "a live lease keeps the call with its holder"
    _expire_lease(db, call.id)  # host-a died: no heartbeat renewed it
    second = claims.claim(db, call.id, "host-b:2")
    assert second is not None and second.attempt == 2 and second.token != first.token
    row = _fresh(db, call.id)
    assert (row.claimed_by, row.tries, row.status) == ("host-b:2", 2, "analysing")
    # The first attempt comes back to life: none of its writes may land.
    assert not claims.renew(db, call.id, first.token)
    with pytest.raises(claims.ClaimLost):
        processing.set_progress(db, call.id, processing.CallStatus.analysing, 0.8, token=first.token)
    assert not processing.mark_failed(db, call.id, "internal_error", "late", token=first.token)
    assert claims.renew(db, call.id, second.token)


def test_stale_attempt_cannot_store_its_result(db: Session) -> None:
    call = _call(db)
    stale = claims.claim(db, call.id, "host-a:1")
    assert stale is not None
    db.commit()
    _expire_lease(db, call.id)
    assert run_process_call(call.id) == "done"  # the re-run claims and finishes
    with pytest.raises(claims.ClaimLost):
        processing.store_result(db, call.id, _transcript(), {"version": "x"}, token=stale.token)
    db.rollback()
    row = _fresh(db, call.id)
    assert row.status == "done" and row.attempts == 2 and row.claim_token is None
    assert _events(db, call.id, "done") == 1


def _transcript() -> Any:
    from callsight.schemas import parse_transcript_doc, transcript_from_doc
    from tests.factories import transcript_doc

    return transcript_from_doc(parse_transcript_doc(transcript_doc()))


def test_done_call_and_live_claim_are_not_run_again(db: Session) -> None:
    call = _call(db)
    assert run_process_call(call.id) == "done"
    assert run_process_call(call.id) == "skipped"  # a redelivered message after completion
    assert _fresh(db, call.id).attempts == 1
    other = _call_in(db)
    assert claims.claim(db, other.id, "host-a:1") is not None
    db.commit()
    assert run_process_call(other.id) == "busy"
    assert _fresh(db, other.id).attempts == 1


def _call_in(db: Session) -> Call:
    call = make_transcript_call(db, agent="A2000")
    db.commit()
    return call


def test_attempts_are_bounded_then_failed_with_a_reason(db: Session) -> None:
    call = _call(db)
    for _ in range(settings.max_attempts):
        assert claims.claim(db, call.id, "host-a:1") is not None  # each attempt then dies
        db.commit()
        _expire_lease(db, call.id)
    assert run_process_call(call.id) == "skipped"
    row = _fresh(db, call.id)
    assert row.status == "failed" and row.error_code == "attempts_exhausted"
    assert row.error and f"{settings.max_attempts} attempt" in row.error
    assert row.claim_token is None and row.lease_until is None
    assert _events(db, call.id, "failed") == 1


def test_sweeper_reruns_a_call_whose_worker_died(db: Session) -> None:
    call = _call(db)
    assert claims.claim(db, call.id, "host-a:1") is not None  # worker SIGKILLed right after
    db.commit()
    assert requeue_stale() == 0, "a live lease is left alone"
    _expire_lease(db, call.id)
    assert requeue_stale() == 1  # embedded runner: the re-run happens inline
    row = _fresh(db, call.id)
    assert row.status == "done" and row.attempts == 2 and row.claim_token is None
    assert _events(db, call.id, "done") == 1


def test_a_nul_in_a_stored_transcript_fails_the_call_not_stuck(db: Session, db_engine: Any) -> None:
    call = _call(db)
    # A NUL in a turn, as the operator sent it (the API refuses these now; a worker
    # must still end such a call). Since the edge work the transcript schema refuses NUL
    # before anything reaches the database, on PostgreSQL (whose text columns would refuse
    # it: a database error) and SQLite alike.
    doc = dict(call.transcript_input or {})
    doc["turns"] = [{"speaker": "agent", "text": "您好\u0000请问"}, *doc["turns"][1:]]
    row = _fresh(db, call.id)
    row.transcript_input = doc
    db.commit()
    status = run_process_call(call.id)
    row = _fresh(db, call.id)
    assert status == "failed" and row.status == "failed" and row.error_code == "invalid_transcript"
    assert row.error and "NUL" in row.error and "您好" not in row.error  # no transcript text in the reason
    assert db.scalar(select(func.count()).select_from(SegmentRow).where(SegmentRow.call_id == call.id)) == 0
    assert row.claim_token is None and row.lease_until is None


def test_failure_reasons() -> None:
    assert describe_failure(SoftTimeLimitExceeded())[0] == "time_limit"
    from asr.audio import AudioError

    assert describe_failure(AudioError("no audio stream", code="no_audio")) == ("no_audio", "no audio stream")
    code, reason = describe_failure(KeyError("x"))
    assert code == "internal_error" and "KeyError" in reason


def test_reprocess_takes_back_a_stuck_call_and_adds_no_duplicate(db: Session, client: TestClient) -> None:
    make_branch(db)
    key = make_user(db, "admin", name="rel-admin")
    call = make_transcript_call(db)
    got = claims.claim(db, call.id, "host-a:1")
    assert got is not None
    db.commit()
    r = client.post(f"/v1/calls/{call.id}/reprocess", headers=auth(key))
    assert r.status_code == 409 and r.json()["error"]["code"] == "busy"
    _expire_lease(db, call.id)  # its worker died: stuck in 'analysing' past the lease
    r = client.post(f"/v1/calls/{call.id}/reprocess", headers=auth(key))
    assert r.status_code == 202, r.text
    row = _fresh(db, call.id)
    assert row.status == "done" and row.attempts == 2 and row.tries == 1
    # A call already waiting in the queue gets no second message.
    row.status, row.enqueued_at = "queued", utcnow()
    record_event(db, row.id, "queued")
    db.commit()
    assert processing.reprocess(db, row) is False


@pytest.fixture
def client(db: Session) -> Any:
    from api.app import app

    with TestClient(app) as c:
        yield c


def test_embedded_server_restart_takes_back_its_own_running_calls(db: Session) -> None:
    # `callsight serve` (embedded) died mid-call: at start no other process can hold a claim.
    call = _call(db)
    assert claims.claim(db, call.id, "host-a:1") is not None
    spent = _call_in(db)
    for _ in range(settings.max_attempts):
        assert claims.claim(db, spent.id, "host-a:1") is not None
        db.commit()
        if _ < settings.max_attempts - 1:
            _expire_lease(db, spent.id)
    db.commit()
    assert requeue_stale(older_than_s=0, abandon_live_claims=True) == 1
    assert _fresh(db, call.id).status == "done"
    row = _fresh(db, spent.id)
    assert row.status == "failed" and row.error_code == "attempts_exhausted"

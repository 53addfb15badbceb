"""Hand a call to whoever processes calls: the Celery broker when one is configured,
else a background thread in this process (the embedded default). Always called
after the call's row is committed, so a worker never looks for a row not yet there."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import select

from callsight.config import settings
from callsight.db.models import Call, CallStatus, utcnow
from callsight.db.session import session_scope

log = logging.getLogger(__name__)

_local: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _local
    if _local is None:
        # One thread: the model is CPU-bound and loaded once; calls queue behind each other.
        _local = ThreadPoolExecutor(max_workers=1, thread_name_prefix="callsight-job")
    return _local


def time_limit_for(duration_s: float | None) -> int:
    minutes = (duration_s or 0.0) / 60.0
    return int(max(settings.task_min_time_limit_s, minutes * settings.task_seconds_per_audio_minute))


def enqueue(call_id: str, duration_s: float | None = None) -> Future[str] | None:
    if settings.embedded:
        from workers.jobs import run_process_call

        if settings.embedded_runner == "inline":
            fut: Future[str] = Future()
            fut.set_result(_run_logged(run_process_call, call_id))
            return fut
        return _executor().submit(_run_logged, run_process_call, call_id)
    from kombu.exceptions import OperationalError

    from workers.tasks import process_call

    limit = time_limit_for(duration_s)
    try:
        process_call.apply_async(
            args=[call_id], soft_time_limit=limit, time_limit=limit + settings.task_hard_limit_grace_s,
            retry=True, retry_policy={"max_retries": 3, "interval_start": 0, "interval_step": 0.5},
        )
    except OperationalError:
        # The call is committed as 'queued'; the sweeper enqueues it once the broker is back.
        log.warning("broker unreachable; call %s stays queued for the sweeper", call_id)
    return None


def _run_logged(fn, call_id: str) -> str:  # type: ignore[no-untyped-def]
    try:
        return str(fn(call_id))
    except Exception:
        log.exception("call %s failed in the embedded runner", call_id)
        from workers.jobs import fail_call

        fail_call(call_id, "internal_error", "processing failed unexpectedly; see the server log")
        return CallStatus.failed.value


def requeue_stale(older_than_s: float | None = None, *, abandon_live_claims: bool = False) -> int:
    """The sweeper. Re-enqueue calls still 'queued' after ``older_than_s`` whose message
    is not waiting in the broker (it was lost), and calls whose attempt's lease ran out
    (its worker died); a call out of attempts is failed with the reason instead.
    ``abandon_live_claims``: treat every running call as abandoned (the embedded server
    at start, where no other process can be working on one)."""
    from callsight.services import claims

    age = settings.requeue_after_s if older_than_s is None else older_than_s
    now = utcnow()
    cutoff = now - timedelta(seconds=age)
    # A lease "expires" at the end of time for a server that knows no one else runs calls.
    as_of = now + timedelta(days=36500) if abandon_live_claims else now
    waiting = _waiting_in_broker()
    todo: list[tuple[str, float | None]] = []
    with session_scope() as session:
        for c in claims.expired(session, as_of):
            if claims.recover(session, c, as_of):
                todo.append((c.id, c.duration_s))
                log.warning("call %s: attempt by %s stopped without finishing; re-running it", c.id, c.claimed_by)
        queued = session.scalars(
            select(Call).where(Call.status == CallStatus.queued.value, Call.enqueued_at <= cutoff)
        ).all()
        for c in queued:
            if c.id in waiting:
                continue  # only waiting in a backlog: another message would run it twice over
            c.enqueued_at = now
            todo.append((c.id, c.duration_s))
        session.commit()
    for call_id, duration in todo:
        enqueue(call_id, duration)
    return len(todo)


def _waiting_in_broker() -> set[str]:
    if settings.embedded:
        return set()
    from workers.queue_probe import waiting_call_ids

    return waiting_call_ids()


def message_waiting(call_id: str) -> bool:
    """Whether the broker holds a message for the call in its queue (Redis only)."""
    return call_id in _waiting_in_broker()

"""Hand a call to whoever processes calls: the Celery broker when one is configured,
else a background thread in this process (the embedded default). Always called
after the call's row is committed, so a worker never looks for a row not yet there."""

from __future__ import annotations

import logging
from collections.abc import Sequence
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
            args=[call_id], soft_time_limit=limit, time_limit=limit + 60,
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


def requeue_stale(
    older_than_s: float | None = None, statuses: Sequence[str] = ("queued",)
) -> int:
    """Re-enqueue calls still waiting after ``older_than_s`` (their message was lost)."""
    age = settings.requeue_after_s if older_than_s is None else older_than_s
    cutoff = utcnow() - timedelta(seconds=age)
    with session_scope() as session:
        calls = session.scalars(
            select(Call).where(Call.status.in_(list(statuses)), Call.enqueued_at <= cutoff)
        ).all()
        todo = [(c.id, c.duration_s) for c in calls]
        for c in calls:
            c.enqueued_at = utcnow()
        session.commit()
    for call_id, duration in todo:
        enqueue(call_id, duration)
    return len(todo)

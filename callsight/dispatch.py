"""Hand a call to whoever processes calls: the Celery broker when one is configured,
else a background thread in this process (the embedded default). Always called
after the call's row is committed, so a worker never looks for a row not yet there.

This is the seam between callsight and workers/ (which imports callsight, never the
other way): with a broker, work is enqueued by task name (callsight/queue.py); the
embedded runner calls the job functions workers/jobs.py hands to ``provide`` when it
is imported. ``jobs()`` has Celery import the configured task modules if nobody has yet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from callsight.config import settings
from callsight.db.models import Call, CallStatus, utcnow
from callsight.db.session import session_scope
from callsight.queue import PROCESS_CALL, celery_app

log = logging.getLogger(__name__)

_local: ThreadPoolExecutor | None = None


@dataclass(frozen=True, slots=True)
class Jobs:
    """The jobs the embedded runner runs in this process (workers/jobs.py, workers/report_jobs.py)."""

    process_call: Callable[[str], str]  # call id -> final status
    fail_call: Callable[[str, str, str], None]  # call id, code, reason
    run_reports: Callable[[str, list[int], bool], None]  # period key, branch ids, firm summary too


_jobs: Jobs | None = None


def provide(jobs: Jobs) -> None:
    global _jobs
    _jobs = jobs


def jobs() -> Jobs:
    if _jobs is None:
        # What a worker does at start: import the task modules the Celery app names;
        # workers/jobs.py calls provide() as it is imported.
        celery_app.loader.import_default_modules()
    if _jobs is None:
        raise RuntimeError("no job functions were provided: workers/jobs.py was not imported")
    return _jobs


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
        run = jobs()
        if settings.embedded_runner == "inline":
            fut: Future[str] = Future()
            fut.set_result(_run_logged(run, call_id))
            return fut
        return _executor().submit(_run_logged, run, call_id)
    from kombu.exceptions import OperationalError

    limit = time_limit_for(duration_s)
    try:
        celery_app.send_task(
            PROCESS_CALL, args=[call_id], soft_time_limit=limit, time_limit=limit + settings.task_hard_limit_grace_s,
            retry=True, retry_policy={"max_retries": 3, "interval_start": 0, "interval_step": 0.5},
        )
    except OperationalError:
        # The call is committed as 'queued'; the sweeper enqueues it once the broker is back.
        log.warning("broker unreachable; call %s stays queued for the sweeper", call_id)
    return None


def _run_logged(run: Jobs, call_id: str) -> str:
    try:
        return str(run.process_call(call_id))
    except Exception:
        log.exception("call %s failed in the embedded runner", call_id)
        run.fail_call(call_id, "internal_error", "processing failed unexpectedly; see the server log")
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
    from callsight.queue_probe import waiting_call_ids

    return waiting_call_ids()


def message_waiting(call_id: str) -> bool:
    """Whether the broker holds a message for the call in its queue (Redis only)."""
    return call_id in _waiting_in_broker()

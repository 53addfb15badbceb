"""Celery tasks: thin wrappers that take a call id and run the shared job."""

from __future__ import annotations

from typing import Any

from billiard.einfo import ExceptionInfo
from celery import Task
from celery.exceptions import TimeLimitExceeded

from callsight.config import settings
from callsight.queue import PROCESS_CALL, REQUEUE_STALE
from workers.celery_app import celery_app
from workers.jobs import BUSY, TRANSIENT, fail_call, run_process_call


class CallTask(Task):
    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: ExceptionInfo) -> None:
        # The hard time limit killed the attempt's process; this runs in the worker's main process.
        if isinstance(exc, TimeLimitExceeded) and args:
            fail_call(str(args[0]), "time_limit", "processing was stopped at the hard time limit")


@celery_app.task(name=PROCESS_CALL, base=CallTask, bind=True, acks_late=True,
                 autoretry_for=TRANSIENT, retry_backoff=5, retry_backoff_max=300, max_retries=8)
def process_call(self: Task, call_id: str) -> str:
    try:
        outcome = run_process_call(call_id)
    except TRANSIENT:
        if self.request.retries >= (self.max_retries or 0):
            fail_call(call_id, "retries_exhausted", "database or broker unavailable; retries exhausted")
        raise
    if outcome == BUSY:  # a live attempt holds it (or a dead one, until its lease runs out): look again then
        raise self.retry(countdown=settings.lease_s)
    return outcome


@celery_app.task(name=REQUEUE_STALE, acks_late=True)
def requeue_stale_calls() -> int:
    from callsight.dispatch import requeue_stale

    return requeue_stale()

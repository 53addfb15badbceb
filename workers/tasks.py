"""Celery tasks: thin wrappers that take a call id and run the shared job."""

from __future__ import annotations

from celery import Task
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy.exc import OperationalError as DatabaseUnavailable

from workers.celery_app import celery_app
from workers.jobs import fail_call, run_process_call

# Only these are worth retrying: the database or broker was briefly unreachable.
TRANSIENT = (DatabaseUnavailable, BrokerError, ConnectionError, TimeoutError)


@celery_app.task(
    name="callsight.process_call",
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=8,
)
def process_call(self: Task, call_id: str) -> str:
    try:
        return run_process_call(call_id)
    except TRANSIENT:
        if self.request.retries >= (self.max_retries or 0):
            fail_call(call_id, "retries_exhausted", "database or broker unavailable; retries exhausted")
        raise


@celery_app.task(name="callsight.requeue_stale", acks_late=True)
def requeue_stale_calls() -> int:
    from callsight.dispatch import requeue_stale

    return requeue_stale()

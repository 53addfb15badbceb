"""The Celery application, configured from settings.

Delivery guarantees: tasks are acknowledged after they finish (``acks_late``), a
worker fetches one message at a time (prefetch 1), a message whose worker process
died is rejected back to the queue (``task_reject_on_worker_lost``), and one whose
whole worker vanished is redelivered by Redis after the visibility timeout. The
database, not the broker, is the source of truth: calls left 'queued' are re-enqueued
by the sweeper (at worker start and every minute under beat), so a broker that lost
its queue loses no call.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init, worker_ready

from callsight.config import settings

log = logging.getLogger(__name__)

celery_app = Celery(
    "callsight",
    broker=settings.broker_url or "memory://",
    include=["workers.tasks", "workers.tag_tasks", "workers.report_tasks", "workers.retention"],
)
celery_app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    worker_max_tasks_per_child=200,
    broker_connection_retry_on_startup=True,
    broker_transport_options={"visibility_timeout": settings.broker_visibility_timeout_s},
    task_default_queue="callsight",
    timezone="UTC",
    beat_schedule={
        "requeue-stale-calls": {"task": "callsight.requeue_stale", "schedule": 60.0},
        # Branch reports at each period start (09:00 Beijing): the month / ISO week just ended.
        "reports-monthly": {"task": "callsight.report_period", "schedule": crontab(minute=0, hour=1, day_of_month=1),
                            "args": ("month",)},
        "reports-weekly": {"task": "callsight.report_period", "schedule": crontab(minute=0, hour=1, day_of_week=1),
                           "args": ("week",)},
    },
)


@worker_process_init.connect
def _load_models(**_: Any) -> None:
    # Each pool process loads the model once, before its first task.
    from callsight import runtime

    runtime.asr_engine()
    runtime.analyzers()


@worker_ready.connect
def _recover_lost_calls(**_: Any) -> None:
    from callsight.dispatch import requeue_stale

    n = requeue_stale()
    if n:
        log.warning("re-enqueued %d queued call(s) found at worker start", n)

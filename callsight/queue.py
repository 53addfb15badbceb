"""The Celery application both sides share, and the names of the tasks on the queue.

callsight enqueues work by task NAME (``celery_app.send_task``) and never imports
workers/: workers/ implements those names and imports callsight, so the dependency
runs one way. A worker process finds the implementations through ``include`` (Celery
imports those modules by name when a worker or beat starts); the embedded runner finds
the plain job functions the same way (callsight.dispatch.jobs).

Delivery guarantees: tasks are acknowledged after they finish (``acks_late``), a
worker fetches one message at a time (prefetch 1), a message whose worker process
died is rejected back to the queue (``task_reject_on_worker_lost``), and one whose
whole worker vanished is redelivered by Redis after the visibility timeout. The
database, not the broker, is the source of truth: calls left 'queued' are re-enqueued
by the sweeper (at worker start and every ``sweep_interval_s`` under beat), so a broker
that lost its queue loses no call, and so are calls whose attempt's lease ran out (the
worker process died), see callsight/services/claims.py.
"""

from __future__ import annotations

from celery import Celery
from celery.schedules import crontab

from callsight.config import settings

QUEUE = "callsight"
PROCESS_CALL = "callsight.process_call"
REQUEUE_STALE = "callsight.requeue_stale"
REPORT_PERIOD = "callsight.report_period"
REPORT_SOME = "callsight.report_some"
DELIVER_TAG_WEBHOOK = "callsight.deliver_tag_webhook"

# The modules that implement the names above (and the worker's signal handlers).
TASK_MODULES = ["workers.celery_app", "workers.tasks", "workers.tag_tasks", "workers.report_tasks",
                "workers.retention"]

celery_app = Celery("callsight", broker=settings.broker_url or "memory://", include=TASK_MODULES)
celery_app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    worker_max_tasks_per_child=settings.worker_max_tasks_per_child,
    # A pool child reports "up" only after worker_process_init, which loads the models: on a
    # busy machine that takes well over Celery's 4 s default, and a child killed for being
    # slow to start is replaced by another that is killed too, in a loop (seen with 2 cores).
    worker_proc_alive_timeout=300.0,
    broker_connection_retry_on_startup=True,
    broker_transport_options={"visibility_timeout": settings.broker_visibility_timeout_s},
    task_default_queue=QUEUE,
    timezone="UTC",
    beat_schedule={
        # A sweep that waited behind a backlog longer than the interval is dropped: the next one follows.
        "requeue-stale-calls": {"task": REQUEUE_STALE, "schedule": settings.sweep_interval_s,
                                "options": {"expires": settings.sweep_interval_s}},
        # Branch reports at each period start (09:00 Beijing): the month / ISO week just ended.
        "reports-monthly": {"task": REPORT_PERIOD, "schedule": crontab(minute=0, hour=1, day_of_month=1),
                            "args": ("month",)},
        "reports-weekly": {"task": REPORT_PERIOD, "schedule": crontab(minute=0, hour=1, day_of_week=1),
                           "args": ("week",)},
    },
)

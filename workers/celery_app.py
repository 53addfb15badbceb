"""The Celery application, configured from settings.

Delivery guarantees: tasks are acknowledged after they finish (``acks_late``), a
worker fetches one message at a time (prefetch 1), a message whose worker process
died is rejected back to the queue (``task_reject_on_worker_lost``), and one whose
whole worker vanished is redelivered by Redis after the visibility timeout. The
database, not the broker, is the source of truth: calls left 'queued' are re-enqueued
by the sweeper (at worker start and every ``sweep_interval_s`` under beat), so a broker
that lost its queue loses no call, and so are calls whose attempt's lease ran out (the
worker process died), see callsight/services/claims.py.

Pool processes are forked from the main process: none may use a database connection
it inherited (two processes on one socket corrupt each other's protocol state, e.g.
psycopg's DuplicatePreparedStatement). Each child drops the inherited pool at start,
the main process closes its own after using it, and the engine checks the pid of a
connection at checkout (callsight/db/session.py) in case anything slips through.
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
    worker_max_tasks_per_child=settings.worker_max_tasks_per_child,
    # A pool child reports "up" only after worker_process_init, which loads the models: on a
    # busy machine that takes well over Celery's 4 s default, and a child killed for being
    # slow to start is replaced by another that is killed too, in a loop (seen with 2 cores).
    worker_proc_alive_timeout=300.0,
    broker_connection_retry_on_startup=True,
    broker_transport_options={"visibility_timeout": settings.broker_visibility_timeout_s},
    task_default_queue="callsight",
    timezone="UTC",
    beat_schedule={
        # A sweep that waited behind a backlog longer than the interval is dropped: the next one follows.
        "requeue-stale-calls": {"task": "callsight.requeue_stale", "schedule": settings.sweep_interval_s,
                                "options": {"expires": settings.sweep_interval_s}},
        # Branch reports at each period start (09:00 Beijing): the month / ISO week just ended.
        "reports-monthly": {"task": "callsight.report_period", "schedule": crontab(minute=0, hour=1, day_of_month=1),
                            "args": ("month",)},
        "reports-weekly": {"task": "callsight.report_period", "schedule": crontab(minute=0, hour=1, day_of_week=1),
                           "args": ("week",)},
    },
)


@worker_process_init.connect
def _load_models(**_: Any) -> None:
    from callsight import runtime
    from callsight.db.session import get_engine

    # Forget (without closing: they are the parent's) connections inherited through fork.
    get_engine().dispose(close=False)
    # Each pool process loads the model once, before its first task.
    runtime.asr_engine()
    runtime.analyzers()


@worker_ready.connect
def _recover_lost_calls(**_: Any) -> None:
    from callsight.db.session import get_engine
    from callsight.dispatch import requeue_stale

    try:
        n = requeue_stale()
    finally:
        # Pool processes forked from now on (replacements, recycling) must inherit no connection.
        get_engine().dispose()
    if n:
        log.warning("re-enqueued %d call(s) found waiting or abandoned at worker start", n)

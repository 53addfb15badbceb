"""The worker side of the Celery app (the app itself, its settings and the task names are
in callsight/queue.py, shared with the API that enqueues): what each worker process
does when it starts.

Pool processes are forked from the main process: none may use a database connection
it inherited (two processes on one socket corrupt each other's protocol state, e.g.
psycopg's DuplicatePreparedStatement). Each child drops the inherited pool at start,
the main process closes its own after using it, and the engine checks the pid of a
connection at checkout (callsight/db/session.py) in case anything slips through.
"""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import worker_process_init, worker_ready

from callsight.queue import celery_app

__all__ = ["celery_app"]

log = logging.getLogger(__name__)


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

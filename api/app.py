"""The FastAPI application. Importing it loads no model: the embedded runner loads
the ASR model on its first call, a Celery worker in worker_process_init."""

from __future__ import annotations

import logging
from importlib.metadata import version

from fastapi import FastAPI

from api import errors
from api.limits import BodySizeLimit
from api.routes import admin, agent_actions, calls, customers, reports, review, rules, topics, ui, upsell
from callsight.config import settings

DESCRIPTION = """
callsight analyses call recordings of bank and wealth-management call centres:
per-speaker transcripts, customer intent, script compliance and upsell openings.

Authenticate with an API key: `Authorization: Bearer <key>` or `X-API-Key: <key>`.
Roles: `admin`, `qa`, `manager` (own branches), `agent` (own calls).
Errors are `{"error": {"code", "message", "details"?}}` with a 4xx/5xx status.
"""


def create_app() -> FastAPI:
    logging.basicConfig(level=settings.log_level)
    app = FastAPI(title="callsight", version=version("callsight"), description=DESCRIPTION)
    errors.install(app)
    app.include_router(admin.router)
    app.include_router(calls.router)
    app.include_router(rules.router)
    app.include_router(review.router)
    app.include_router(customers.router)
    app.include_router(reports.router)
    app.include_router(topics.router)
    app.include_router(upsell.router)  # openings, 开口 counts, script tests, CRM sales, WS /v1/live
    app.include_router(agent_actions.router)  # next-best actions marked done
    ui.install(app)  # the web console (/ui), its static files and GET /v1/calls/{id}/audio
    # Multipart overhead is small next to the audio; allow 1 MB on top of the file limit.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes + 1024 * 1024)
    return app


app = create_app()

"""The FastAPI application. Importing it loads no model: the embedded runner loads
the ASR model on its first call, a Celery worker in worker_process_init."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import FastAPI

from api import docs, errors, log_redact, param_docs, result_schema
from api.edge import ErrorShield, InputGuard
from api.limits import BodySizeLimit
from api.openapi_errors import install_responses
from api.routes import (
    admin,
    agent_actions,
    calls,
    customers,
    reports,
    retention,
    review,
    rules,
    topics,
    ui,
    upsell,
    workspace,
)
from api.security_headers import SecurityHeaders
from api.uploads import sweep_stale_uploads
from callsight.config import settings

DESCRIPTION = """
callsight analyses call recordings of bank and wealth-management call centres:
per-speaker transcripts, customer intent, script compliance and upsell openings.

Authenticate with an API key: `Authorization: Bearer <key>` or `X-API-Key: <key>`.
Repeated failed authentications from one address answer 429 with `Retry-After`.
Roles: `admin`, `qa`, `manager` (own branches), `agent` (own calls).
Errors are `{"error": {"code", "message", "details"?}}` with a 4xx/5xx status.
"""


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    # Temp files of uploads cut off by a killed process would otherwise stay forever.
    sweep_stale_uploads(settings.audio_dir)
    yield


def create_app() -> FastAPI:
    logging.basicConfig(level=settings.log_level)
    app = FastAPI(title="callsight", version=version("callsight"), description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    errors.install(app)
    docs.install(app)  # /docs and /redoc from bundled assets: no CDN
    app.include_router(admin.router)
    app.include_router(calls.router)
    app.include_router(rules.router)
    app.include_router(review.router)
    app.include_router(customers.router)
    app.include_router(reports.router)
    app.include_router(topics.router)
    app.include_router(retention.router)  # DELETE of calls / customers, legal holds, policy
    app.include_router(workspace.router)  # QA workspace: saved views, bulk verdicts, exports (issue 14)
    app.include_router(upsell.router)  # openings, 开口 counts, script tests, CRM sales, WS /v1/live
    app.include_router(agent_actions.router)  # next-best actions marked done
    ui.install(app)  # the web console (/ui), its static files and GET /v1/calls/{id}/audio
    install_responses(app)  # every operation documents the error statuses it can answer
    app.add_middleware(InputGuard, max_json_bytes=settings.max_json_kb * 1024)
    # Multipart overhead is small next to the audio; allow 1 MB on top of the file limit.
    param_docs.install(app)  # every OpenAPI parameter described (issue 14)
    result_schema.install(app)  # the result endpoint answers with the generated CallResult schema
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes + 1024 * 1024)
    app.add_middleware(ErrorShield)  # every error becomes the JSON error shape
    app.add_middleware(SecurityHeaders)  # outermost: every response, errors, 413 and shielded 500s included
    log_redact.install()  # no ?key= / token / OIDC code in uvicorn's logs
    return app


app = create_app()

"""The job behind the ``process_call`` task, shared by the Celery worker and the
embedded in-process runner (which gets it through callsight.dispatch.provide, below).
Each step commits its own short transaction.

Every attempt ends in one of three ways: the call is ``done``; it is ``failed``
with a reason (any error but a transient one, recorded in a fresh transaction);
or, for a transient database/broker error, the claim is given back and the error
re-raised for the task to retry. An attempt whose claim was taken over stores
nothing (claims.ClaimLost).
"""

from __future__ import annotations

import logging
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy.exc import OperationalError as DatabaseUnavailable
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from asr.audio import AudioError
from callsight import runtime
from callsight.config import settings
from callsight.db.models import Call, CallStatus
from callsight.db.session import session_scope
from callsight.dispatch import Jobs, provide
from callsight.pipeline import analyze_text, build_result
from callsight.schemas import parse_transcript_doc, transcript_from_doc
from callsight.services import claims, processing, rules
from callsight.services.processing import Job
from workers.heartbeat import Heartbeat
from workers.report_jobs import run_reports

log = logging.getLogger(__name__)

# Only these are worth retrying: the database or broker was briefly unreachable.
TRANSIENT = (DatabaseUnavailable, BrokerError, ConnectionError, TimeoutError)
# What a task answers for a call another attempt holds under a live lease.
BUSY = "busy"


def run_process_call(call_id: str) -> str:
    """Process one call end to end; returns its final status ("done" / "failed"),
    "skipped" (nothing to do), "busy" (another attempt holds it) or "superseded"."""
    with session_scope() as session:
        job = processing.start(session, call_id, claims.owner_id())
        busy = job is None and _held_by_other(session, call_id)
        session.commit()
    if job is None:
        return BUSY if busy else "skipped"
    with Heartbeat(call_id, job.token, settings.lease_heartbeat_s):
        try:
            return _run(job)
        except claims.ClaimLost:
            log.warning("call %s: attempt %d lost its claim; its results were dropped", call_id, job.attempt)
            return "superseded"
        except TRANSIENT:
            _give_back(job)
            raise
        except Exception as exc:
            code, reason = describe_failure(exc)
            log.warning("call %s failed (%s): %s", call_id, code, reason, exc_info=code == "internal_error")
            with session_scope() as session:
                processing.mark_failed(session, call_id, code, reason, token=job.token)
                session.commit()
            return CallStatus.failed.value


def _run(job: Job) -> str:
    if job.source == "audio":
        if not job.audio_path or not Path(job.audio_path).exists():
            raise AudioError("the stored recording is missing")
        transcript = runtime.asr_engine().transcribe(
            job.audio_path,
            channel_map=runtime.channel_map(job.channel_layout),
            max_duration_s=settings.max_duration_s,
        )
    else:
        transcript = transcript_from_doc(parse_transcript_doc(job.transcript_input))
    with session_scope() as session:
        processing.set_progress(session, job.call_id, CallStatus.analysing, 0.8, token=job.token)
        # Published rule versions go live here: a cheap stamp check, the YAML only after a publish.
        published = rules.published_if_changed(session, runtime.rules_stamp())
        session.commit()
    analysis = analyze_text(transcript, job.meta, runtime.analyzers(published))
    result = build_result(
        call_id=job.call_id, meta=job.meta, source=job.source, transcript=transcript, analysis=analysis
    )
    with session_scope() as session:
        processing.store_result(session, job.call_id, transcript, result, token=job.token)
        session.commit()
    log.info("call %s done (attempt %d, %d segments)", job.call_id, job.attempt, len(transcript.segments))
    return CallStatus.done.value


def describe_failure(exc: BaseException) -> tuple[str, str]:
    """An error code and a reason a person can act on; never the SQL or its parameters
    (they would carry the transcript, personal data included, into the call's row)."""
    if isinstance(exc, SoftTimeLimitExceeded):
        return "time_limit", "processing took longer than the time limit for a call of this length"
    if isinstance(exc, SQLAlchemyError):
        orig = getattr(exc, "orig", None) or exc
        first = (str(orig).strip().splitlines() or [""])[0][:300]
        return "database_error", f"the database refused the result ({type(orig).__name__}: {first})"
    code = getattr(exc, "code", None)
    if isinstance(code, str) and code:
        return code, str(exc)  # domain errors (bad audio, bad transcript) carry their own code
    return "internal_error", f"processing failed unexpectedly ({type(exc).__name__}); see the worker log"


def _held_by_other(session: Session, call_id: str) -> bool:
    call = session.get(Call, call_id)
    return call is not None and claims.lease_live(call)


def _give_back(job: Job) -> None:
    # Best effort: with the database away this fails too, and the lease simply runs out.
    try:
        with session_scope() as session:
            if job.token is not None:
                claims.release(session, job.call_id, job.token)
            session.commit()
    except Exception:
        log.warning("call %s: could not give the claim back; its lease will expire", job.call_id)


def fail_call(call_id: str, code: str, reason: str) -> None:
    """Record a non-retryable failure (the task, when retries are exhausted or the
    hard time limit killed the attempt; the embedded runner on an unexpected error)."""
    with session_scope() as session:
        processing.mark_failed(session, call_id, code, reason)
        session.commit()


# callsight never imports workers/: its embedded runner calls the jobs handed over here.
provide(Jobs(process_call=run_process_call, fail_call=fail_call, run_reports=run_reports))

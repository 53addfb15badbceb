"""The job behind the ``process_call`` task, shared by the Celery worker and the
embedded in-process runner. Each step commits its own short transaction."""

from __future__ import annotations

import logging
from pathlib import Path

from asr.audio import AudioError
from callsight import runtime
from callsight.config import settings
from callsight.db.models import CallStatus
from callsight.db.session import session_scope
from callsight.pipeline import analyze_text, build_result
from callsight.schemas import parse_transcript_doc, transcript_from_doc
from callsight.services import processing, rules

log = logging.getLogger(__name__)


def run_process_call(call_id: str) -> str:
    """Process one call end to end; returns its final status. Idempotent."""
    with session_scope() as session:
        job = processing.start(session, call_id)
        session.commit()
    if job is None:
        return "skipped"
    try:
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
    except AudioError as exc:
        # Bad audio is not transient: fail with the reason, never retry.
        with session_scope() as session:
            processing.mark_failed(session, call_id, getattr(exc, "code", "bad_audio"), str(exc))
            session.commit()
        return CallStatus.failed.value
    with session_scope() as session:
        processing.set_progress(session, call_id, CallStatus.analysing, 0.8)
        # Published rule versions go live here: a cheap stamp check, the YAML only after a publish.
        published = rules.published_if_changed(session, runtime.rules_stamp())
        session.commit()
    analysis = analyze_text(transcript, job.meta, runtime.analyzers(published))
    result = build_result(
        call_id=call_id, meta=job.meta, source=job.source, transcript=transcript, analysis=analysis
    )
    with session_scope() as session:
        processing.store_result(session, call_id, transcript, result)
        session.commit()
    log.info("call %s done (attempt %d, %d segments)", call_id, job.attempt, len(transcript.segments))
    return CallStatus.done.value


def fail_call(call_id: str, code: str, reason: str) -> None:
    """Record a non-retryable failure (used by the task when retries are exhausted)."""
    with session_scope() as session:
        processing.mark_failed(session, call_id, code, reason)
        session.commit()

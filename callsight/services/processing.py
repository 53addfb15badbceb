"""The steps of processing one call, each a short database transaction.

ASR can take minutes; no transaction stays open across it (on SQLite a reader that
later writes would fail against the progress updates committed meanwhile). The
job runner in workers/jobs.py strings these steps together and commits between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from callsight import search
from callsight.db.models import Call, CallStatus, SegmentRow, utcnow
from callsight.domain import Transcript
from callsight.pipeline import segment_dict
from callsight.reports.facts import sync_call_facts
from callsight.services import review, tags, upsell
from callsight.services.calls import record_event


@dataclass(frozen=True)
class Job:
    """What the runner needs to know about a call, detached from the ORM row."""

    call_id: str
    source: str
    audio_path: str | None
    channel_layout: str | None
    transcript_input: dict[str, Any] | None
    meta: dict[str, Any]
    duration_s: float | None
    attempt: int


def start(session: Session, call_id: str) -> Job | None:
    """Claim a call for processing; ``None`` when it is gone or already done
    (a redelivered message after completion is a no-op)."""
    call = session.get(Call, call_id)
    if call is None or call.status == CallStatus.done.value:
        return None
    call.attempts += 1
    call.status = (CallStatus.transcribing if call.source == "audio" else CallStatus.analysing).value
    call.progress = 0.05
    call.error = call.error_code = None
    record_event(session, call.id, "started", attempt=call.attempts, status=call.status)
    return Job(
        call_id=call.id,
        source=call.source,
        audio_path=call.audio_path,
        channel_layout=call.channel_layout,
        transcript_input=call.transcript_input,
        meta=dict(call.meta or {}),
        duration_s=call.duration_s,
        attempt=call.attempts,
    )


def set_progress(session: Session, call_id: str, status: CallStatus, progress: float) -> None:
    call = session.get(Call, call_id)
    if call is not None and call.status != CallStatus.done.value:
        call.status = status.value
        call.progress = round(progress, 3)


def store_result(session: Session, call_id: str, transcript: Transcript, result: dict[str, Any]) -> None:
    """Replace whatever an earlier run stored: re-running a call never duplicates."""
    call = session.get(Call, call_id)
    if call is None:
        return
    session.execute(delete(SegmentRow).where(SegmentRow.call_id == call_id))
    # The search index is built from masked text (callsight/search.py: no digit an agent may not see).
    index = search.index_segments([(s.speaker, s.text) for s in transcript.segments])
    for idx, seg in enumerate(transcript.segments):
        d = segment_dict(seg)
        session.add(
            SegmentRow(
                call_id=call_id,
                idx=idx,
                speaker=seg.speaker,
                start=d["start"],
                end=d["end"],
                text=seg.text,
                words=d.get("words"),
                search_text=index[idx][0],
                search_text_pii=index[idx][1],
            )
        )
    call.result = result
    call.role_confidence = transcript.role_confidence
    if transcript.duration_s and not call.duration_s:
        call.duration_s = transcript.duration_s
    if call.channels is None:
        call.channels = transcript.channels
    call.status = CallStatus.done.value
    call.progress = 1.0
    call.completed_at = utcnow()
    call.error = call.error_code = None
    review.sync_findings(session, call, result)  # findings rows, scores, flags, review queue
    sync_call_facts(session, call)  # the flat row branch reports aggregate
    tags.apply_call(session, call)  # client tags; CRM webhook rows go out after the commit
    upsell.sync_call(session, call)  # openings, suggested scripts (used?), outcomes for script tests
    record_event(session, call_id, "done", segments=len(transcript.segments))


def mark_failed(session: Session, call_id: str, code: str, reason: str) -> None:
    call = session.get(Call, call_id)
    if call is None or call.status == CallStatus.done.value:
        return
    call.status = CallStatus.failed.value
    call.error_code = code
    call.error = reason[:2000]
    record_event(session, call_id, "failed", code=code, reason=reason[:500])


def requeue(session: Session, call: Call) -> None:
    """Put a call back in the queue (reprocess, or recovery of a lost message)."""
    call.status = CallStatus.queued.value
    call.progress = 0.0
    call.enqueued_at = utcnow()
    record_event(session, call.id, "queued")

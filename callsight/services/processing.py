"""The steps of processing one call, each a short database transaction.

ASR can take minutes; no transaction stays open across it (on SQLite a reader that
later writes would fail against the progress updates committed meanwhile). The
job runner in workers/jobs.py strings these steps together and commits between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from callsight import search
from callsight.config import settings
from callsight.db.models import Call, CallStatus, SegmentRow, utcnow
from callsight.errors import Conflict
from callsight.reports.facts import sync_call_facts
from callsight.services import claims, review, tags, upsell
from callsight.services.calls import record_event
from core.enums import Source
from core.jsonio import JsonObject, to_json
from core.result import CallResult
from core.types import Transcript


@dataclass(frozen=True)
class Job:
    """What the runner needs to know about a call, detached from the ORM row."""

    call_id: str
    source: Source
    audio_path: str | None
    channel_layout: str | None
    transcript_input: JsonObject | None
    meta: JsonObject
    duration_s: float | None
    attempt: int
    token: str | None = None  # the claim fencing this attempt's writes (claims.py)


def start(session: Session, call_id: str, owner: str | None = None) -> Job | None:
    """Claim a call for one attempt (claims.claim); ``None`` when it is gone, already
    finished (a redelivered message after completion is a no-op), held by a live
    attempt, or out of attempts (then failed with the reason)."""
    got = claims.claim(session, call_id, owner)
    if got is None:
        return None
    call = session.get(Call, call_id)
    assert call is not None  # the claim just updated it
    record_event(session, call.id, "started", attempt=call.attempts, status=call.status,
                 claim=got.token, by=call.claimed_by)
    return Job(
        call_id=call.id,
        source="audio" if call.source == "audio" else "transcript",
        audio_path=call.audio_path,
        channel_layout=call.channel_layout,
        transcript_input=call.transcript_input,
        meta=dict(call.meta or {}),
        duration_s=call.duration_s,
        attempt=call.attempts,
        token=got.token,
    )


def set_progress(session: Session, call_id: str, status: CallStatus, progress: float,
                 token: str | None = None) -> None:
    call = claims.fence(session, call_id, token)
    if call is not None and call.status != CallStatus.done.value:
        call.status = status.value
        call.progress = round(progress, 3)


def store_result(session: Session, call_id: str, transcript: Transcript, result: CallResult,
                 token: str | None = None) -> None:
    """Replace whatever an earlier run stored: re-running a call never duplicates.
    With ``token``, only the attempt holding the claim may store (ClaimLost otherwise)."""
    call = claims.fence(session, call_id, token)
    if call is None:
        return
    session.execute(delete(SegmentRow).where(SegmentRow.call_id == call_id))
    # The search index is built from masked text (callsight/search.py: no digit an agent may not see).
    index = search.index_segments([(s.speaker, s.text) for s in transcript.segments])
    for idx, (seg, rec) in enumerate(zip(transcript.segments, result.segments, strict=True)):
        session.add(
            SegmentRow(
                call_id=call_id,
                idx=idx,
                speaker=seg.speaker,
                start=rec.start,
                end=rec.end,
                text=seg.text,
                words=to_json(rec.words) if rec.words else None,
                search_text=index[idx][0],
                search_text_pii=index[idx][1],
            )
        )
    doc = result.to_json()  # the storage edge: JSON from here on
    call.result = doc
    call.role_confidence = transcript.role_confidence
    if transcript.duration_s and not call.duration_s:
        call.duration_s = transcript.duration_s
    if call.channels is None:
        call.channels = transcript.channels
    call.status = CallStatus.done.value
    call.progress = 1.0
    call.completed_at = utcnow()
    call.error = call.error_code = None
    claims.clear(call)
    review.sync_findings(session, call, result)  # findings rows, scores, flags, review queue
    sync_call_facts(session, call)  # the flat row branch reports aggregate
    tags.apply_call(session, call)  # client tags; CRM webhook rows go out after the commit
    upsell.sync_call(session, call)  # openings, suggested scripts (used?), outcomes for script tests
    record_event(session, call_id, "done", segments=len(transcript.segments))


def mark_failed(session: Session, call_id: str, code: str, reason: str, token: str | None = None) -> bool:
    """Fail the call with a reason (True), unless it is done, or ``token`` is given and
    this attempt no longer holds the call (the current holder's outcome counts)."""
    call = session.get(Call, call_id, populate_existing=True, with_for_update={"of": Call})
    if call is None or call.status == CallStatus.done.value:
        return False
    if token is not None and call.claim_token != token:
        return False  # another attempt holds the call now, or a person requeued it
    call.status = CallStatus.failed.value
    call.error_code = code[:50]
    call.error = reason[:2000]
    claims.clear(call)
    record_event(session, call_id, "failed", code=code, reason=reason[:500], attempt=call.attempts)
    return True


def requeue(session: Session, call: Call) -> None:
    """Put a call back in the queue (reprocess, or recovery of a lost message): a fresh
    budget of attempts, and any old claim dropped (its attempt can no longer store)."""
    call.status = CallStatus.queued.value
    call.progress = 0.0
    call.enqueued_at = utcnow()
    call.tries = 0
    claims.clear(call)
    record_event(session, call.id, "queued")


def reprocess(session: Session, call: Call) -> bool:
    """A person asks for the call to run again (results are replaced). Refused while an
    attempt holds a live lease; a call stuck past its lease is taken back. False: the
    call is already waiting in the queue, and another message would only add a duplicate."""
    now = utcnow()
    if claims.lease_live(call, now):
        raise Conflict(f"the call is being processed right now (attempt {call.attempts})", code="busy")
    if call.status == CallStatus.queued.value:
        from callsight.dispatch import message_waiting

        enqueued = claims.aware(call.enqueued_at)
        if enqueued is not None and enqueued > now - timedelta(seconds=settings.requeue_after_s):
            return False
        if message_waiting(call.id):
            return False
    requeue(session, call)
    return True

"""The retention policy, applied on schedule (beat task ``callsight.retention_purge``)
and by ``callsight purge [--dry-run]``: both call :func:`purge`.

Stages, each with its own period in Settings (days from the call's start, 0 = keep):
1. audio: the recording file goes; the call, transcript and result stay.
2. transcript: segments (and with them the search index), the ingested transcript
   document and the result's ``segments`` go.
3. result: the call is anonymised: result JSON, metadata, customer code, file name,
   quoted evidence, comments, tag evidence, sample sentences go. What stays is the
   aggregate shape reports count (branch, agent code, day, intent, risk, scores,
   pass/fail per rule): it holds no personal data, and a branch report for 2024
   still adds up after the calls' words are gone.
4. audit: audit trails (review, retention, call events) and delivered/failed
   webhook payloads older than their period.
A call under legal hold is skipped by every stage; calls still being processed too.
Each stage takes at most ``retention_batch_size`` calls per run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Select, delete, exists, func, insert, null, or_, select, update
from sqlalchemy.orm import Session

from callsight.config import Settings, settings
from callsight.db.facts import CallFact
from callsight.db.models import Call, CallEvent, CallStatus, SegmentRow, utcnow
from callsight.db.retention import LegalHold, RetentionAudit
from callsight.db.review import Appeal, CalibrationVerdict, FindingRow, ReviewAudit
from callsight.db.tags import OutboxStatus, TagObservationRow, TagOutbox
from callsight.db.upsell import UpsellOpeningRow
from callsight.services.retention import (
    Erasure,
    affected,
    audit,
    call_files,
    quotes_of,
    recording_files,
    redact_call_mentions,
    refresh_reports,
)
from core.jsonio import JsonObject

STAGES = ("audio", "transcript", "result", "audit")
_FINISHED = (CallStatus.done.value, CallStatus.failed.value)


@dataclass
class PurgeReport:
    dry_run: bool
    cutoffs: dict[str, str | None]
    counts: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    # Calls the result stage anonymised this run (audio and transcript included): the
    # other stages skip them, so a dry run counts what the real run does.
    taken: set[str] = field(default_factory=set)

    def as_json(self) -> JsonObject:
        return {"dry_run": self.dry_run, "cutoffs": self.cutoffs, "counts": self.counts}


def _cutoff(now: datetime, days: int) -> datetime | None:
    return None if days <= 0 else now - timedelta(days=days)


def _eligible(rep: PurgeReport, cutoff: datetime, *extra: Any) -> Select[Call]:
    stmt = (select(Call)
            .where(func.coalesce(Call.started_at, Call.created_at) < cutoff, Call.status.in_(_FINISHED),
                   ~exists().where(LegalHold.call_id == Call.id), *extra)
            .order_by(Call.created_at))
    return stmt.where(Call.id.not_in(rep.taken)) if rep.taken else stmt


def _take(session: Session, rep: PurgeReport, stmt: Select[Call], limit: int, stage: str) -> list[Call]:
    calls = list(session.scalars(stmt.limit(limit)))
    rep.counts[stage] = len(calls)
    if stage == "result":
        rep.taken.update(c.id for c in calls)
    return calls


def _events(session: Session, ids: list[str], kind: str) -> None:
    session.execute(insert(CallEvent), [{"call_id": i, "kind": kind, "detail": {}, "at": utcnow()} for i in ids])


def _audio(session: Session, cutoff: datetime, limit: int, dry: bool, rep: PurgeReport) -> None:
    calls = _take(session, rep, _eligible(rep, cutoff, Call.audio_path.is_not(None)), limit, "audio")
    if dry or not calls:
        return
    for call in calls:
        rep.files.extend(recording_files(call))
        call.audio_path = None
    _events(session, [c.id for c in calls], "retention.audio_purged")


def _strip_transcripts(session: Session, calls: list[Call]) -> None:
    # Set-based: one statement per table per batch (a round trip per call per table
    # made a 500-call batch take minutes on a busy database).
    session.execute(delete(SegmentRow).where(SegmentRow.call_id.in_([c.id for c in calls])))
    for call in calls:
        # null(): SQL NULL. A plain None on a JSON column is stored as JSON 'null', which
        # IS NOT NULL would still match.
        call.transcript_input = null()
        if call.result and "segments" in call.result:
            call.result = {k: v for k, v in call.result.items() if k != "segments"}


def _transcript(session: Session, cutoff: datetime, limit: int, dry: bool, rep: PurgeReport) -> None:
    has_text = or_(exists().where(SegmentRow.call_id == Call.id), Call.transcript_input.is_not(None))
    calls = _take(session, rep, _eligible(rep, cutoff, has_text), limit, "transcript")
    if dry or not calls:
        return
    _strip_transcripts(session, calls)
    _events(session, [c.id for c in calls], "retention.transcript_purged")


def _anonymise(session: Session, calls: list[Call], er: Erasure) -> None:
    from callsight.services.tags import apply_call

    ids = [c.id for c in calls]
    with_tags = set(session.scalars(select(TagObservationRow.call_id).where(TagObservationRow.call_id.in_(ids))))
    _strip_transcripts(session, calls)
    for call in calls:
        er.files.extend(call_files(call))
        call.result, call.audio_path = None, None
        if call.id in with_tags:
            apply_call(session, call)  # no result: its tag evidence is withdrawn, profiles recomputed
        call.result = null()
        call.meta, call.customer_code, call.original_filename, call.error = {}, None, None, None
    session.flush()
    for table, values in ((FindingRow, {"evidence": [], "verdict_comment": None}),
                          (Appeal, {"reason": "", "ruling_comment": None}),
                          (CalibrationVerdict, {"comment": None}),
                          (CallFact, {"customer_code": None, "sample_text": None}),
                          (UpsellOpeningRow, {"cue": "", "customer_code": None})):
        session.execute(update(table).where(table.call_id.in_(ids)).values(**values)
                        .execution_options(synchronize_session=False))
    session.execute(delete(TagObservationRow).where(TagObservationRow.call_id.in_(ids)))
    session.execute(delete(CallEvent).where(CallEvent.call_id.in_(ids)).execution_options(synchronize_session=False))
    _events(session, ids, "retention.anonymised")


def _result(session: Session, cutoff: datetime, limit: int, dry: bool, rep: PurgeReport) -> None:
    pending = or_(Call.result.is_not(None), Call.customer_code.is_not(None), Call.audio_path.is_not(None),
                  Call.transcript_input.is_not(None), exists().where(SegmentRow.call_id == Call.id))
    calls = _take(session, rep, _eligible(rep, cutoff, pending), limit, "result")
    if dry or not calls:
        return
    ids = [c.id for c in calls]
    quotes = quotes_of(session, ids)
    er = Erasure()
    redact_call_mentions(session, ids, er)
    _anonymise(session, calls, er)
    session.flush()
    refresh_reports(session, quotes, er)
    rep.files.extend(er.files)
    rep.counts.update({f"result.{k}": v for k, v in er.counts.items()})


def _audit(session: Session, cutoff: datetime, dry: bool, rep: PurgeReport) -> None:
    stmts: JsonObject = {
        "audit.review": (ReviewAudit, ReviewAudit.at < cutoff),
        "audit.retention": (RetentionAudit, RetentionAudit.at < cutoff),
        "audit.call_events": (CallEvent, CallEvent.at < cutoff),
        "audit.webhooks": (TagOutbox, TagOutbox.created_at < cutoff,
                           TagOutbox.status != OutboxStatus.pending.value),
    }
    for key, (table, *where) in stmts.items():
        if dry:
            rep.counts[key] = session.scalar(select(func.count()).select_from(table).where(*where)) or 0
        else:
            rep.counts[key] = affected(session, delete(table).where(*where))


def purge(session: Session, *, dry_run: bool, now: datetime | None = None, cfg: Settings | None = None,
          actor_name: str = "system:retention") -> PurgeReport:
    """Apply every stage once. Files to delete are in the report: unlink them after the
    commit (callsight.services.retention.unlink_files)."""
    cfg = cfg or settings
    at = now or utcnow()
    cut = {"audio": _cutoff(at, cfg.retention_audio_days),
           "transcript": _cutoff(at, cfg.retention_transcript_days),
           "result": _cutoff(at, cfg.retention_result_days),
           "audit": _cutoff(at, cfg.retention_audit_days)}
    rep = PurgeReport(dry_run=dry_run, cutoffs={k: v.isoformat() if v else None for k, v in cut.items()})
    limit = cfg.retention_batch_size
    # Latest stage first: a call past every period is anonymised once, not stripped thrice.
    if cut["result"] is not None:
        _result(session, cut["result"], limit, dry_run, rep)
    if cut["transcript"] is not None:
        _transcript(session, cut["transcript"], limit, dry_run, rep)
    if cut["audio"] is not None:
        _audio(session, cut["audio"], limit, dry_run, rep)
    if cut["audit"] is not None:
        _audit(session, cut["audit"], dry_run, rep)
    if not dry_run:
        session.flush()
        if any(rep.counts.values()):
            audit(session, None, "purge", "policy", {k: v for k, v in rep.counts.items() if v}, actor_name)
            session.flush()
    return rep

"""Creating, reading and listing calls. Services take a session and never commit:
the route, task or CLI command that owns the session does."""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from asr.audio import AudioError, AudioTooLongError, EmptyAudioError, probe
from callsight import privacy, search
from callsight.auth import Principal, can_read_call, check_can_submit, scope_calls
from callsight.db.models import Branch, Call, CallEvent, CallStatus, SegmentRow, utcnow
from callsight.errors import (
    CallsightError,
    Conflict,
    CorruptResult,
    Forbidden,
    InvalidInput,
    NotFound,
    UnsupportedMedia,
)
from callsight.schemas import CallMeta, TranscriptDoc, parse_meta
from callsight.timefmt import as_local_if_naive
from core.jsonio import JsonObject
from core.result import CallResult

AUDIO_EXTENSIONS = {".wav", ".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".flac", ".amr", ".wma", ".webm"}


def record_event(session: Session, call_id: str, kind: str, **detail: Any) -> None:
    session.add(CallEvent(call_id=call_id, kind=kind, detail=detail))


def find_branch(session: Session, name_or_code: str) -> Branch:
    branch = session.scalar(
        select(Branch).where(or_(Branch.name == name_or_code, Branch.code == name_or_code))
    )
    if branch is None:
        raise InvalidInput(
            f"unknown branch '{name_or_code}': register it first (callsight branches add)",
            code="unknown_branch",
        )
    return branch


def audio_error_to_http(exc: AudioError, filename: str) -> CallsightError:
    if isinstance(exc, EmptyAudioError | AudioTooLongError):
        return InvalidInput(f"{filename}: {exc}", code=exc.code)
    return UnsupportedMedia(f"{filename}: {exc}", code=exc.code)


def _apply_meta(call: Call, meta: CallMeta, branch: Branch | None) -> None:
    call.branch_id = branch.id if branch else None
    call.agent_code = meta.agent
    call.customer_code = meta.customer
    call.direction = meta.direction
    # A start time without an offset is the wall clock where the call happened (the deployment's zone).
    call.started_at = as_local_if_naive(meta.started_at)
    call.channel_layout = meta.channel_layout
    call.meta = meta.as_json()


def _branch_for(session: Session, principal: Principal | None, meta: CallMeta) -> Branch | None:
    branch = find_branch(session, meta.branch) if meta.branch else None
    if principal is not None:
        check_can_submit(principal, branch)
    return branch


def create_audio_call(
    session: Session,
    *,
    meta: CallMeta,
    upload_path: Path,
    filename: str,
    audio_dir: Path,
    max_duration_s: float,
    principal: Principal | None = None,
) -> Call:
    """Validate a recording and register it as a queued call.

    ``upload_path`` is a temporary file; it is moved under ``audio_dir`` only after
    every check passed, so a rejected upload leaves nothing behind but the
    caller's temp file. The caller must delete ``call.audio_path`` if its commit fails.
    """
    branch = _branch_for(session, principal, meta)
    try:
        info = probe(upload_path, max_duration_s=max_duration_s)
    except AudioError as exc:
        raise audio_error_to_http(exc, filename) from exc
    call = Call(source="audio", status=CallStatus.queued.value, original_filename=filename[:300])
    _apply_meta(call, meta, branch)
    call.audio_format = info.format
    call.size_bytes = info.size_bytes
    call.duration_s = info.duration_s
    call.channels = info.channels
    call.sample_rate = info.sample_rate
    call.sha256 = file_sha256(upload_path)
    call.enqueued_at = utcnow()
    session.add(call)
    session.flush()  # assigns the id and surfaces constraint errors before the file moves
    suffix = Path(filename).suffix.lower()
    dest = audio_dir / f"{call.id}{suffix if suffix in AUDIO_EXTENSIONS else '.bin'}"
    audio_dir.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(dest.suffix + ".part")
    shutil.copyfile(upload_path, tmp)
    os.replace(tmp, dest)
    call.audio_path = str(dest)
    record_event(session, call.id, "created", source="audio", filename=filename, size=info.size_bytes)
    return call


def create_transcript_call(
    session: Session, *, doc: TranscriptDoc, meta_override: JsonObject | None = None,
    principal: Principal | None = None,
) -> Call:
    """Register an already-transcribed call (a call centre with its own ASR)."""
    meta = parse_meta({**doc.meta, **(meta_override or {})})
    branch = _branch_for(session, principal, meta)
    call = Call(source="transcript", status=CallStatus.queued.value, channels=0)
    _apply_meta(call, meta, branch)
    call.transcript_input = doc.model_dump(mode="json")
    call.enqueued_at = utcnow()
    session.add(call)
    session.flush()
    record_event(session, call.id, "created", source="transcript", turns=len(doc.turns))
    return call


def get_call(session: Session, call_id: str, principal: Principal | None = None) -> Call:
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(f"no call with id '{call_id}'")
    if principal is not None and not can_read_call(principal, call):
        raise Forbidden("this call is outside your scope")
    return call


@dataclass(frozen=True)
class CallFilter:
    branch: str | None = None
    agent: str | None = None
    customer: str | None = None
    status: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    limit: int = 50
    offset: int = 0


def finished_result(call: Call) -> CallResult:
    """The call's stored result read back into its typed form (any version 1.0–1.3).
    Conflict while the call has none yet; CorruptResult when the stored document is
    not a result (validated, so a bad row is an error here, not a crash later)."""
    if call.status != CallStatus.done.value or call.result is None:
        raise Conflict(f"call '{call.id}' has no result yet (status: {call.status})", code="not_ready")
    try:
        return CallResult.from_json(call.result)
    except ValueError as exc:
        raise CorruptResult(f"call '{call.id}' has a stored result that is not a valid result document",
                            details=str(exc).splitlines()[:3]) from exc


def list_calls(session: Session, principal: Principal, flt: CallFilter) -> tuple[list[Call], int]:
    stmt = _filtered(session, scope_calls(select(Call), principal), flt)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(func.coalesce(Call.started_at, Call.created_at).desc(), Call.id)
        .limit(flt.limit)
        .offset(flt.offset)
    ).all()
    return cast(list[Call], list(rows)), total


def _filtered(session: Session, stmt: Select[tuple[Call]], flt: CallFilter) -> Select[tuple[Call]]:
    if flt.branch:
        stmt = stmt.where(Call.branch_id == find_branch(session, flt.branch).id)
    if flt.agent:
        stmt = stmt.where(Call.agent_code == flt.agent)
    if flt.customer:
        stmt = stmt.where(Call.customer_code == flt.customer)
    if flt.status:
        if flt.status not in CallStatus.__members__:
            raise InvalidInput(f"unknown status '{flt.status}'")
        stmt = stmt.where(Call.status == flt.status)
    if flt.date_from:
        stmt = stmt.where(func.coalesce(Call.started_at, Call.created_at) >= flt.date_from)
    if flt.date_to:
        stmt = stmt.where(func.coalesce(Call.started_at, Call.created_at) < flt.date_to)
    return stmt


def search_segments(
    session: Session, principal: Principal, query: str, limit: int = 50, flt: CallFilter | None = None,
    speaker: str | None = None, *, reveal_pii: bool = False,
) -> list[tuple[SegmentRow, Call]]:
    """Segments matching every word of ``query`` (a "quoted" query: that exact phrase),
    within the principal's scope and the call filter's branch / agent / dates. Only
    ``reveal_pii`` (a reader with the pii permission who asked) matches digits that
    masking hides: otherwise words meet the masked index and a phrase the masked text."""
    toks = search.query_tokens(query)
    if not toks:
        raise InvalidInput("the search query has no words", code="empty_query")
    dialect = session.get_bind().dialect.name
    calls = scope_calls(select(Call), principal)
    if flt is not None:
        calls = _filtered(session, calls, replace(flt, limit=1, offset=0))
    stmt = calls.subquery()
    query_stmt = (
        select(SegmentRow, Call)
        .join(Call, Call.id == SegmentRow.call_id)
        .where(SegmentRow.call_id.in_(select(stmt.c.id)))
        .where(search.match_clause(dialect, toks, pii=reveal_pii and principal.can_see_pii))
    )
    phrase = search.phrase(query)
    reveal = reveal_pii and principal.can_see_pii
    if phrase and reveal:
        query_stmt = query_stmt.where(SegmentRow.text.contains(phrase, autoescape=True))
    if speaker:
        query_stmt = query_stmt.where(SegmentRow.speaker == speaker)
    if phrase and not reveal:
        # The phrase is checked on the masked text (a phrase of hidden digits finds
        # nothing); the words above already narrowed the candidates in SQL.
        rows = session.execute(
            query_stmt.order_by(func.coalesce(Call.started_at, Call.created_at).desc(), SegmentRow.idx)
            .limit(limit * 5)
        ).all()
        cand = [(seg, call) for seg, call in rows]
        texts = masked_hit_texts(session, cand)
        return [hit for hit, text in zip(cand, texts, strict=True) if phrase in text][:limit]
    rows = session.execute(
        query_stmt
        .order_by(func.coalesce(Call.started_at, Call.created_at).desc(), SegmentRow.idx)
        .limit(limit)
    ).all()
    return [(seg, call) for seg, call in rows]


def masked_hit_texts(session: Session, hits: list[tuple[SegmentRow, Call]]) -> list[str]:
    """The masked text of each hit, masked with its neighbouring turns so that a
    number split over two turns is hidden here as in the transcript."""
    out: list[str] = []
    for seg, _call in hits:
        around = session.scalars(
            select(SegmentRow).where(SegmentRow.call_id == seg.call_id, SegmentRow.idx >= seg.idx - 2,
                                     SegmentRow.idx <= seg.idx + 2).order_by(SegmentRow.idx)
        ).all()
        masked = privacy.mask_segment_texts([(s.speaker, s.text) for s in around])
        out.append(next(m for s, m in zip(around, masked, strict=True) if s.idx == seg.idx))
    return out


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()

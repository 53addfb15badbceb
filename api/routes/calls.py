"""Calls: upload a recording or a transcript, follow its status, read the results."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, File, Form, Query, UploadFile, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from api.deps import PrincipalDep, SessionDep
from api.params import IsoDateTime, Offset
from api.result_schema import result_response
from api.schemas import CallCreated, CallList, CallOut, SearchHit, SearchResult, SegmentOut, TranscriptOut
from api.uploads import UPLOAD_PREFIX, safe_filename, temp_suffix
from callsight import dispatch, privacy, search
from callsight.auth import Principal, Role, require_role
from callsight.config import settings
from callsight.db.models import Call
from callsight.errors import BadRequest, Forbidden, InvalidInput, PayloadTooLarge
from callsight.schemas import parse_meta, parse_transcript_doc
from callsight.services import calls as svc
from callsight.services import processing
from core.jsonio import JsonObject

router = APIRouter(prefix="/v1", tags=["calls"])

TRANSCRIPT_EXAMPLE = {
    "meta": {"branch": "城东支行", "agent": "A1023", "customer": "C20231", "direction": "inbound",
             "started_at": "2026-10-12T09:30:00+08:00"},
    "turns": [
        {"speaker": "agent", "text": "您好，这里是城东支行理财中心，我是理财经理小王，工号1023",
         "start": 0.0, "end": 4.2},
        {"speaker": "customer", "text": "你好，我有一笔大额存单下个月到期，想问问有什么理财产品",
         "start": 4.8, "end": 9.6},
    ],
}


def _links(call_id: str) -> dict[str, str]:
    base = f"/v1/calls/{call_id}"
    return {"self": base, "transcript": f"{base}/transcript", "result": f"{base}/result"}


def _commit_and_enqueue(session: Session, call: Call, cleanup: Path | None = None) -> CallCreated:
    try:
        session.commit()
    except Exception:
        session.rollback()
        if cleanup is not None:
            cleanup.unlink(missing_ok=True)
        raise
    dispatch.enqueue(call.id, call.duration_s)
    return CallCreated(id=call.id, status=call.status, links=_links(call.id))


@router.post(
    "/calls",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CallCreated,
    summary="Upload a recording",
    description="Multipart upload of one recording (wav, mp3, m4a, ogg, opus, flac) with its metadata. "
    "The file is checked (decodable, not empty, not too long) before anything is stored; "
    "processing runs in the background. Roles: admin, qa, manager (own branches).",
)
def upload_call(
    session: SessionDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="the recording")],
    branch: Annotated[str | None, Form(examples=["城东支行"])] = None,
    agent: Annotated[str | None, Form(examples=["A1023"])] = None,
    customer: Annotated[str | None, Form(examples=["C20231"])] = None,
    direction: Annotated[str | None, Form(examples=["inbound"])] = None,
    started_at: Annotated[str | None, Form(examples=["2026-10-12T09:30:00+08:00"])] = None,
    channel_layout: Annotated[str | None, Form(examples=["agent,customer"])] = None,
    meta: Annotated[str | None, Form(description="extra metadata as a JSON object")] = None,
) -> CallCreated:
    require_role(principal, Role.admin, Role.qa, Role.manager)
    extra: JsonObject = {}
    if meta:
        try:
            extra = json.loads(meta)
        except json.JSONDecodeError as exc:
            raise BadRequest(f"'meta' is not valid JSON: {exc}", code="bad_json") from exc
        if not isinstance(extra, dict):
            raise BadRequest("'meta' must be a JSON object", code="bad_json")
    fields = {"branch": branch, "agent": agent, "customer": customer, "direction": direction,
              "started_at": started_at, "channel_layout": channel_layout}
    call_meta = parse_meta({**extra, **{k: v for k, v in fields.items() if v not in (None, "")}})
    filename = safe_filename(file.filename)
    settings.audio_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=UPLOAD_PREFIX, suffix=temp_suffix(filename), dir=settings.audio_dir)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            copied = _copy_limited(file, out, settings.max_upload_bytes)
        if copied > settings.max_upload_bytes:
            raise PayloadTooLarge(f"{filename}: over the {settings.max_upload_mb} MB upload limit")
        call = svc.create_audio_call(
            session, meta=call_meta, upload_path=tmp, filename=filename,
            audio_dir=settings.audio_dir, max_duration_s=settings.max_duration_s, principal=principal,
        )
        stored = Path(call.audio_path) if call.audio_path else None
        return _commit_and_enqueue(session, call, cleanup=stored)
    finally:
        tmp.unlink(missing_ok=True)


def _copy_limited(src: UploadFile, dst: Any, limit: int) -> int:
    total = 0
    while block := src.file.read(1 << 20):
        total += len(block)
        if total > limit:
            return total
        dst.write(block)
    return total


@router.post(
    "/calls/transcript",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CallCreated,
    summary="Ingest a transcript instead of audio",
    description="For call centres that already run ASR: each turn becomes one segment, in order.",
)
def ingest_transcript(
    session: SessionDep,
    principal: PrincipalDep,
    document: Annotated[JsonObject, Body(examples=[TRANSCRIPT_EXAMPLE])],
) -> CallCreated:
    require_role(principal, Role.admin, Role.qa, Role.manager)
    doc = parse_transcript_doc(document)
    call = svc.create_transcript_call(session, doc=doc, principal=principal)
    return _commit_and_enqueue(session, call)


@router.get("/calls", response_model=CallList, summary="List and filter calls within your scope")
def list_calls(
    session: SessionDep,
    principal: PrincipalDep,
    branch: str | None = None,
    agent: str | None = None,
    customer: str | None = None,
    status_: Annotated[str | None, Query(alias="status")] = None,
    date_from: Annotated[IsoDateTime | None, Query(alias="from")] = None,
    date_to: Annotated[IsoDateTime | None, Query(alias="to")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> CallList:
    flt = svc.CallFilter(branch, agent, customer, status_, date_from, date_to, limit, offset)
    rows, total = svc.list_calls(session, principal, flt)
    return CallList(total=total, limit=limit, offset=offset, items=[CallOut.of(c) for c in rows])


@router.get("/calls/{call_id}", response_model=CallOut, summary="A call's status, progress and metadata")
def get_call(session: SessionDep, principal: PrincipalDep, call_id: str) -> CallOut:
    return CallOut.of(svc.get_call(session, call_id, principal))


def _show_pii(principal: Principal, requested: bool) -> bool:
    if requested and not principal.can_see_pii:
        raise Forbidden("your role has no 'pii' permission to see unmasked personal data")
    return requested


@router.get("/calls/{call_id}/transcript", response_model=TranscriptOut,
            summary="Per-speaker transcript (personal numbers masked unless show_pii)")
def get_transcript(
    session: SessionDep, principal: PrincipalDep, call_id: str, show_pii: bool = False, words: bool = False
) -> TranscriptOut:
    call = svc.get_call(session, call_id, principal)
    reveal = _show_pii(principal, show_pii)
    rows = [{"speaker": s.speaker, "text": s.text, "words": s.words} for s in call.segments]
    shown = rows if reveal else privacy.mask_segments(rows)
    segs = [
        SegmentOut(index=s.idx, speaker=s.speaker, start=s.start, end=s.end,
                   text=d["text"], words=d["words"] if words else None)
        for s, d in zip(call.segments, shown, strict=True)
    ]
    return TranscriptOut(call_id=call.id, status=call.status, role_confidence=call.role_confidence,
                         pii_masked=not reveal, segments=segs)


@router.get("/calls/{call_id}/result", summary="The full analysis result JSON (docs/result-schema.md)",
            response_class=JSONResponse, responses={200: result_response()})
def get_result(session: SessionDep, principal: PrincipalDep, call_id: str, show_pii: bool = False) -> JSONResponse:
    result = svc.finished_result(svc.get_call(session, call_id, principal))
    doc = result.to_json()
    return JSONResponse(doc if _show_pii(principal, show_pii) else privacy.mask_result(doc))


@router.post("/calls/{call_id}/reprocess", status_code=status.HTTP_202_ACCEPTED, response_model=CallCreated,
             summary="Run a call through the pipeline again (replaces its results)")
def reprocess(session: SessionDep, principal: PrincipalDep, call_id: str) -> CallCreated:
    require_role(principal, Role.admin, Role.qa)
    call = svc.get_call(session, call_id, principal)
    if not processing.reprocess(session, call):  # 409 busy while an attempt holds a live lease
        return CallCreated(id=call.id, status=call.status, links=_links(call.id))
    return _commit_and_enqueue(session, call)


@router.get("/search", response_model=SearchResult, summary="Full-text search of transcripts (jieba words)")
def search_transcripts(
    session: SessionDep, principal: PrincipalDep,
    q: Annotated[str, Query(min_length=1, max_length=200, examples=["大额存单"],
                            description='words to find (every word must occur in the turn); "quoted" for an '
                            "exact phrase")],
    limit: Annotated[int, Query(ge=1, le=200, description="at most this many turns")] = 50,
    branch: Annotated[str | None, Query(description="only calls of this branch (name or code)")] = None,
    agent: Annotated[str | None, Query(description="only calls of this agent code", examples=["A1023"])] = None,
    speaker: Annotated[Literal["agent", "customer"] | None, Query(description="only turns of this speaker")] = None,
    date_from: Annotated[IsoDateTime | None, Query(alias="from", description="calls started at or after")] = None,
    date_to: Annotated[IsoDateTime | None, Query(alias="to", description="calls started before")] = None,
    show_pii: Annotated[bool, Query(description="unmasked numbers (needs the pii permission)")] = False,
) -> SearchResult:
    if not q.strip():
        raise InvalidInput("empty query")
    # Without show_pii (and the permission) the query only meets the masked index.
    reveal = _show_pii(principal, show_pii)
    flt = svc.CallFilter(branch=branch, agent=agent, date_from=date_from, date_to=date_to)
    hits = svc.search_segments(session, principal, q, limit, flt, speaker, reveal_pii=reveal)
    texts = [s.text for s, _ in hits] if reveal else svc.masked_hit_texts(session, hits)
    return SearchResult(
        query=q, tokens=search.query_tokens(q),
        hits=[SearchHit(call_id=c.id, segment=s.idx, speaker=s.speaker, start=s.start, end=s.end,
                        text=text, branch=c.branch.name if c.branch else None, agent=c.agent_code,
                        started_at=c.started_at, highlights=search.highlights(text, q))
              for (s, c), text in zip(hits, texts, strict=True)],
    )


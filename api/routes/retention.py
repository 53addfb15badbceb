"""Retention and deletion (issue 15): delete a call or one customer's data, legal
holds, and the policy with a dry-run preview. Deleting is for admins only; holds for
admins and QA leads. Every action leaves a retention audit entry without personal data.
Audio files are removed only after the deletion committed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, Field

from api.deps import PrincipalDep, SessionDep
from callsight.auth import Role, require_role
from callsight.config import settings
from callsight.services import purge as purge_svc
from callsight.services import retention as svc
from core.jsonio import JsonObject

Reason = Annotated[str, Query(max_length=500, description="why (kept in the deletion audit; no personal data)")]
CustomerCode = Annotated[str, Path(max_length=100, description="the customer's code (as in call metadata)")]

router = APIRouter(prefix="/v1", tags=["retention"])


class Deleted(BaseModel):
    deleted: bool = True
    counts: dict[str, int]
    files_deleted: int


class HoldIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000, examples=["诉讼案号 (2026)京0105民初1234号"])


class HoldOut(BaseModel):
    call_id: str
    reason: str
    set_by_id: int | None
    set_at: str


class Policy(BaseModel):
    audio_days: int
    transcript_days: int
    result_days: int
    audit_days: int
    preview: JsonObject


def _finish(session: SessionDep, er: svc.Erasure) -> Deleted:
    session.commit()
    return Deleted(counts=er.counts, files_deleted=svc.unlink_files(er.files))


@router.delete("/calls/{call_id}", response_model=Deleted,
               summary="Delete a call and everything derived from it (admin; 409 under legal hold)",
               responses={403: {"description": "not an admin"}, 404: {"description": "no such call"},
                          409: {"description": "the call is under legal hold"}})
def delete_call(session: SessionDep, principal: PrincipalDep, call_id: str,
                reason: Reason = "") -> Deleted:
    return _finish(session, svc.delete_call(session, principal, call_id, reason))


@router.delete("/customers/{customer}", response_model=Deleted,
               summary="Delete all data of one customer (PIPL request; admin; 409 if a call is on hold)",
               responses={403: {"description": "not an admin"}, 404: {"description": "nothing stored"},
                          409: {"description": "one of the customer's calls is under legal hold"}})
def delete_customer(session: SessionDep, principal: PrincipalDep,
                    customer: CustomerCode,
                    reason: Reason = "") -> Deleted:
    return _finish(session, svc.delete_customer(session, principal, customer, reason))


@router.put("/calls/{call_id}/legal-hold", response_model=HoldOut,
            summary="Put a call under legal hold: no deletion, no purge (admin or QA lead)")
def set_hold(session: SessionDep, principal: PrincipalDep, call_id: str, body: Annotated[HoldIn, Body()]) -> HoldOut:
    hold = svc.set_hold(session, principal, call_id, body.reason)
    out = HoldOut(call_id=hold.call_id, reason=hold.reason, set_by_id=hold.set_by_id, set_at=hold.set_at.isoformat())
    session.commit()
    return out


@router.delete("/calls/{call_id}/legal-hold", status_code=204, summary="Clear a legal hold (admin or QA lead)")
def clear_hold(session: SessionDep, principal: PrincipalDep, call_id: str) -> None:
    svc.clear_hold(session, principal, call_id)
    session.commit()


@router.get("/retention", response_model=Policy, summary="The retention policy and what a purge would remove now")
def policy(session: SessionDep, principal: PrincipalDep) -> Policy:
    require_role(principal, Role.admin)
    preview = purge_svc.purge(session, dry_run=True)
    session.rollback()
    return Policy(audio_days=settings.retention_audio_days, transcript_days=settings.retention_transcript_days,
                  result_days=settings.retention_result_days, audit_days=settings.retention_audit_days,
                  preview=preview.as_json())

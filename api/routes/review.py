"""QA review workflow: the flagged-call queue, assignment, findings with evidence,
verdicts, the audit trail and rule precision. Appeals and calibration sessions are
in review_appeals.py and mounted on this router. See docs/review-workflow.md."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.deps import PrincipalDep, SessionDep
from api.params import MAX_ID, IdPath, IsoDateTime, Offset
from api.routes import review_appeals
from api.routes.review_schemas import (
    AssignmentIn,
    AssignmentList,
    AssignmentOut,
    AuditEntryOut,
    AuditOut,
    CallFindingsOut,
    CallReviewOut,
    EvidenceOut,
    FailedRuleOut,
    FindingOut,
    QueueItemOut,
    QueueOut,
    RulePrecisionList,
    RulePrecisionOut,
    VerdictIn,
    VerdictResult,
    appeal_out,
    call_review,
    mask_json,
    user_names,
)
from callsight import privacy
from callsight.auth import Principal, Role, require_role
from callsight.db.models import Call
from callsight.db.review import FindingRow
from callsight.errors import Forbidden
from callsight.services import review as svc
from callsight.services import review_audit, review_queue
from callsight.services.calls import get_call

router = APIRouter(prefix="/v1", tags=["review"])


def finding_out(session: Session, row: FindingRow, *, reveal: bool = False, blind: bool = False) -> FindingOut:
    appeal = svc.current_appeal(session, row.id)
    names = user_names(session, {row.verdict_by_id, appeal.appellant_id if appeal else None,
                                 appeal.ruled_by_id if appeal else None})
    evidence = [EvidenceOut(segment=e.segment, start=e.start, end=e.end,
                            text=e.text if reveal else privacy.mask_text(e.text)) for e in row.spans]
    return FindingOut(
        id=row.id, call_id=row.call_id, rule=row.rule, title=row.title, severity=row.severity,
        scorecard=row.scorecard, applicable=row.applicable, passed=row.passed, confidence=row.confidence,
        fatal=row.fatal, evidence=evidence,
        status=None if blind else row.status,
        effective_passed=None if blind else row.effective_passed,
        verdict_by=None if blind else names.get(row.verdict_by_id or -1),
        verdict_comment=None if blind else row.verdict_comment,
        verdict_at=None if blind else row.verdict_at,
        appeal=None if blind or appeal is None else appeal_out(appeal, names, row.rule, row.title),
    )


@router.get("/review/queue", response_model=QueueOut, summary="Calls waiting for QA review, most urgent first",
            description="Flagged calls (failed findings, high complaint risk, low service score), sampled calls "
            "and calls added by hand. Order: a standing fatal item first, then the worst standing severity, "
            "high complaint risk, the lower service score, the older call. Default state filter: queued and "
            "in_review ('all' for every state). Roles: admin, qa; managers read their own branches.")
def get_queue(
    session: SessionDep,
    principal: PrincipalDep,
    branch: Annotated[str | None, Query(description="only calls of this branch (name or code)")] = None,
    agent: Annotated[str | None, Query(description="only calls of this agent code", examples=["A1023"])] = None,
    rule: Annotated[str | None, Query(examples=["forbidden_promise"], description="only calls failing this rule id")]
    = None,
    date_from: Annotated[IsoDateTime | None, Query(alias="from", description="calls started at or after")] = None,
    date_to: Annotated[IsoDateTime | None, Query(alias="to", description="calls started before")] = None,
    state: Annotated[str | None, Query(examples=["queued"], description="queued | in_review | reviewed | closed | "
                                       "all (default: queued and in_review)")] = None,
    kind: Annotated[str | None, Query(examples=["sample"], description="flagged | sample | manual")] = None,
    assignee: Annotated[str | None, Query(description="a user id, 'me' or 'none'")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="page size")] = 50,
    offset: Offset = 0,
    min_service: Annotated[float | None, Query(ge=0, le=100, description="service score at least")] = None,
    max_service: Annotated[float | None, Query(ge=0, le=100, description="service score at most")] = None,
) -> QueueOut:
    flt = review_queue.QueueFilter(branch, agent, rule, date_from, date_to, state, kind, assignee, limit, offset,
                                   min_service, max_service)
    entries, total = review_queue.list_queue(session, principal, flt)
    items = [
        QueueItemOut(
            call_id=e.call.id, branch=e.call.branch.name if e.call.branch else None, agent=e.call.agent_code,
            started_at=e.call.started_at, kind=e.item.kind, review_state=e.call.review_state,
            flagged=e.call.flagged, flag_reasons=e.call.flag_reasons, service_score=e.call.service_score,
            marketing_score=e.call.marketing_score, fatal=e.item.fatal, severity_rank=e.item.severity_rank,
            complaint_risk_high=e.item.complaint_high,
            failed_rules=[FailedRuleOut.model_validate(f, from_attributes=True) for f in e.failed_rules],
            assignee_id=e.item.assignee_id, assignee=e.assignee_name, assigned_at=e.item.assigned_at,
            entered_at=e.item.entered_at,
        )
        for e in entries
    ]
    return QueueOut(total=total, limit=limit, offset=offset, items=items)


@router.post("/review/assignments", response_model=AssignmentList,
             summary="Assign calls to a reviewer, or claim them",
             description="A senior reviewer or an admin assigns calls to any QA reviewer whose branches cover "
             "them (and may reassign); a reviewer claims calls by omitting reviewer_id. A done call that is not "
             "queued yet enters the queue as 'manual'.")
def post_assignments(session: SessionDep, principal: PrincipalDep, body: AssignmentIn) -> AssignmentList:
    items = review_queue.assign(session, principal, body.call_ids, body.reviewer_id)
    session.commit()
    names = user_names(session, {i.assignee_id for i in items})
    states = {cid: state for cid, state in session.execute(
        select(Call.id, Call.review_state).where(Call.id.in_([i.call_id for i in items])))}
    return AssignmentList(items=[AssignmentOut(call_id=i.call_id, assignee_id=i.assignee_id,
                                               assignee=names.get(i.assignee_id or -1), assigned_at=i.assigned_at,
                                               review_state=states[i.call_id]) for i in items])


@router.post("/review/calls/{call_id}/close", response_model=CallReviewOut,
             summary="Close a call's review (every failed finding has a verdict)")
def close_review(session: SessionDep, principal: PrincipalDep, call_id: str) -> CallReviewOut:
    svc.close_review(session, principal, call_id)
    session.commit()
    return call_review(get_call(session, call_id))


def _reveal(principal: Principal, show_pii: bool) -> bool:
    if show_pii and not principal.can_see_pii:
        raise Forbidden("your role has no 'pii' permission to see unmasked personal data")
    return show_pii


@router.get("/calls/{call_id}/findings", response_model=CallFindingsOut,
            summary="A call's compliance findings with evidence, verdicts and appeals",
            description="Evidence is the segment index, its start and end in seconds and the words. Agents see "
            "their own calls, managers their branches'. A reviewer in an open calibration on this call sees "
            "no verdicts (blind).")
def get_findings(session: SessionDep, principal: PrincipalDep, call_id: str, show_pii: bool = False) -> CallFindingsOut:
    call, rows = svc.list_findings(session, call_id, principal)
    reveal = _reveal(principal, show_pii)
    blind = svc.blind_to_live_verdicts(session, principal, call.id)
    base = call_review(call).model_dump()
    return CallFindingsOut(**base, blind=blind, pii_masked=not reveal,
                           findings=[finding_out(session, r, reveal=reveal, blind=blind) for r in rows])


@router.post("/findings/{finding_id}/verdict", response_model=VerdictResult,
             summary="Confirm or dismiss a failed finding; the call is re-scored",
             description="Roles: qa, admin, within their scope. A dismissed failed finding counts as passed in "
             "the call's scores. A finding under appeal or already ruled on is changed only by the ruling (409).")
def post_verdict(session: SessionDep, principal: PrincipalDep, finding_id: IdPath, body: VerdictIn) -> VerdictResult:
    row = svc.record_verdict(session, principal, finding_id, body.verdict, body.comment)
    session.commit()
    return VerdictResult(finding=finding_out(session, row), call=call_review(get_call(session, row.call_id)))


@router.get("/audit", response_model=AuditOut, summary="The review audit trail (who, when, what, before/after)")
def get_audit(
    session: SessionDep,
    principal: PrincipalDep,
    call_id: str | None = None,
    finding_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    action: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> AuditOut:
    require_role(principal, Role.admin, Role.qa)
    if call_id is not None:
        get_call(session, call_id, principal)
    rows, total = review_audit.list_entries(session, principal, call_id=call_id, finding_id=finding_id,
                                            action=action, limit=limit, offset=offset)
    keep = principal.can_see_pii
    items = [AuditEntryOut(id=r.id, at=r.at, actor_id=r.actor_id, actor=r.actor_name, action=r.action,
                           call_id=r.call_id, finding_id=r.finding_id, appeal_id=r.appeal_id,
                           calibration_id=r.calibration_id,
                           before=r.before if keep else mask_json(r.before),
                           after=r.after if keep else mask_json(r.after),
                           detail=r.detail if keep else mask_json(r.detail)) for r in rows]
    return AuditOut(total=total, limit=limit, offset=offset, items=items)


@router.get("/review/rule-precision", response_model=RulePrecisionList,
            summary="Per rule: findings reviewed, confirmed, dismissed and precision over a period",
            description="Counts live verdicts given in [from, to); a finding overturned on appeal counts as "
            "dismissed. Roles: qa, admin.")
def get_rule_precision(
    session: SessionDep,
    principal: PrincipalDep,
    date_from: Annotated[IsoDateTime | None, Query(alias="from")] = None,
    date_to: Annotated[IsoDateTime | None, Query(alias="to")] = None,
) -> RulePrecisionList:
    rows = review_queue.rule_precision(session, principal, date_from, date_to)
    return RulePrecisionList(date_from=date_from, date_to=date_to,
                             rules=[RulePrecisionOut(**asdict(r)) for r in rows])


router.include_router(review_appeals.router)

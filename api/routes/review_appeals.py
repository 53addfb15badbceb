"""Appeals (agent appeals a confirmed finding once; a senior reviewer rules) and
calibration sessions (blind double review, kappa per rule). Mounted on the review
router (api/routes/review.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.deps import PrincipalDep, SessionDep
from api.params import IdPath, Offset
from api.routes.review_schemas import (
    AppealIn,
    AppealList,
    AppealOut,
    CalibrationIn,
    CalibrationItemOut,
    CalibrationOut,
    CalibrationVerdictIn,
    CalibrationVerdictOut,
    RaterVerdict,
    ReviewerProgress,
    RuleAgreementOut,
    RulingIn,
    RulingResult,
    appeal_out,
    call_review,
    user_names,
)
from callsight.db.review import Appeal, FindingRow
from callsight.services import appeals as appeals_svc
from callsight.services import calibration as cal_svc
from callsight.services.calibration import RuleAgreement
from callsight.services.calls import get_call

router = APIRouter()


def _appeal(session: Session, a: Appeal) -> AppealOut:
    row = session.execute(select(FindingRow.rule, FindingRow.title).where(FindingRow.id == a.finding_id)).first()
    rule, title = (row[0], row[1]) if row else (None, None)
    return appeal_out(a, user_names(session, {a.appellant_id, a.ruled_by_id}), rule, title)


@router.post("/findings/{finding_id}/appeal", status_code=status.HTTP_201_CREATED, response_model=AppealOut,
             summary="The call's agent appeals a confirmed finding (once)",
             description="Role: agent, on their own calls only. 409 when the finding is not confirmed or was "
             "already appealed.")
def post_appeal(session: SessionDep, principal: PrincipalDep, finding_id: IdPath, body: AppealIn) -> AppealOut:
    appeal = appeals_svc.create_appeal(session, principal, finding_id, body.reason)
    session.commit()
    return _appeal(session, appeal)


@router.get("/appeals", response_model=AppealList, summary="Appeals within your scope (agents: on their own calls)")
def list_appeals(
    session: SessionDep,
    principal: PrincipalDep,
    status_: Annotated[str | None, Query(alias="status", examples=["open"])] = None,
    call_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> AppealList:
    rows, total = appeals_svc.list_appeals(session, principal, status=status_, call_id=call_id, limit=limit,
                                           offset=offset)
    return AppealList(total=total, limit=limit, offset=offset, items=[_appeal(session, a) for a in rows])


@router.post("/appeals/{appeal_id}/ruling", response_model=RulingResult,
             summary="A senior reviewer (or admin) rules on an open appeal",
             description="upheld: the finding stays confirmed. overturned: the finding is dismissed and the "
             "call re-scored. Whoever gave the verdict under appeal may not rule on it (403).")
def post_ruling(session: SessionDep, principal: PrincipalDep, appeal_id: IdPath, body: RulingIn) -> RulingResult:
    appeal = appeals_svc.rule_on(session, principal, appeal_id, body.decision, body.comment)
    session.commit()
    return RulingResult(appeal=_appeal(session, appeal), call=call_review(get_call(session, appeal.call_id)))


def _agreement_out(a: RuleAgreement) -> RuleAgreementOut:
    return RuleAgreementOut(rule=a.rule, items=a.items, incomplete=a.incomplete, method=a.method,
                            observed=a.observed, kappa=a.kappa)


def _calibration(session: Session, principal: PrincipalDep, calibration_id: int) -> CalibrationOut:
    v = cal_svc.view(session, principal, calibration_id)
    c = v.calibration
    return CalibrationOut(
        id=c.id, title=c.title, status=c.status, created_by_id=c.created_by_id, created_at=c.created_at,
        closed_at=c.closed_at, reviewer_ids=v.reviewer_ids, call_ids=v.call_ids, blind=v.blind,
        progress=[ReviewerProgress(reviewer_id=r, verdicts=n) for r, n in sorted(v.progress.items())],
        items=[CalibrationItemOut(finding_id=it.finding_id, call_id=it.call_id, rule=it.rule,
                                  verdicts=[RaterVerdict(reviewer_id=r, verdict=x)
                                            for r, x in sorted(it.verdicts.items())]) for it in v.items],
        agreement=None if v.agreement is None else [_agreement_out(a) for a in v.agreement],
        overall=None if v.overall is None else _agreement_out(v.overall),
    )


@router.post("/review/calibrations", status_code=status.HTTP_201_CREATED, response_model=CalibrationOut,
             summary="Start a calibration: the same calls reviewed blind by several reviewers",
             description="Roles: senior qa, admin. Calibration verdicts never change a call's live scores.")
def post_calibration(session: SessionDep, principal: PrincipalDep, body: CalibrationIn) -> CalibrationOut:
    cal = cal_svc.create(session, principal, call_ids=body.call_ids, reviewer_ids=body.reviewer_ids,
                         title=body.title)
    session.commit()
    return _calibration(session, principal, cal.id)


@router.get("/review/calibrations/{calibration_id}", response_model=CalibrationOut,
            summary="A calibration: items, verdicts, agreement per rule (Cohen's / Fleiss' kappa)",
            description="While open, a reviewer sees only their own verdicts and no agreement; the creator, "
            "admins and senior reviewers see everything. Once closed, every member sees everything.")
def get_calibration(session: SessionDep, principal: PrincipalDep, calibration_id: IdPath) -> CalibrationOut:
    return _calibration(session, principal, calibration_id)


@router.post("/review/calibrations/{calibration_id}/verdicts", response_model=CalibrationVerdictOut,
             summary="A calibration reviewer's verdict on one failed finding (blind; no effect on scores)")
def post_calibration_verdict(session: SessionDep, principal: PrincipalDep, calibration_id: IdPath,
                             body: CalibrationVerdictIn) -> CalibrationVerdictOut:
    cv = cal_svc.record_verdict(session, principal, calibration_id, body.finding_id, body.verdict, body.comment)
    session.commit()
    return CalibrationVerdictOut(calibration_id=cv.calibration_id, finding_id=cv.finding_id, rule=cv.rule,
                                 verdict=cv.verdict, comment=cv.comment)


@router.post("/review/calibrations/{calibration_id}/close", response_model=CalibrationOut,
             summary="Close a calibration: verdicts and agreement become visible to its reviewers")
def close_calibration(session: SessionDep, principal: PrincipalDep, calibration_id: IdPath) -> CalibrationOut:
    cal_svc.close(session, principal, calibration_id)
    session.commit()
    return _calibration(session, principal, calibration_id)

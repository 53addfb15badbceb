"""Calibration sessions: the same calls reviewed blind by several reviewers, then
agreement per rule (Cohen's kappa for two reviewers, Fleiss' for more).

Calibration verdicts live in their own table and never change a finding's live
status or the call's scores. While a session is open a member sees only their own
verdicts (here and in the call's findings); leads (admins, senior reviewers) and
the creator follow progress and agreement; everyone sees all once it is closed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callsight.auth import Principal, Role, can_read_call, principal_of, require_role, scope_by
from callsight.db.models import Call, CallStatus, User, utcnow
from callsight.db.review import (
    Calibration,
    CalibrationCall,
    CalibrationReviewer,
    CalibrationVerdict,
    FindingRow,
)
from callsight.errors import Conflict, Forbidden, InvalidInput, NotFound
from callsight.services import review
from callsight.services import review_audit as audit
from callsight.services.calls import get_call
from qa.agreement import agreement


def create(session: Session, principal: Principal, *, call_ids: list[str], reviewer_ids: list[int],
           title: str = "") -> Calibration:
    require_role(principal, Role.admin, Role.qa)
    if not review.is_lead(session, principal):
        raise Forbidden("only a senior reviewer or an admin starts a calibration")
    reviewer_ids = list(dict.fromkeys(reviewer_ids))
    call_ids = list(dict.fromkeys(call_ids))
    if len(reviewer_ids) < 2:
        raise InvalidInput("reviewer_ids: a calibration needs at least two distinct reviewers")
    if not call_ids:
        raise InvalidInput("call_ids: a calibration needs at least one call")
    reviewers: list[User] = []
    for uid in reviewer_ids:
        user = session.get(User, uid)
        if user is None or not user.active or user.role not in (Role.qa.value, Role.admin.value):
            raise InvalidInput(f"reviewer_ids: {uid} is not an active QA reviewer", code="not_a_reviewer")
        reviewers.append(user)
    for cid in call_ids:
        call = get_call(session, cid, principal)
        if call.status != CallStatus.done.value:
            raise Conflict(f"call {cid} has no result yet (status: {call.status})", code="not_ready")
        for user in reviewers:
            if not can_read_call(principal_of(user), call):
                raise InvalidInput(f"call_ids: call {cid} is outside reviewer '{user.name}''s branches",
                                   code="outside_reviewer_scope")
    cal = Calibration(title=title, created_by_id=principal.user_id, status="open")
    session.add(cal)
    session.flush()
    session.add_all([CalibrationReviewer(calibration_id=cal.id, user_id=u.id) for u in reviewers])
    session.add_all([CalibrationCall(calibration_id=cal.id, call_id=c) for c in call_ids])
    for cid in call_ids:
        audit.record(session, principal, "calibration_assigned", call_id=cid, calibration_id=cal.id,
                     before=None, after={"reviewer_ids": reviewer_ids})
    session.flush()
    return cal


def _get(session: Session, calibration_id: int) -> Calibration:
    cal = session.get(Calibration, calibration_id)
    if cal is None:
        raise NotFound(f"no calibration with id {calibration_id}")
    return cal


def _members(session: Session, cal: Calibration) -> list[int]:
    return list(session.scalars(select(CalibrationReviewer.user_id)
                                .where(CalibrationReviewer.calibration_id == cal.id)
                                .order_by(CalibrationReviewer.user_id)))


def _calls(session: Session, cal: Calibration) -> list[str]:
    return list(session.scalars(select(CalibrationCall.call_id).where(CalibrationCall.calibration_id == cal.id)
                                .order_by(CalibrationCall.call_id)))


def record_verdict(session: Session, principal: Principal, calibration_id: int, finding_id: int, verdict: str,
                   comment: str | None) -> CalibrationVerdict:
    cal = _get(session, calibration_id)
    if principal.user_id not in _members(session, cal):
        raise Forbidden(f"you are not a reviewer of calibration {calibration_id}")
    if cal.status != "open":
        raise Conflict(f"calibration {calibration_id} is closed", code="calibration_closed")
    if verdict not in review.VERDICTS:
        raise InvalidInput(f"verdict: must be one of {', '.join(review.VERDICTS)}, not '{verdict}'")
    row = session.get(FindingRow, finding_id)
    if row is None or row.call_id not in _calls(session, cal):
        raise NotFound(f"finding {finding_id} is not part of calibration {calibration_id}")
    if not row.reviewable:
        raise Conflict(f"finding {finding_id} ({row.rule}) did not fail: only failed findings take a verdict",
                       code="not_reviewable")
    cv = session.scalar(select(CalibrationVerdict).where(
        CalibrationVerdict.calibration_id == cal.id, CalibrationVerdict.reviewer_id == principal.user_id,
        CalibrationVerdict.finding_id == row.id))
    before = None if cv is None else {"verdict": cv.verdict, "comment": cv.comment}
    if cv is None:
        cv = CalibrationVerdict(calibration_id=cal.id, reviewer_id=principal.user_id, finding_id=row.id,
                                call_id=row.call_id, rule=row.rule, verdict=verdict)
        session.add(cv)
    cv.verdict, cv.comment = verdict, comment
    session.flush()
    audit.record(session, principal, "calibration_verdict", call_id=row.call_id, finding_id=row.id,
                 calibration_id=cal.id, before=before, after={"verdict": verdict, "comment": comment})
    return cv


def close(session: Session, principal: Principal, calibration_id: int) -> Calibration:
    cal = _get(session, calibration_id)
    if principal.role is not Role.admin and principal.user_id != cal.created_by_id:
        raise Forbidden("only the calibration's creator or an admin closes it")
    if cal.status != "open":
        raise Conflict(f"calibration {calibration_id} is already closed", code="calibration_closed")
    cal.status, cal.closed_at = "closed", utcnow()
    audit.record(session, principal, "calibration_closed", calibration_id=cal.id, before={"status": "open"},
                 after={"status": "closed"})
    return cal


@dataclass(frozen=True)
class RuleAgreement:
    rule: str
    items: int  # failed findings of this rule rated by every reviewer
    incomplete: int  # rated by some reviewers only (left out of kappa)
    method: str | None
    observed: float | None
    kappa: float | None


@dataclass
class CalibrationItem:
    """A failed finding under calibration and the verdicts shown (reviewer id → verdict)."""

    finding_id: int
    call_id: str
    rule: str
    verdicts: dict[int, str] = field(default_factory=dict)


@dataclass
class CalibrationView:
    calibration: Calibration
    reviewer_ids: list[int]
    call_ids: list[str]
    items: list[CalibrationItem] = field(default_factory=list)
    progress: dict[int, int] = field(default_factory=dict)
    blind: bool = False
    agreement: list[RuleAgreement] | None = None
    overall: RuleAgreement | None = None


def _agree(rule: str, items: list[CalibrationItem], reviewers: list[int]) -> RuleAgreement:
    full = [[it.verdicts[r] for r in reviewers] for it in items if all(r in it.verdicts for r in reviewers)]
    incomplete = sum(1 for it in items if it.verdicts and len(it.verdicts) < len(reviewers))
    if not full:
        return RuleAgreement(rule, 0, incomplete, None, None, None)
    a = agreement(full)
    kappa = None if a.kappa is None else round(a.kappa, 4)
    return RuleAgreement(rule, a.items, incomplete, a.method, round(a.observed, 4), kappa)


def view(session: Session, principal: Principal, calibration_id: int) -> CalibrationView:
    cal = _get(session, calibration_id)
    reviewers = _members(session, cal)
    lead = principal.user_id == cal.created_by_id or review.is_lead(session, principal)
    if not lead and principal.user_id not in reviewers:
        raise Forbidden(f"you are not a reviewer of calibration {calibration_id}")
    blind = not lead and cal.status == "open"
    call_ids = _calls(session, cal)
    member = principal.user_id == cal.created_by_id or principal.user_id in reviewers
    if not member and not principal.all_branches:
        # A lead over some branches sees a calibration only when all its calls are theirs.
        mine = select(func.count()).select_from(Call).where(Call.id.in_(call_ids))
        visible = session.scalar(scope_by(mine, principal, Call.branch_id, Call.agent_code))
        if visible != len(call_ids):
            raise Forbidden(f"calibration {calibration_id} includes calls outside your branches")
    rows = session.scalars(select(FindingRow).where(FindingRow.call_id.in_(call_ids), FindingRow.applicable,
                                                    FindingRow.passed.is_(False))
                           .order_by(FindingRow.call_id, FindingRow.id)).all()
    items = {r.id: CalibrationItem(r.id, r.call_id, r.rule) for r in rows}
    progress: dict[int, int] = dict.fromkeys(reviewers, 0)
    for cv in session.scalars(select(CalibrationVerdict).where(CalibrationVerdict.calibration_id == cal.id)):
        progress[cv.reviewer_id] = progress.get(cv.reviewer_id, 0) + 1
        if cv.finding_id in items and (not blind or cv.reviewer_id == principal.user_id):
            items[cv.finding_id].verdicts[cv.reviewer_id] = cv.verdict
    out = CalibrationView(cal, reviewers, call_ids, list(items.values()), progress, blind)
    if not blind:
        by_rule: dict[str, list[CalibrationItem]] = defaultdict(list)
        for it in out.items:
            by_rule[it.rule].append(it)
        out.agreement = [_agree(rule, its, reviewers) for rule, its in sorted(by_rule.items())]
        out.overall = _agree("*", out.items, reviewers)
    return out

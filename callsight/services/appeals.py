"""Appeals: the agent of a call appeals a confirmed finding once; a senior reviewer
(or an admin) who did not give the verdict rules on it. Overturned means the finding
is dismissed and the call re-scored."""

from __future__ import annotations

from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callsight.auth import Principal, Role, require_role, scope_calls
from callsight.db.models import Call, utcnow
from callsight.db.review import Appeal, AppealStatus, FindingRow, FindingStatus
from callsight.errors import Conflict, Forbidden, InvalidInput, NotFound
from callsight.services import review
from callsight.services import review_audit as audit
from callsight.services.calls import get_call

DECISIONS = (AppealStatus.upheld.value, AppealStatus.overturned.value)


def _appeal_dict(a: Appeal) -> dict[str, object]:
    return {"status": a.status, "ruled_by_id": a.ruled_by_id, "ruling_comment": a.ruling_comment}


def create_appeal(session: Session, principal: Principal, finding_id: int, reason: str) -> Appeal:
    require_role(principal, Role.agent)
    row, call = review.get_finding(session, finding_id, principal)  # another agent's call: 403
    if row.status != FindingStatus.confirmed.value:
        raise Conflict(f"finding {finding_id} is '{row.status}': only a confirmed finding can be appealed",
                       code="not_confirmed")
    earlier = review.current_appeal(session, row.id)
    if earlier is not None:
        raise Conflict(f"finding {finding_id} was already appealed (appeal {earlier.id}, {earlier.status}); "
                       "a finding can be appealed once", code="already_appealed")
    appeal = Appeal(finding_id=row.id, call_id=call.id, appellant_id=principal.user_id, reason=reason,
                    status=AppealStatus.open.value, verdict_by_id=row.verdict_by_id)
    session.add(appeal)
    session.flush()
    audit.record(session, principal, "appeal", call_id=call.id, finding_id=row.id, appeal_id=appeal.id,
                 before=None, after={"status": appeal.status, "reason": reason})
    return appeal


def get_appeal(session: Session, appeal_id: int, principal: Principal) -> Appeal:
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(f"no appeal with id {appeal_id}")
    get_call(session, appeal.call_id, principal)
    return appeal


def rule_on(session: Session, principal: Principal, appeal_id: int, decision: str, comment: str | None) -> Appeal:
    require_role(principal, Role.admin, Role.qa)
    if decision not in DECISIONS:
        raise InvalidInput(f"decision: must be one of {', '.join(DECISIONS)}, not '{decision}'")
    appeal = get_appeal(session, appeal_id, principal)
    if not review.is_lead(session, principal):
        raise Forbidden("only a senior reviewer or an admin rules on appeals")
    if appeal.status != AppealStatus.open.value:
        raise Conflict(f"appeal {appeal_id} is '{appeal.status}', not open", code="appeal_closed")
    row = session.get(FindingRow, appeal.finding_id)
    if row is None:  # cascades make this unreachable; kept for a clear error
        raise NotFound(f"the finding of appeal {appeal_id} no longer exists")
    if principal.user_id in (appeal.verdict_by_id, row.verdict_by_id):
        raise Forbidden("you gave the verdict under appeal: another senior reviewer must rule on it")
    before = _appeal_dict(appeal)
    appeal.status = decision
    appeal.ruled_by_id = principal.user_id
    appeal.ruling_comment = comment
    appeal.ruled_at = utcnow()
    audit.record(session, principal, "ruling", call_id=appeal.call_id, finding_id=row.id, appeal_id=appeal.id,
                 before=before, after=_appeal_dict(appeal))
    if decision == AppealStatus.overturned.value:
        finding_before = review.snapshot(row)
        row.status = FindingStatus.dismissed.value
        row.effective_passed = True
        audit.record(session, principal, "finding_overturned", call_id=appeal.call_id, finding_id=row.id,
                     appeal_id=appeal.id, before=finding_before, after=review.snapshot(row))
        call = session.get(Call, appeal.call_id)
        if call is not None:
            review.refresh(session, call)
    return appeal


def list_appeals(session: Session, principal: Principal, *, status: str | None = None, call_id: str | None = None,
                 limit: int = 50, offset: int = 0) -> tuple[list[Appeal], int]:
    """Agents see the appeals on their own calls; others those within their scope."""
    stmt = select(Appeal).where(Appeal.call_id.in_(select(scope_calls(select(Call), principal).subquery().c.id)))
    if status is not None:
        if status not in AppealStatus.__members__:
            raise InvalidInput(f"status: unknown appeal status '{status}' ({', '.join(AppealStatus.__members__)})")
        stmt = stmt.where(Appeal.status == status)
    if call_id is not None:
        stmt = stmt.where(Appeal.call_id == call_id)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Appeal.created_at, Appeal.id).limit(limit).offset(offset)).all()
    return cast(list[Appeal], list(rows)), total

"""The review audit trail: every verdict, appeal, ruling, assignment, calibration
step and re-analysis change, with who, when, what, before and after. Append-only
(the ORM refuses updates and deletes of its rows)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callsight.auth import Principal, scope_calls
from callsight.db.models import Call
from callsight.db.review import ReviewAudit
from core.jsonio import JsonObject

SYSTEM = "system"


def record(
    session: Session,
    actor: Principal | None,
    action: str,
    *,
    call_id: str | None = None,
    finding_id: int | None = None,
    appeal_id: int | None = None,
    calibration_id: int | None = None,
    before: JsonObject | None = None,
    after: JsonObject | None = None,
    **detail: Any,
) -> ReviewAudit:
    entry = ReviewAudit(
        actor_id=actor.user_id if actor else None,
        actor_name=actor.name if actor else SYSTEM,
        action=action,
        call_id=call_id,
        finding_id=finding_id,
        appeal_id=appeal_id,
        calibration_id=calibration_id,
        before=before,
        after=after,
        detail=detail,
    )
    session.add(entry)
    return entry


def list_entries(
    session: Session,
    principal: Principal,
    *,
    call_id: str | None = None,
    finding_id: int | None = None,
    action: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[ReviewAudit], int]:
    """Entries in time order; a reviewer limited to some branches sees only their calls'."""
    stmt = select(ReviewAudit)
    if call_id is not None:
        stmt = stmt.where(ReviewAudit.call_id == call_id)
    if finding_id is not None:
        stmt = stmt.where(ReviewAudit.finding_id == finding_id)
    if action is not None:
        stmt = stmt.where(ReviewAudit.action == action)
    if not principal.all_branches:
        stmt = stmt.where(ReviewAudit.call_id.in_(select(scope_calls(select(Call), principal).subquery().c.id)))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(ReviewAudit.at, ReviewAudit.id).limit(limit).offset(offset)).all()
    return cast(list[ReviewAudit], list(rows)), total

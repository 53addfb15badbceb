"""The review queue (flagged, sampled and hand-added calls, most urgent first),
assignment of calls to reviewers, and rule precision from verdicts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, not_, select
from sqlalchemy.orm import Session

from callsight.auth import Principal, Role, can_read_call, principal_of, require_role, scope_calls
from callsight.db.models import Call, CallStatus, User, utcnow
from callsight.db.review import FindingRow, FindingStatus, ReviewItem, ReviewState
from callsight.errors import Conflict, Forbidden, InvalidInput
from callsight.services import review
from callsight.services import review_audit as audit
from callsight.services.calls import find_branch, get_call

OPEN_STATES = (ReviewState.queued.value, ReviewState.in_review.value)
KINDS = ("flagged", "sample", "manual")


@dataclass(frozen=True)
class QueueFilter:
    branch: str | None = None
    agent: str | None = None
    rule: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    # None: the open states (queued, in_review); "all": every state.
    state: str | None = None
    kind: str | None = None
    # A user id, "me" or "none" (unassigned).
    assignee: str | None = None
    limit: int = 50
    offset: int = 0
    # Service-score bounds, inclusive (a call without a score matches neither).
    min_service: float | None = None
    max_service: float | None = None


@dataclass(frozen=True, slots=True)
class FailedRuleEntry:
    """A failed finding of a queued call, as the queue lists it."""

    finding_id: int
    rule: str
    title: str
    severity: str
    fatal: bool
    status: str


@dataclass(frozen=True)
class QueueEntry:
    item: ReviewItem
    call: Call
    failed_rules: list[FailedRuleEntry]
    assignee_name: str | None


def _scoped_ids(principal: Principal) -> Any:
    return select(scope_calls(select(Call), principal).subquery().c.id)


def list_queue(session: Session, principal: Principal, flt: QueueFilter) -> tuple[list[QueueEntry], int]:
    """Managers read their branches' queue; QA and admins their scope; agents not at all."""
    require_role(principal, Role.admin, Role.qa, Role.manager)
    stmt = select(ReviewItem, Call).join(Call, Call.id == ReviewItem.call_id)
    if not principal.all_branches:
        stmt = stmt.where(Call.id.in_(_scoped_ids(principal)))
    if flt.branch:
        stmt = stmt.where(Call.branch_id == find_branch(session, flt.branch).id)
    if flt.agent:
        stmt = stmt.where(Call.agent_code == flt.agent)
    if flt.rule:
        failing = select(FindingRow.call_id).where(FindingRow.rule == flt.rule, FindingRow.applicable,
                                                   not_(FindingRow.passed))
        stmt = stmt.where(Call.id.in_(failing))
    when = func.coalesce(Call.started_at, Call.created_at)
    if flt.date_from:
        stmt = stmt.where(when >= flt.date_from)
    if flt.date_to:
        stmt = stmt.where(when < flt.date_to)
    if flt.min_service is not None:
        stmt = stmt.where(Call.service_score >= flt.min_service)
    if flt.max_service is not None:
        stmt = stmt.where(Call.service_score <= flt.max_service)
    if flt.state is None:
        stmt = stmt.where(Call.review_state.in_(OPEN_STATES))
    elif flt.state != "all":
        if flt.state not in ReviewState.__members__:
            raise InvalidInput(f"state: unknown review state '{flt.state}' "
                               f"({', '.join(ReviewState.__members__)} or all)")
        stmt = stmt.where(Call.review_state == flt.state)
    if flt.kind:
        if flt.kind not in KINDS:
            raise InvalidInput(f"kind: unknown queue kind '{flt.kind}' ({', '.join(KINDS)})")
        stmt = stmt.where(ReviewItem.kind == flt.kind)
    if flt.assignee:
        if flt.assignee == "none":
            stmt = stmt.where(ReviewItem.assignee_id.is_(None))
        elif flt.assignee == "me":
            stmt = stmt.where(ReviewItem.assignee_id == principal.user_id)
        elif flt.assignee.isdigit():
            stmt = stmt.where(ReviewItem.assignee_id == int(flt.assignee))
        else:
            raise InvalidInput(f"assignee: '{flt.assignee}' is not a user id, 'me' or 'none'")
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = session.execute(
        stmt.order_by(ReviewItem.fatal.desc(), ReviewItem.severity_rank.desc(), ReviewItem.complaint_high.desc(),
                      func.coalesce(Call.service_score, 100.0), when, Call.id)
        .limit(flt.limit).offset(flt.offset)
    ).all()
    ids = [call.id for _, call in page]
    failed: dict[str, list[FailedRuleEntry]] = defaultdict(list)
    for f in session.scalars(select(FindingRow).where(FindingRow.call_id.in_(ids), FindingRow.applicable,
                                                      not_(FindingRow.passed)).order_by(FindingRow.id)):
        failed[f.call_id].append(FailedRuleEntry(f.id, f.rule, f.title, f.severity, f.fatal, f.status))
    assignees = {item.assignee_id for item, _ in page if item.assignee_id is not None}
    names = {uid: name for uid, name in session.execute(
        select(User.id, User.name).where(User.id.in_(assignees)))} if assignees else {}
    entries = [QueueEntry(item, call, failed.get(call.id, []), names.get(item.assignee_id or -1))
               for item, call in page]
    return entries, total


def assign(session: Session, principal: Principal, call_ids: list[str], reviewer_id: int | None) -> list[ReviewItem]:
    """Assign calls to a reviewer. Without ``reviewer_id`` the caller claims them.

    Only a lead (admin or senior reviewer) assigns to others or takes over a call
    assigned to someone else; a call not yet queued enters the queue as 'manual'."""
    require_role(principal, Role.admin, Role.qa)
    lead = review.is_lead(session, principal)
    target_id = principal.user_id if reviewer_id is None else reviewer_id
    if target_id != principal.user_id and not lead:
        raise Forbidden("only a senior reviewer or an admin assigns calls to others; omit reviewer_id to claim")
    reviewer = session.get(User, target_id)
    if reviewer is None or not reviewer.active:
        raise InvalidInput(f"reviewer_id: no active user with id {target_id}", code="unknown_reviewer")
    if reviewer.role not in (Role.qa.value, Role.admin.value):
        raise InvalidInput(f"reviewer_id: user '{reviewer.name}' is a {reviewer.role}, not a QA reviewer",
                           code="not_a_reviewer")
    reviewer_p = principal_of(reviewer)
    items: list[ReviewItem] = []
    for call_id in dict.fromkeys(call_ids):
        call = get_call(session, call_id, principal)
        if call.status != CallStatus.done.value:
            raise Conflict(f"call {call_id} has no result yet (status: {call.status})", code="not_ready")
        if not can_read_call(reviewer_p, call):
            raise InvalidInput(f"call_ids: call {call_id} is outside reviewer '{reviewer.name}''s branches",
                               code="outside_reviewer_scope")
        item = review.queue_item_for(session, call)
        if item.closed_at is not None:
            raise Conflict(f"the review of call {call_id} is closed", code="review_closed")
        if item.assignee_id not in (None, target_id) and not lead:
            raise Conflict(f"call {call_id} is already assigned to another reviewer", code="already_assigned")
        if item.assignee_id != target_id:
            before = {"assignee_id": item.assignee_id}
            item.assignee_id, item.assigned_at = target_id, utcnow()
            audit.record(session, principal, "assigned", call_id=call.id, before=before,
                         after={"assignee_id": target_id},
                         how="claimed" if target_id == principal.user_id else "assigned")
        review.refresh(session, call)
        items.append(item)
    return items


@dataclass(frozen=True)
class RulePrecision:
    rule: str
    title: str
    reviewed: int
    confirmed: int
    dismissed: int
    precision: float | None


def rule_precision(session: Session, principal: Principal, date_from: datetime | None,
                   date_to: datetime | None) -> list[RulePrecision]:
    """Per rule, over live verdicts given in [from, to): precision = confirmed / reviewed.

    A finding overturned on appeal counts as dismissed (the final ruling)."""
    require_role(principal, Role.admin, Role.qa)
    reviewed = (FindingStatus.confirmed.value, FindingStatus.dismissed.value)
    cond: list[ColumnElement[bool]] = [FindingRow.status.in_(reviewed)]
    if date_from:
        cond.append(FindingRow.verdict_at >= date_from)
    if date_to:
        cond.append(FindingRow.verdict_at < date_to)
    if not principal.all_branches:
        cond.append(FindingRow.call_id.in_(_scoped_ids(principal)))
    rows = session.execute(
        select(FindingRow.rule, FindingRow.status, func.count(), func.max(FindingRow.title))
        .where(and_(*cond)).group_by(FindingRow.rule, FindingRow.status)
    ).all()
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"confirmed": 0, "dismissed": 0})
    titles: dict[str, str] = {}
    for rule, status, n, title in rows:
        counts[rule][status] = int(n)
        titles[rule] = title
    out = []
    for rule in sorted(counts):
        c, d = counts[rule]["confirmed"], counts[rule]["dismissed"]
        out.append(RulePrecision(rule, titles[rule], c + d, c, d, round(c / (c + d), 4) if c + d else None))
    return out

"""Reading upsell data back: openings, 开口 counts, script tests, an agent's next
actions. Takes a session, never commits; every query is scoped to the principal
(manager: own branches; agent: own calls) through the opening rows' branch and agent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypeVar

from sqlalchemy import Integer, Select, case, func, select
from sqlalchemy.orm import Session

from callsight.auth import Principal, Role, require_role, scope_by
from callsight.db.models import Branch, Call, CallStatus
from callsight.db.upsell import Outcome, UpsellOpeningRow, UpsellSuggestionRow
from callsight.errors import Forbidden, InvalidInput
from callsight.services.calls import find_branch
from callsight.services.results import load_result
from callsight.services.upsell import aware, call_time, suggestions_of
from core.result import NextActionRecord
from upsell.ab_stats import MIN_TRIALS, compare_variants, variant_rate
from upsell.openings import OPENING_LABELS, OPENING_TYPES

Group = Literal["agent", "branch"]
_S = TypeVar("_S", bound=Select[*tuple[Any, ...]])


def _scoped(stmt: _S, principal: Principal) -> _S:
    return scope_by(stmt, principal, UpsellOpeningRow.branch_id, UpsellOpeningRow.agent_code)


def _period(stmt: _S, date_from: datetime | None, date_to: datetime | None) -> _S:
    if date_from and date_to and date_from >= date_to:
        raise InvalidInput("'from' must be before 'to'", details={"field": "from"})
    # Stored in UTC: compare with UTC values (naive input is read as UTC). SQLite compares
    # the UTC wall time it stored, PostgreSQL the instants; both agree.
    if date_from:
        stmt = stmt.where(UpsellOpeningRow.started_at >= aware(date_from))
    if date_to:
        stmt = stmt.where(UpsellOpeningRow.started_at < aware(date_to))
    return stmt


def _branch_id(session: Session, principal: Principal, branch: str | None) -> int | None:
    if not branch:
        return None
    b = find_branch(session, branch)
    if not principal.all_branches and principal.role is not Role.agent and b.id not in principal.branch_ids:
        raise Forbidden(f"branch '{branch}' is outside your scope")
    return b.id


@dataclass(frozen=True)
class OpeningFilter:
    branch: str | None = None
    agent: str | None = None
    type: str | None = None
    taken: bool | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True)
class SuggestionItem:
    """A script suggested for an opening and what came of it (field order: the JSON key order)."""

    script: str
    variant: str
    kind: str
    product: str | None
    used_by_agent: bool
    use_score: float
    used_segment: int | None
    outcome: str
    outcome_call_id: str | None
    outcome_reference: str | None
    outcome_at: str | None


@dataclass(frozen=True, slots=True)
class OpeningItem:
    id: int
    call_id: str
    call: str
    branch: str | None
    agent: str | None
    customer: str | None
    type: str
    label: str
    segment: int
    taken: bool
    cue: str
    agent_segment: int | None
    started_at: str | None
    suggestions: tuple[SuggestionItem, ...]


@dataclass(frozen=True, slots=True)
class KaikouRow:
    name: str | None  # the agent code or branch name (the row's key is the group)
    openings: int
    taken: int
    taken_rate: float | None


@dataclass(frozen=True, slots=True)
class VariantTest:
    variant: str
    suggested: int
    used: int
    conversions: int
    conversion_rate: float | None
    interval95: tuple[float, float]
    conversions_all_suggested: int
    note: str | None


@dataclass(frozen=True, slots=True)
class ScriptTest:
    script: str
    opening: str
    variants: tuple[VariantTest, ...]
    verdict: str


def list_openings(session: Session, principal: Principal, flt: OpeningFilter) -> tuple[list[OpeningItem], int]:
    if flt.type is not None and flt.type not in OPENING_TYPES:
        raise InvalidInput(f"unknown opening type '{flt.type}' (one of {', '.join(OPENING_TYPES)})",
                           details={"field": "type"})
    if principal.role is Role.agent and flt.agent and flt.agent != principal.agent_code:
        raise Forbidden("an agent may only list their own openings")
    stmt = _period(_scoped(select(UpsellOpeningRow), principal), flt.date_from, flt.date_to)
    branch_id = _branch_id(session, principal, flt.branch)
    if branch_id is not None:
        stmt = stmt.where(UpsellOpeningRow.branch_id == branch_id)
    if flt.agent:
        stmt = stmt.where(UpsellOpeningRow.agent_code == flt.agent)
    if flt.type:
        stmt = stmt.where(UpsellOpeningRow.type == flt.type)
    if flt.taken is not None:
        stmt = stmt.where(UpsellOpeningRow.taken == flt.taken)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(session.scalars(stmt.order_by(UpsellOpeningRow.started_at.desc(), UpsellOpeningRow.id)
                                .limit(flt.limit).offset(flt.offset)))
    branches = {b.id: b.name for b in session.scalars(select(Branch))}
    sugs = suggestions_of(session, (r.id for r in rows))
    items = []
    for r in rows:
        started = aware(r.started_at)
        items.append(OpeningItem(
            id=r.id, call_id=r.call_id, call=f"/v1/calls/{r.call_id}",
            branch=branches.get(r.branch_id or -1), agent=r.agent_code, customer=r.customer_code,
            type=r.type, label=OPENING_LABELS.get(r.type, r.type),
            segment=r.segment, taken=r.taken, cue=r.cue, agent_segment=r.agent_segment,
            started_at=started.isoformat() if started else None,
            suggestions=tuple(SuggestionItem(
                script=s.script, variant=s.variant, kind=s.kind, product=s.product,
                used_by_agent=s.used_by_agent, use_score=s.use_score, used_segment=s.used_segment,
                outcome=s.outcome, outcome_call_id=s.outcome_call_id, outcome_reference=s.outcome_reference,
                outcome_at=o.isoformat() if (o := aware(s.outcome_at)) else None) for s in sugs[r.id]),
        ))
    return items, total


def kaikou(session: Session, principal: Principal, group: Group, date_from: datetime | None,
           date_to: datetime | None) -> list[KaikouRow]:
    """开口 counts per agent or branch: openings detected, taken, taken rate. Counted from
    the opening rows alone, apart from any service score."""
    key = UpsellOpeningRow.agent_code if group == "agent" else UpsellOpeningRow.branch_id
    taken = func.sum(case((UpsellOpeningRow.taken, 1), else_=0)).cast(Integer)
    stmt = select(key, func.count(UpsellOpeningRow.id), taken).group_by(key)
    stmt = _period(_scoped(stmt, principal), date_from, date_to)
    branches = {b.id: b.name for b in session.scalars(select(Branch))}
    out: list[KaikouRow] = []
    for k, detected, took_raw in session.execute(stmt):
        took = int(took_raw or 0)
        name = None if k is None else str(k) if group == "agent" else branches.get(int(k))
        out.append(KaikouRow(name, int(detected), took, round(took / detected, 4) if detected else None))
    out.sort(key=lambda r: (-r.openings, str(r.name)))
    return out


def script_tests(session: Session, principal: Principal, date_from: datetime | None,
                 date_to: datetime | None) -> list[ScriptTest]:
    """Per script and variant: suggested, used, conversions among used (the rate and its
    95% Wilson interval), conversions among all suggested, and a verdict per script."""
    require_role(principal, Role.admin, Role.qa, Role.manager)
    converted = UpsellSuggestionRow.outcome != Outcome.none.value
    used = UpsellSuggestionRow.used_by_agent
    stmt = (select(UpsellSuggestionRow.script, UpsellSuggestionRow.variant, func.count(UpsellSuggestionRow.id),
                   func.sum(case((used, 1), else_=0)), func.sum(case((used & converted, 1), else_=0)),
                   func.sum(case((converted, 1), else_=0)))
            .join(UpsellOpeningRow, UpsellOpeningRow.id == UpsellSuggestionRow.opening_id)
            .group_by(UpsellSuggestionRow.script, UpsellSuggestionRow.variant))
    stmt = _period(_scoped(stmt, principal), date_from, date_to)
    by_script: dict[str, list[VariantTest]] = {}
    for script, variant, suggested, n_used, conv_used, conv_all in session.execute(stmt):
        n_used, conv_used, conv_all = int(n_used or 0), int(conv_used or 0), int(conv_all or 0)
        vr = variant_rate(variant, conv_used, n_used)
        by_script.setdefault(script, []).append(VariantTest(
            variant=variant, suggested=int(suggested), used=n_used, conversions=conv_used,
            conversion_rate=round(vr.rate, 4) if vr.rate is not None else None,
            interval95=(round(vr.low, 4), round(vr.high, 4)), conversions_all_suggested=conv_all,
            note=None if vr.enough else f"样本不足：使用{n_used}次（少于{MIN_TRIALS}次），转化率仅供参考"))
    out = []
    for script in sorted(by_script):
        variants = sorted(by_script[script], key=lambda v: v.variant)
        rates = [variant_rate(v.variant, v.conversions, v.used) for v in variants]
        out.append(ScriptTest(script, script.split(".", 1)[0], tuple(variants), compare_variants(rates)))
    return out


@dataclass(frozen=True, slots=True)
class AgentAction:
    """A next action of one of the agent's calls, with the call it came from."""

    action: NextActionRecord
    call_id: str
    customer: str | None
    call_started_at: str  # ISO, the call's time (call_time)


def agent_next_actions(session: Session, principal: Principal, limit: int,
                       date_from: datetime | None) -> list[AgentAction]:
    """The agent's next-best actions from their own analysed calls, newest call first."""
    require_role(principal, Role.agent)
    if not principal.agent_code:
        raise Forbidden("this agent user has no agent code (工号); ask an admin to set it")
    when = func.coalesce(Call.started_at, Call.created_at)
    stmt = select(Call).where(Call.agent_code == principal.agent_code, Call.status == CallStatus.done.value)
    if date_from is not None:
        stmt = stmt.where(when >= date_from)
    stmt = stmt.order_by(when.desc(), Call.id.desc())
    out: list[AgentAction] = []
    offset = 0
    while len(out) < limit:
        # Results are large JSON documents: read calls a page at a time until enough actions.
        batch = session.scalars(stmt.limit(50).offset(offset)).all()
        if not batch:
            break
        offset += len(batch)
        for call in batch:
            result = load_result(call)
            for action in result.next_actions if result is not None else ():
                if len(out) < limit:
                    out.append(AgentAction(action, call.id, call.customer_code, call_time(call).isoformat()))
    return out

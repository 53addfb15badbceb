"""SQL aggregation for reports. Every figure is a GROUP BY over ``call_facts``
filtered on (branch_id, day), the composite index; the QA columns (``findings``,
``calls.service_score`` ...) are joined by call id only where the review tables
exist. Each function covers the current and the previous period in one query
(``is_cur`` splits them), and returns plain rows for build.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Float,
    Integer,
    String,
    and_,
    case,
    column,
    func,
    inspect,
    literal,
    select,
    table,
)
from sqlalchemy.orm import Session, aliased

from callsight.db.facts import CallFact
from callsight.db.models import Branch
from callsight.reports.periods import Period
from callsight.reports.sections import Change, Counts

# The QA review tables belong to the review workflow (migration 0002_review); they are
# referenced by name so reports work, with that section marked unavailable, without them.
findings_t = table(
    "findings", column("call_id", String), column("rule", String), column("title", String),
    column("applicable", Boolean), column("effective_passed", Boolean),
)
calls_qa = table(
    "calls", column("id", String), column("service_score", Float), column("marketing_score", Float),
    column("review_state", String),
)


@dataclass(frozen=True, slots=True)
class Window:
    """The current period and the one it is compared with."""

    cur: Period
    prev: Period

    @property
    def start(self) -> date:
        return min(self.cur.start, self.prev.start)


def review_available(session: Session) -> bool:
    conn = session.connection()
    insp = inspect(conn)
    return insp.has_table("findings") and "service_score" in {c["name"] for c in insp.get_columns("calls")}


def _int(v: Any) -> int:
    return int(v or 0)


def _is_cur(w: Window) -> ColumnElement[int]:
    return case((CallFact.day >= w.cur.start, 1), else_=0).label("is_cur")


def _in_window(w: Window, branch_id: int | None) -> list[ColumnElement[bool]]:
    conds = [CallFact.day >= w.start, CallFact.day < w.cur.end]
    if branch_id is not None:
        conds.append(CallFact.branch_id == branch_id)
    return conds


def _in_cur(w: Window, branch_id: int | None) -> list[ColumnElement[bool]]:
    conds = [CallFact.day >= w.cur.start, CallFact.day < w.cur.end]
    if branch_id is not None:
        conds.append(CallFact.branch_id == branch_id)
    return conds


def _count_true(col: Any) -> ColumnElement[int]:
    return func.sum(case((col, 1), else_=0))


def latest_day(session: Session) -> date | None:
    return session.scalar(select(func.max(CallFact.day)))


def by_key(session: Session, w: Window, branch_id: int | None, key: Any) -> dict[str, tuple[int, int]]:
    """{key: (current count, previous count)} for a facts column (intent, category...)."""
    rows = session.execute(
        select(key, _is_cur(w), func.count()).where(*_in_window(w, branch_id), key.is_not(None))
        .group_by(key, "is_cur")
    ).all()
    out: dict[str, tuple[int, int]] = {}
    for k, is_cur, n in rows:
        cur, prev = out.get(str(k), (0, 0))
        out[str(k)] = (cur + n, prev) if is_cur else (cur, prev + n)
    return out


def samples(session: Session, w: Window, branch_id: int, intent: str, limit: int = 2) -> list[str]:
    rows = session.scalars(
        select(CallFact.sample_text).where(*_in_cur(w, branch_id), CallFact.primary_intent == intent,
                                           CallFact.sample_text.is_not(None))
        .order_by(CallFact.duration_s.desc()).limit(limit * 4)
    ).all()
    return list(dict.fromkeys(r for r in rows if r))[:limit]


def totals(session: Session, w: Window, branch_id: int | None) -> Change[Counts]:
    """The counts of the previous and the current period."""
    rows = session.execute(
        select(_is_cur(w), func.count(), func.sum(CallFact.openings_detected), func.sum(CallFact.openings_taken),
               _count_true(CallFact.converted), _count_true(CallFact.complaint_category.is_not(None)),
               _count_true(CallFact.complaint_risk == "high"), _count_true(CallFact.sentiment == "negative"))
        .where(*_in_window(w, branch_id)).group_by("is_cur")
    ).all()
    out = {0: Counts(), 1: Counts()}
    for is_cur, *vals in rows:
        out[int(is_cur)] = Counts(*(_int(v) for v in vals))
    return Change(out[0], out[1])


def agent_marketing(session: Session, w: Window, branch_id: int) -> list[tuple[str, int, int, int]]:
    """(agent, calls, openings, taken) in the current period."""
    rows = session.execute(
        select(CallFact.agent_code, func.count(), func.sum(CallFact.openings_detected),
               func.sum(CallFact.openings_taken))
        .where(*_in_cur(w, branch_id), CallFact.agent_code.is_not(None)).group_by(CallFact.agent_code)
    ).all()
    return [(str(a), _int(n), _int(o), _int(t)) for a, n, o, t in rows]


def peer_stats(session: Session, period: Period, peer_col: str, peer_value: str | None) -> list[tuple[int, Counts]]:
    """Per-branch figures for every branch of a peer group (or all branches when
    ``peer_value`` is None) in one period."""
    stmt = (
        select(CallFact.branch_id, func.count(), func.sum(CallFact.openings_detected),
               func.sum(CallFact.openings_taken), _count_true(CallFact.converted),
               _count_true(CallFact.complaint_category.is_not(None)), _count_true(CallFact.complaint_risk == "high"),
               _count_true(CallFact.sentiment == "negative"))
        .where(CallFact.day >= period.start, CallFact.day < period.end)
        .group_by(CallFact.branch_id)
    )
    if peer_value is not None:
        stmt = stmt.join(Branch, Branch.id == CallFact.branch_id).where(getattr(Branch, peer_col) == peer_value)
    return [(_int(bid), Counts(*(_int(v) for v in vals))) for bid, *vals in session.execute(stmt).all()]


def complaint_staff(session: Session, w: Window, branch_id: int, limit: int = 5) -> list[tuple[str, int]]:
    rows = session.execute(
        select(CallFact.agent_code, func.count().label("n"))
        .where(*_in_cur(w, branch_id), CallFact.complaint_category.is_not(None), CallFact.agent_code.is_not(None))
        .group_by(CallFact.agent_code).order_by(func.count().desc(), CallFact.agent_code).limit(limit)
    ).all()
    return [(str(a), _int(n)) for a, n in rows]


def complaint_status(session: Session, w: Window, branch_id: int) -> dict[str, int]:
    rows = session.execute(
        select(calls_qa.c.review_state, func.count())
        .select_from(CallFact).join(calls_qa, calls_qa.c.id == CallFact.call_id)
        .where(*_in_cur(w, branch_id), CallFact.complaint_category.is_not(None))
        .group_by(calls_qa.c.review_state)
    ).all()
    return {str(s): _int(n) for s, n in rows}


def _plus_days(session: Session, col: Any, days: int) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "postgresql":
        return col + literal(days, Integer)
    return func.date(col, f"+{days} days")


def repeat_callers(session: Session, w: Window, branch_id: int, days: int) -> tuple[int, int]:
    """(customers, repeat calls): a complaint call in the period by a customer who
    complained about the same category within ``days`` before it."""
    later, earlier = aliased(CallFact), aliased(CallFact)
    stmt = (
        select(func.count(func.distinct(later.customer_code)), func.count(func.distinct(later.call_id)))
        .select_from(later)
        .join(earlier, and_(
            earlier.customer_code == later.customer_code,
            earlier.complaint_category == later.complaint_category,
            earlier.call_id != later.call_id,
            earlier.day <= later.day,
            later.day <= _plus_days(session, earlier.day, days),
            # Same day: only the later id counts as the repeat, so a pair is counted once.
            (earlier.day < later.day) | (earlier.call_id < later.call_id),
        ))
        .where(later.branch_id == branch_id, later.day >= w.cur.start, later.day < w.cur.end,
               later.complaint_category.is_not(None), later.customer_code.is_not(None))
    )
    row = session.execute(stmt).one()
    return _int(row[0]), _int(row[1])


def high_risk_ids(session: Session, w: Window, branch_id: int, limit: int = 5) -> list[str]:
    return list(session.scalars(
        select(CallFact.call_id).where(*_in_cur(w, branch_id), CallFact.complaint_risk == "high")
        .order_by(CallFact.day.desc(), CallFact.call_id).limit(limit)
    ))


def rule_pass_rates(session: Session, w: Window, branch_id: int | None) -> list[tuple[str, str, int, int, int]]:
    """(rule, title, is_cur, applicable, passed) with the reviewer's verdict applied."""
    rows = session.execute(
        select(findings_t.c.rule, func.max(findings_t.c.title), _is_cur(w), func.count(),
               _count_true(findings_t.c.effective_passed))
        .select_from(CallFact).join(findings_t, findings_t.c.call_id == CallFact.call_id)
        .where(*_in_window(w, branch_id), findings_t.c.applicable.is_(True))
        .group_by(findings_t.c.rule, "is_cur")
    ).all()
    return [(str(r), str(t), int(c), _int(a), _int(p)) for r, t, c, a, p in rows]


def agent_scores(session: Session, w: Window, branch_id: int) -> list[tuple[str, int, int, float | None, float | None]]:
    """(agent, is_cur, calls, mean service score, mean marketing score)."""
    rows = session.execute(
        select(CallFact.agent_code, _is_cur(w), func.count(), func.avg(calls_qa.c.service_score),
               func.avg(calls_qa.c.marketing_score))
        .select_from(CallFact).join(calls_qa, calls_qa.c.id == CallFact.call_id)
        .where(*_in_window(w, branch_id), CallFact.agent_code.is_not(None))
        .group_by(CallFact.agent_code, "is_cur")
    ).all()
    return [(str(a), int(c), _int(n), None if s is None else float(s), None if m is None else float(m))
            for a, c, n, s, m in rows]


def branch_scores(session: Session, period: Period) -> dict[int, float]:
    """Mean service score per branch in one period (firm summary)."""
    rows = session.execute(
        select(CallFact.branch_id, func.avg(calls_qa.c.service_score))
        .select_from(CallFact).join(calls_qa, calls_qa.c.id == CallFact.call_id)
        .where(CallFact.day >= period.start, CallFact.day < period.end).group_by(CallFact.branch_id)
    ).all()
    return {int(b): float(s) for b, s in rows if b is not None and s is not None}


def window_counts(session: Session, start: date, end: date, keys: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Counts per branch (and extra keys) with complaint and negative counts, over [start, end)."""
    stmt = (
        select(CallFact.branch_id, *keys, func.count(), _count_true(CallFact.complaint_category.is_not(None)),
               _count_true(CallFact.sentiment == "negative"))
        .where(CallFact.day >= start, CallFact.day < end)
        .group_by(CallFact.branch_id, *keys)
    )
    return [tuple(r) for r in session.execute(stmt).all()]

"""客户之声 over stored calls: load the customer segments of a period and the one
before it (same length), within the principal's scope, and cluster them.

Periods are calendar days in China Standard Time (the branches' business day):
``--from 2026-10-01 --to 2026-10-31`` is 1 October 00:00 up to 1 November 00:00
+08:00, compared with the 31 days before. A call belongs to the day it started
(``started_at``, else when it was registered), as in the call list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from callsight.auth import Principal, Role, require_role, scope_calls
from callsight.db.models import Call, SegmentRow
from callsight.errors import Forbidden, InvalidInput
from callsight.services.calls import find_branch
from nlp.topics import TopicReport, Utterance, find_topics

BUSINESS_TZ = timezone(timedelta(hours=8))
MAX_DAYS = 366


@dataclass(frozen=True, slots=True)
class TopicQuery:
    date_from: date
    date_to: date  # inclusive
    branch: str | None = None

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @property
    def previous(self) -> tuple[date, date]:
        return self.date_from - timedelta(days=self.days), self.date_from - timedelta(days=1)


def parse_day(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput(f"{what} must be a date as YYYY-MM-DD, got '{value}'", code="bad_date") from exc


def make_query(date_from: date, date_to: date, branch: str | None = None) -> TopicQuery:
    if date_from > date_to:
        raise InvalidInput(f"'from' ({date_from}) is after 'to' ({date_to})", code="bad_period")
    q = TopicQuery(date_from, date_to, branch.strip() if branch and branch.strip() else None)
    if q.days > MAX_DAYS:
        raise InvalidInput(f"the period is {q.days} days; at most {MAX_DAYS}", code="bad_period")
    return q


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BUSINESS_TZ)


def load_utterances(session: Session, principal: Principal, query: TopicQuery) -> list[Utterance]:
    """Customer segments of the period and the previous one, tagged, in scope."""
    require_role(principal, Role.admin, Role.qa, Role.manager)
    calls = scope_calls(select(Call.id), principal)
    if query.branch:
        branch = find_branch(session, query.branch)
        if not principal.all_branches and branch.id not in principal.branch_ids:
            raise Forbidden(f"branch '{query.branch}' is outside your scope")
        calls = calls.where(Call.branch_id == branch.id)
    when = func.coalesce(Call.started_at, Call.created_at)
    lo, mid = _start_of(query.previous[0]), _start_of(query.date_from)
    hi = _start_of(query.date_to + timedelta(days=1))
    period = case((when >= mid, "current"), else_="previous")
    rows = session.execute(
        select(SegmentRow.call_id, SegmentRow.idx, SegmentRow.text, period)
        .join(Call, Call.id == SegmentRow.call_id)
        .where(SegmentRow.speaker == "customer")
        .where(SegmentRow.call_id.in_(calls.subquery().select()))
        .where(when >= lo, when < hi)
        .order_by(SegmentRow.call_id, SegmentRow.idx)
    ).all()
    return [Utterance(text, call_id, idx, "current" if tag == "current" else "previous")
            for call_id, idx, text, tag in rows]


def topics_report(session: Session, principal: Principal, query: TopicQuery) -> TopicReport:
    return find_topics(load_utterances(session, principal, query))

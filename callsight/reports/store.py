"""A period's report rows: find or create one, store its content. Services (they take
a session and never commit); the report jobs in workers/report_jobs.py, the API and the
CLI use them. A report row is the progress record: pending -> running -> done | failed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight.db.models import utcnow
from callsight.db.reports import Report
from callsight.reports import queries
from callsight.reports.periods import Period, parse_period
from core.jsonio import JsonObject


def resolve_period(session: Session, text: str) -> Period:
    return parse_period(text, latest_day=queries.latest_day(session) if text.strip().lower() == "latest" else None)


def _scope(branch_id: int | None) -> str:
    return "firm" if branch_id is None else f"branch:{branch_id}"


def report_row(session: Session, period: Period, branch_id: int | None) -> Report:
    """The period's report row for a branch (None: the firm summary), created pending."""
    row = session.scalar(select(Report).where(Report.period == period.key, Report.scope == _scope(branch_id)))
    if row is None:
        row = Report(period=period.key, scope=_scope(branch_id), kind="firm" if branch_id is None else "branch",
                     branch_id=branch_id, period_start=period.start, period_end=period.end, status="pending",
                     attempts=0)
        session.add(row)
        session.flush()
    return row


def store_content(session: Session, period: Period, branch_id: int | None, content: JsonObject) -> Report:
    row = report_row(session, period, branch_id)
    row.content = content
    row.status = "done"
    row.error = None
    row.generated_at = utcnow()
    return row

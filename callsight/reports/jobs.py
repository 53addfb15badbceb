"""Report generation with its own sessions: the unit the CLI loops over and each
Celery task runs (one branch each, so a failed branch is retried alone). A report
row is the progress record: pending -> running -> done | failed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight.db.models import Branch, utcnow
from callsight.db.reports import Report
from callsight.db.session import session_scope
from callsight.errors import NotFound
from callsight.reports import queries
from callsight.reports.alerts import store_alerts
from callsight.reports.build import build_branch_report
from callsight.reports.firm import build_firm_report
from callsight.reports.periods import Period, parse_period


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


def store_content(session: Session, period: Period, branch_id: int | None, content: dict[str, Any]) -> Report:
    row = report_row(session, period, branch_id)
    row.content = content
    row.status = "done"
    row.error = None
    row.generated_at = utcnow()
    return row


def plan_period(period_key: str) -> list[int]:
    """Pending rows for every branch and the firm summary (progress is visible from
    the start); returns the branch ids to generate."""
    with session_scope() as session:
        period = resolve_period(session, period_key)
        ids = list(session.scalars(select(Branch.id).order_by(Branch.id)))
        for bid in [*ids, None]:
            row = report_row(session, period, bid)
            if row.status != "done":
                row.status = "pending"
        session.commit()
        return ids


def run_alerts(period_key: str) -> int:
    with session_scope() as session:
        n = store_alerts(session, resolve_period(session, period_key))
        session.commit()
        return n


def _run(period_key: str, branch_id: int | None) -> str:
    with session_scope() as session:
        period = resolve_period(session, period_key)
        branch = None
        if branch_id is not None:
            branch = session.get(Branch, branch_id)
            if branch is None:
                raise NotFound(f"no branch with id {branch_id}")
        row = report_row(session, period, branch_id)
        row.status, row.attempts = "running", row.attempts + 1
        session.commit()
        try:
            content = build_firm_report(session, period) if branch is None else build_branch_report(session, branch,
                                                                                                    period)
            store_content(session, period, branch_id, content)
            session.commit()
        except Exception as exc:
            session.rollback()
            row = report_row(session, period, branch_id)
            row.status, row.error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
            session.commit()
            raise
        return "done"


def run_branch_report(period_key: str, branch_id: int) -> str:
    return _run(period_key, branch_id)


def run_firm_report(period_key: str) -> str:
    return _run(period_key, None)

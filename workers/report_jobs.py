"""The report jobs, beside the call job (workers/jobs.py): report generation with its own
sessions, the unit each Celery task runs (one branch each, so a failed branch is retried
alone) and the embedded runner loops over. A report row is the progress record:
pending -> running -> done | failed (callsight/reports/store.py)."""

from __future__ import annotations

import logging

from sqlalchemy import select

from callsight.db.models import Branch
from callsight.db.session import session_scope
from callsight.errors import NotFound
from callsight.reports.alerts import store_alerts
from callsight.reports.build import build_branch_report
from callsight.reports.firm import build_firm_report
from callsight.reports.store import report_row, resolve_period, store_content

log = logging.getLogger(__name__)


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


def run_reports(period_key: str, branch_ids: list[int], firm: bool) -> None:
    """The console's 生成报告 in this process (the embedded runner), one after the other:
    alerts first (reports include them); a failed branch does not stop the rest (its row
    says failed, with the error)."""
    run_alerts(period_key)
    for bid in branch_ids:
        try:
            run_branch_report(period_key, bid)
        except Exception:
            log.exception("report %s for branch %s failed", period_key, bid)
    if firm:
        try:
            run_firm_report(period_key)
        except Exception:
            log.exception("firm report %s failed", period_key)

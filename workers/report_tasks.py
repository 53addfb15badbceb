"""Report tasks: one per branch report (retried alone), the firm summary, and the
period fan-out that beat starts at each period start."""

from __future__ import annotations

from datetime import date

from celery import Task
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy.exc import OperationalError as DatabaseUnavailable

from callsight.queue import REPORT_PERIOD, REPORT_SOME
from callsight.reports.periods import previous_complete
from workers import report_jobs as jobs
from workers.celery_app import celery_app

TRANSIENT = (DatabaseUnavailable, BrokerError, ConnectionError, TimeoutError)
RETRY = {"bind": True, "acks_late": True, "autoretry_for": TRANSIENT, "retry_backoff": 10, "max_retries": 5}


@celery_app.task(name="callsight.report_branch", **RETRY)
def report_branch(self: Task, period: str, branch_id: int) -> str:
    return jobs.run_branch_report(period, branch_id)


@celery_app.task(name="callsight.report_firm", **RETRY)
def report_firm(self: Task, period: str) -> str:
    return jobs.run_firm_report(period)


@celery_app.task(name=REPORT_PERIOD, **RETRY)
def report_period(self: Task, kind: str = "month", period: str | None = None) -> int:
    """Alerts first (reports include them), then one task per branch and the summary."""
    key = period or previous_complete(kind, date.today()).key
    jobs.run_alerts(key)
    branch_ids = jobs.plan_period(key)
    for bid in branch_ids:
        report_branch.delay(key, bid)
    report_firm.delay(key)
    return len(branch_ids)


@celery_app.task(name=REPORT_SOME, **RETRY)
def report_some(self: Task, period: str, branch_ids: list[int], firm: bool) -> int:
    """Requested from the console: alerts, then the given branches (and the summary)."""
    jobs.run_alerts(period)
    for bid in branch_ids:
        report_branch.delay(period, bid)
    if firm:
        report_firm.delay(period)
    return len(branch_ids)

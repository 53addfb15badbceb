"""Generate a period's reports on request (the console's 生成报告 button): alerts
first (reports include them), then each branch and, for firm-wide users, the summary.
The report rows were set to ``pending`` and committed by the caller, so progress is
visible from the first poll; each row moves to running / done / failed on its own."""

from __future__ import annotations

import logging
import threading

from callsight.config import settings
from callsight.reports import jobs

log = logging.getLogger(__name__)


def run_all(period_key: str, branch_ids: list[int], firm: bool) -> None:
    """In this process, one after the other; a failed branch does not stop the rest
    (its row says failed, with the error)."""
    jobs.run_alerts(period_key)
    for bid in branch_ids:
        try:
            jobs.run_branch_report(period_key, bid)
        except Exception:
            log.exception("report %s for branch %s failed", period_key, bid)
    if firm:
        try:
            jobs.run_firm_report(period_key)
        except Exception:
            log.exception("firm report %s failed", period_key)


def generate(period_key: str, branch_ids: list[int], firm: bool) -> None:
    if settings.embedded:
        if settings.embedded_runner == "inline":
            run_all(period_key, branch_ids, firm)
        else:
            threading.Thread(target=run_all, args=(period_key, branch_ids, firm), daemon=True,
                             name="callsight-reports").start()
        return
    from workers.report_tasks import report_some

    report_some.delay(period_key, branch_ids, firm)

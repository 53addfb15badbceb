"""Generate a period's reports on request (the console's 生成报告 button): alerts
first (reports include them), then each branch and, for firm-wide users, the summary.
The report rows were set to ``pending`` and committed by the caller, so progress is
visible from the first poll; each row moves to running / done / failed on its own.
The jobs themselves are in workers/report_jobs.py, reached through callsight.dispatch."""

from __future__ import annotations

import threading

from callsight import dispatch
from callsight.config import settings
from callsight.queue import REPORT_SOME, celery_app


def generate(period_key: str, branch_ids: list[int], firm: bool) -> None:
    if settings.embedded:
        run_reports = dispatch.jobs().run_reports
        if settings.embedded_runner == "inline":
            run_reports(period_key, branch_ids, firm)
        else:
            threading.Thread(target=run_reports, args=(period_key, branch_ids, firm), daemon=True,
                             name="callsight-reports").start()
        return
    celery_app.send_task(REPORT_SOME, args=[period_key, branch_ids, firm])

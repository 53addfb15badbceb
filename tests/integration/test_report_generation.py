"""A period's reports generated from the console through the real stack: API ->
Redis -> Celery worker (callsight.report_some, then one task per branch and the firm
summary) -> PostgreSQL, with progress read from /v1/reports (issue 14)."""

from __future__ import annotations

import time

import pytest

from tests.factories import transcript_doc
from tests.integration.conftest import Stack, wait_for

pytestmark = [pytest.mark.integration]


def test_generate_period_through_the_worker(stack: Stack) -> None:
    stack.start_worker()
    with stack.client() as c:
        r = c.post("/v1/calls/transcript", json=transcript_doc(started_at="2026-10-31T23:30:00+08:00"))
        assert r.status_code == 202, r.text
        call_id = r.json()["id"]
        wait_for(lambda: c.get(f"/v1/calls/{call_id}").json()["status"] == "done", 240, "the call to be analysed")
        job = c.post("/v1/reports/2026-10/generate")
        assert job.status_code == 202 and job.json()["firm"] is True
        seen: set[str] = set()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            progress = c.get(job.json()["progress"]).json()["progress"]
            seen |= set(progress)
            if set(progress) == {"done"}:
                break
            time.sleep(0.3)
        assert set(progress) == {"done"}, (progress, stack.worker_log())
        report = c.get("/v1/reports/2026-10/branches/CD01").json()
        # 23:30 Beijing on 31 October is 15:30 UTC: an October call in the deployment's zone.
        assert report["totals"]["calls"] == 1 and report["generated_at"].endswith("+08:00")
        assert c.get("/v1/reports/2026-10/firm").json()["calls"] == 1
        assert c.get(f"/v1/calls/{call_id}").json()["started_at"].startswith("2026-10-31T15:30")

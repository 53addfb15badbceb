"""Report and alert endpoints: scope per role, bad input, traceable links."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight.db.models import Branch
from callsight.reports.alerts import store_alerts
from callsight.reports.build import build_branch_report
from callsight.reports.firm import build_firm_report
from callsight.reports.periods import parse_period
from callsight.reports.store import store_content
from tests.api.conftest import Keys
from tests.factories import auth
from tests.reports.helpers import add_many

OCT = parse_period("2026-10")


def _setup(db: Session) -> tuple[Branch, Branch]:
    east = db.scalar(select(Branch).where(Branch.name == "城东支行"))
    west = db.scalar(select(Branch).where(Branch.name == "城西支行"))
    assert east is not None and west is not None
    for month in ("2026-07", "2026-08", "2026-09"):
        add_many(db, east, parse_period(month).start, 20)
    add_many(db, east, date(2026, 10, 2), 12, intent="complaint", category="费用", agent="A1023")
    add_many(db, east, date(2026, 10, 3), 50, openings=1, taken=1)
    add_many(db, west, date(2026, 10, 2), 5)
    db.flush()
    store_alerts(db, OCT)
    for b in (east, west):
        store_content(db, OCT, b.id, build_branch_report(db, b, OCT))
    store_content(db, OCT, None, build_firm_report(db, OCT))
    db.flush()  # same connection: the code under test sees it; commit would outlive the rollback on SQLite
    return east, west


def test_manager_reads_only_own_branch(client: TestClient, keys: Keys, db: Session) -> None:
    east, west = _setup(db)
    mine = client.get(f"/v1/reports/2026-10/branches/{east.code}", headers=auth(keys.manager_east))
    assert mine.status_code == 200 and mine.json()["totals"]["calls"] == 62
    other = client.get(f"/v1/reports/2026-10/branches/{west.code}", headers=auth(keys.manager_east))
    assert other.status_code == 403
    assert client.get("/v1/reports/2026-10/firm", headers=auth(keys.manager_east)).status_code == 403
    assert client.get(f"/v1/reports/2026-10/branches/{east.id}", headers=auth(keys.agent_1023)).status_code == 403
    listed = client.get("/v1/reports?period=2026-10", headers=auth(keys.manager_east)).json()
    assert [i["branch_id"] for i in listed["items"]] == [east.id] and listed["progress"] == {"done": 1}
    assert client.get("/v1/reports", headers=auth(keys.admin)).json()["total"] == 3
    assert client.get("/v1/reports/2026-10/firm", headers=auth(keys.qa)).json()["kind"] == "firm"
    # Calls behind a figure: scoped too.
    link = mine.json()["sections"]["complaints"]["links"]["total"]
    assert client.get(link.replace(f"branch_id={east.id}&", f"branch_id={west.id}&"),
                      headers=auth(keys.manager_east)).status_code == 403


def test_links_return_the_counted_calls(client: TestClient, keys: Keys, db: Session) -> None:
    east, _ = _setup(db)
    r = client.get(f"/v1/reports/2026-10/branches/{east.id}", headers=auth(keys.admin)).json()
    c = r["sections"]["complaints"]
    got = client.get(c["links"]["total"], headers=auth(keys.admin)).json()
    assert got["total"] == c["total"] == 12
    cat = c["categories"][0]
    assert client.get(cat["link"], headers=auth(keys.admin)).json()["total"] == cat["count"]
    taken = client.get(r["sections"]["marketing"]["links"]["taken"], headers=auth(keys.admin)).json()
    assert taken["total"] == 50 and taken["items"][0]["link"].startswith("/v1/calls/")
    html = client.get(f"/v1/reports/2026-10/branches/{east.id}?format=html", headers=auth(keys.admin))
    assert html.status_code == 200 and "<svg" in html.text and "三、投诉情况" in html.text


def test_bad_input_and_missing_reports(client: TestClient, keys: Keys, db: Session) -> None:
    east, _ = _setup(db)
    bad = client.get(f"/v1/reports/2026-13/branches/{east.id}", headers=auth(keys.admin))
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_period"
    assert client.get("/v1/alerts?period=soon", headers=auth(keys.admin)).status_code == 422
    missing = client.get(f"/v1/reports/2026-09/branches/{east.id}", headers=auth(keys.admin))
    assert missing.status_code == 404 and "callsight reports --period 2026-09" in missing.json()["error"]["message"]
    assert client.get("/v1/reports/2026-10/branches/nope", headers=auth(keys.admin)).status_code == 404
    inverted = client.get("/v1/reports/calls?from=2026-10-05&to=2026-10-01", headers=auth(keys.admin))
    assert inverted.status_code == 422


def test_alerts_listed_in_scope(client: TestClient, keys: Keys, db: Session) -> None:
    east, west = _setup(db)
    all_alerts = client.get("/v1/alerts?period=2026-10", headers=auth(keys.admin)).json()
    assert all_alerts["total"] >= 1 and {a["branch_id"] for a in all_alerts["items"]} == {east.id}
    assert client.get("/v1/alerts", headers=auth(keys.manager_west)).json()["total"] == 0
    assert client.get("/v1/alerts", headers=auth(keys.manager_east)).json()["total"] == all_alerts["total"]
    assert client.get("/v1/alerts", headers=auth(keys.agent_1023)).status_code == 403
    assert client.get(f"/v1/alerts?branch={west.code}", headers=auth(keys.manager_east)).status_code == 403


def test_generate_from_the_console_reports_progress(client: TestClient, keys: Keys, db: Session) -> None:
    east, _ = _setup(db)
    add_many(db, east, date(2026, 9, 3), 3, intent="complaint", category="费用")
    db.flush()
    r = client.post("/v1/reports/2026-09/generate", headers=auth(keys.manager_east))
    assert r.status_code == 202
    body = r.json()
    assert body == {"period": "2026-09", "branches": 1, "firm": False, "progress": "/v1/reports?period=2026-09"}
    listed = client.get(body["progress"], headers=auth(keys.manager_east)).json()
    assert listed["progress"] == {"done": 1} and listed["items"][0]["branch_id"] == east.id  # inline runner in tests
    sep = client.get(f"/v1/reports/2026-09/branches/{east.id}", headers=auth(keys.manager_east)).json()
    assert sep["totals"]["calls"] == 23 and sep["period"]["key"] == "2026-09"
    admin = client.post("/v1/reports/2026-09/generate", headers=auth(keys.admin)).json()
    assert admin["firm"] is True and admin["branches"] >= 2
    assert client.get("/v1/reports/2026-09/firm", headers=auth(keys.qa)).json()["kind"] == "firm"
    assert client.post("/v1/reports/2026-13/generate", headers=auth(keys.admin)).status_code == 422
    assert client.post("/v1/reports/2026-09/generate", headers=auth(keys.agent_1023)).status_code == 403

"""Upsell API: openings, 开口 counts, script tests, next actions, CRM sales; role and
scope checks; bad parameters named in 422s."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.conftest import Keys
from tests.factories import auth
from tests.upsell.helpers import MATURITY_MISSED, MATURITY_USED, PURCHASE, processed_call

T0 = datetime(2026, 10, 12, 9, 30, tzinfo=UTC)


def _seed(db: Session) -> dict[str, str]:
    east = processed_call(db, MATURITY_USED, customer="K1", started_at=T0, customer_risk_level="C3")
    west = processed_call(db, MATURITY_MISSED, customer="K2", started_at=T0 + timedelta(hours=1), branch="城西支行",
                          agent="A1024", customer_risk_level="C3")
    buy = processed_call(db, PURCHASE, customer="K1", started_at=T0 + timedelta(days=2))
    return {"east": east, "west": west, "buy": buy}


def test_openings_are_scoped_by_role(client: TestClient, keys: Keys, db: Session) -> None:
    ids = _seed(db)
    admin = client.get("/v1/upsell/openings", headers=auth(keys.admin)).json()
    assert admin["total"] == 2 and {o["call_id"] for o in admin["items"]} == {ids["east"], ids["west"]}
    item = next(o for o in admin["items"] if o["call_id"] == ids["east"])
    assert item["type"] == "maturity" and item["taken"] and item["branch"] == "城东支行"
    assert item["call"] == f"/v1/calls/{ids['east']}"
    assert any(s["used_by_agent"] and s["outcome"] == "purchase_intent" for s in item["suggestions"])
    east = client.get("/v1/upsell/openings", headers=auth(keys.manager_east)).json()
    assert [o["call_id"] for o in east["items"]] == [ids["east"]]
    agent = client.get("/v1/upsell/openings", headers=auth(keys.agent_1024)).json()
    assert [o["call_id"] for o in agent["items"]] == [ids["west"]]
    # A manager asking for another branch, an agent for another agent: refused, not silently empty.
    r = client.get("/v1/upsell/openings", params={"branch": "城西支行"}, headers=auth(keys.manager_east))
    assert r.status_code == 403
    r = client.get("/v1/upsell/openings", params={"agent": "A1023"}, headers=auth(keys.agent_1024))
    assert r.status_code == 403
    assert client.get("/v1/upsell/openings").status_code == 401


def test_openings_filters(client: TestClient, keys: Keys, db: Session) -> None:
    ids = _seed(db)
    h = auth(keys.admin)
    missed = client.get("/v1/upsell/openings", params={"taken": "false"}, headers=h).json()
    assert [o["call_id"] for o in missed["items"]] == [ids["west"]]
    assert client.get("/v1/upsell/openings", params={"type": "education"}, headers=h).json()["total"] == 0
    window = {"from": (T0 + timedelta(minutes=30)).isoformat(), "to": (T0 + timedelta(days=1)).isoformat()}
    assert [o["call_id"] for o in client.get("/v1/upsell/openings", params=window, headers=h).json()["items"]] == [
        ids["west"]]


def test_bad_parameters_are_422_naming_the_parameter(client: TestClient, keys: Keys) -> None:
    h = auth(keys.admin)
    for path, params, field in [
        ("/v1/upsell/openings", {"type": "lottery"}, "type"),
        ("/v1/upsell/openings", {"taken": "maybe"}, "taken"),
        ("/v1/upsell/openings", {"limit": 0}, "limit"),
        ("/v1/upsell/kaikou", {"group": "region"}, "group"),
        ("/v1/upsell/kaikou", {"from": "yesterday"}, "from"),
        ("/v1/upsell/script-tests", {"to": "2026-13-45"}, "to"),
    ]:
        r = client.get(path, params=params, headers=h)
        assert r.status_code == 422, (path, params, r.text)
        assert field in r.json()["error"]["message"], r.text
    r = client.get("/v1/upsell/kaikou", params={"from": "2026-10-02", "to": "2026-10-01"}, headers=h)
    assert r.status_code == 422 and "from" in r.json()["error"]["message"]


def test_kaikou_per_agent_and_branch(client: TestClient, keys: Keys, db: Session) -> None:
    _seed(db)
    rows = client.get("/v1/upsell/kaikou", params={"group": "agent"}, headers=auth(keys.admin)).json()["rows"]
    assert {r["agent"]: (r["openings"], r["taken"], r["taken_rate"]) for r in rows} == {
        "A1023": (1, 1, 1.0), "A1024": (1, 0, 0.0)}
    rows = client.get("/v1/upsell/kaikou", params={"group": "branch"}, headers=auth(keys.manager_west)).json()["rows"]
    assert rows == [{"branch": "城西支行", "openings": 1, "taken": 0, "taken_rate": 0.0}]
    rows = client.get("/v1/upsell/kaikou", headers=auth(keys.agent_1023)).json()["rows"]
    assert [r["agent"] for r in rows] == ["A1023"]


def test_script_tests_counts_and_interval(client: TestClient, keys: Keys, db: Session) -> None:
    _seed(db)
    body = client.get("/v1/upsell/script-tests", headers=auth(keys.admin)).json()
    meeting = next(s for s in body["scripts"] if s["script"] == "maturity.meeting")
    v = meeting["variants"][0]
    assert (v["suggested"], v["used"], v["conversions"]) == (2, 1, 1)
    assert v["conversion_rate"] == 1.0 and v["interval95"] == [0.2065, 1.0]
    assert v["note"] and "样本不足" in v["note"] and meeting["verdict"] == "只有一个版本，无对照"
    west = client.get("/v1/upsell/script-tests", headers=auth(keys.manager_west)).json()
    mw = next(s for s in west["scripts"] if s["script"] == "maturity.meeting")["variants"][0]
    assert (mw["suggested"], mw["used"], mw["conversions"]) == (1, 0, 0)
    assert client.get("/v1/upsell/script-tests", headers=auth(keys.agent_1023)).status_code == 403


def test_next_actions_for_the_calling_agent_only(client: TestClient, keys: Keys, db: Session) -> None:
    ids = _seed(db)
    body = client.get("/v1/agents/me/next-actions", headers=auth(keys.agent_1024)).json()
    assert body["agent"] == "A1024" and body["items"]
    assert {a["call_id"] for a in body["items"]} == {ids["west"]}
    assert all(a["call"] == f"/v1/calls/{ids['west']}" for a in body["items"])
    assert any(a["action"] == "call_back" for a in body["items"])
    mine = client.get("/v1/agents/me/next-actions", headers=auth(keys.agent_1023)).json()["items"]
    assert {a["call_id"] for a in mine} == {ids["east"]}
    assert client.get("/v1/agents/me/next-actions", headers=auth(keys.manager_east)).status_code == 403
    assert client.get("/v1/agents/me/next-actions", params={"limit": 0},
                      headers=auth(keys.agent_1023)).status_code == 422


def test_crm_sale_idempotent_on_reference(client: TestClient, keys: Keys, db: Session) -> None:
    ids = _seed(db)
    sale = {"customer": "K2", "product": "large_cd", "amount": 300000, "reference": "CRM-77",
            "sold_at": (T0 + timedelta(days=3)).isoformat()}
    first = client.post("/v1/crm/sales", json=sale, headers=auth(keys.admin))
    assert first.status_code == 201 and first.json()["created"] is True
    again = client.post("/v1/crm/sales", json=sale, headers=auth(keys.admin))
    assert again.status_code == 200 and again.json()["created"] is False and again.json()["id"] == first.json()["id"]
    changed = client.post("/v1/crm/sales", json={**sale, "amount": 5}, headers=auth(keys.admin))
    assert changed.status_code == 409 and "amount" in changed.json()["error"]["message"]
    west = client.get("/v1/upsell/openings", headers=auth(keys.admin)).json()["items"]
    sug = {s["script"]: s for o in west if o["call_id"] == ids["west"] for s in o["suggestions"]}
    assert sug["maturity.large_cd"]["outcome"] == "crm_sale"
    assert sug["maturity.large_cd"]["outcome_reference"] == "CRM-77"
    for key in (keys.manager_east, keys.agent_1023, keys.qa):
        assert client.post("/v1/crm/sales", json={**sale, "reference": "X"}, headers=auth(key)).status_code == 403
    bad = client.post("/v1/crm/sales", json={**sale, "amount": -1, "reference": "N"}, headers=auth(keys.admin))
    assert bad.status_code == 422 and "amount" in bad.json()["error"]["message"]
    missing = client.post("/v1/crm/sales", json={k: v for k, v in sale.items() if k != "reference"},
                          headers=auth(keys.admin))
    assert missing.status_code == 422 and "reference" in missing.json()["error"]["message"]

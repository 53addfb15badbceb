"""Client-tag endpoints on SQLite and PostgreSQL: profiles, history, customers by tag,
cadence signals, export; role and scope checks; bad parameters named in the 422."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Keys
from tests.factories import auth
from tests.tags.helpers import doc

A, C = "agent", "customer"


def ingest(client: TestClient, key: str, turns: list[tuple[str, str]], **kw: Any) -> str:
    r = client.post("/v1/calls/transcript", json=doc(turns, **kw), headers=auth(key))
    assert r.status_code == 202, r.text
    call_id = r.json()["id"]
    assert client.get(f"/v1/calls/{call_id}", headers=auth(key)).json()["status"] == "done"
    return call_id


def ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


def cn_date(d: datetime) -> str:
    return f"{d.month}月{d.day}号"


def test_profile_and_history(client: TestClient, keys: Keys) -> None:
    first = ingest(client, keys.admin, [(A, "您的测评结果是C2"), (C, "对 我是C2")], customer="K1", started_at=ago(20))
    second = ingest(client, keys.admin, [(A, "您好"), (C, "我重新测评了 现在是C4 想买点基金")],
                    customer="K1", started_at=ago(2))
    r = client.get("/v1/customers/K1/tags", headers=auth(keys.qa))
    assert r.status_code == 200, r.text
    tags = {t["key"]: t for t in r.json()["tags"]}
    assert tags["risk_level"]["value"] == "C4"
    assert tags["risk_level"]["provenance"]["call_id"] == second
    assert "C4" in tags["risk_level"]["provenance"]["words"]
    assert tags["intent_level"]["value"] == "high"
    assert 0 < tags["intent_level"]["confidence"] <= tags["intent_level"]["base_confidence"]
    hist = client.get("/v1/customers/K1/tags/history", params={"key": "risk_level"}, headers=auth(keys.qa)).json()
    assert [(c["change"], c["value"], c["previous_value"]) for c in hist["changes"]] == [
        ("added", "C2", None), ("replaced", "C4", "C2")]
    assert {(o["value"], o["status"], o["provenance"]["call_id"]) for o in hist["observations"]} == {
        ("C2", "superseded", first), ("C4", "current", second)}


def test_scope_of_customer_tags(client: TestClient, keys: Keys) -> None:
    ingest(client, keys.admin, [(A, "您好"), (C, "我想买基金")], customer="K1", branch="城东支行", agent="A1023",
           started_at=ago(1))
    ok = [keys.admin, keys.qa, keys.manager_east, keys.agent_1023]
    for key in ok:
        assert client.get("/v1/customers/K1/tags", headers=auth(key)).status_code == 200
    for key in (keys.manager_west, keys.agent_1024):
        r = client.get("/v1/customers/K1/tags", headers=auth(key))
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        assert client.get("/v1/customers/K1/tags/history", headers=auth(key)).status_code == 403
        listed = client.get("/v1/customers", params={"tag": "product_interest"}, headers=auth(key)).json()
        assert listed["items"] == [] and listed["total"] == 0
        export = client.get("/v1/tags/export", headers=auth(key)).text
        assert "K1" not in export
    assert client.get("/v1/customers/NOBODY/tags", headers=auth(keys.admin)).status_code == 404
    assert client.get("/v1/customers/K1/tags").status_code == 401


def test_customers_with_maturity_in_next_30_days_in_my_branch(client: TestClient, keys: Keys) -> None:
    soon, later = datetime.now(UTC) + timedelta(days=10), datetime.now(UTC) + timedelta(days=60)
    ingest(client, keys.admin, [(A, "您好"), (C, f"我的大额存单{cn_date(soon)}到期")], customer="K1",
           branch="城东支行", started_at=ago(1))
    ingest(client, keys.admin, [(A, "您好"), (C, f"我有笔定期{cn_date(later)}到期")], customer="K2",
           branch="城东支行", started_at=ago(1))
    ingest(client, keys.admin, [(A, "您好"), (C, f"存单{cn_date(soon)}到期了")], customer="K3",
           branch="城西支行", started_at=ago(1))
    params: dict[str, str | int] = {"tag": "maturity_date", "within_days": 30, "branch": "城东支行"}
    r = client.get("/v1/customers", params=params, headers=auth(keys.manager_east))
    assert r.status_code == 200, r.text
    body = r.json()
    assert [i["customer"] for i in body["items"]] == ["K1"]
    assert body["items"][0]["tags"][0]["value"] == soon.date().isoformat()
    everyone = client.get("/v1/customers", params={"tag": "maturity_date", "within_days": 30}, headers=auth(keys.qa))
    assert sorted(i["customer"] for i in everyone.json()["items"]) == ["K1", "K3"]
    r = client.get("/v1/customers", params={**params, "branch": "城西支行"}, headers=auth(keys.manager_east))
    assert r.status_code == 403


def test_bad_parameters_are_named(client: TestClient, keys: Keys) -> None:
    def err(path: str, **params: Any) -> dict[str, Any]:
        r = client.get(path, params=params, headers=auth(keys.admin))
        assert r.status_code == 422, r.text
        return dict(r.json()["error"])

    assert "tag" in err("/v1/customers")["message"]
    e = err("/v1/customers", tag="shoe_size")
    assert e["code"] == "unknown_tag" and "shoe_size" in e["message"] and e["details"]["parameter"] == "tag"
    assert "within_days" in err("/v1/customers", tag="maturity_date", within_days=-1)["message"]
    assert "within_days" in err("/v1/customers", tag="maturity_date", within_days="soon")["message"]
    assert err("/v1/customers", tag="maturity_date", branch="火星支行")["code"] == "unknown_branch"
    assert "format" in err("/v1/tags/export", format="xml")["message"]
    assert "min_fund_band" in err("/v1/signals/cadence", min_fund_band="lots")["message"]
    assert "warm_days" in err("/v1/signals/cadence", warm_days=0)["message"]


def test_history_with_unknown_key_is_422(client: TestClient, keys: Keys) -> None:
    ingest(client, keys.admin, [(A, "您好"), (C, "我想买基金")], customer="K1", started_at=ago(1))
    r = client.get("/v1/customers/K1/tags/history", params={"key": "nope"}, headers=auth(keys.admin))
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_tag"


def test_export_jsonl_and_csv(client: TestClient, keys: Keys) -> None:
    ingest(client, keys.admin, [(A, "您好"), (C, "我想买二十万的基金 我是C3")], customer="K1", started_at=ago(1))
    r = client.get("/v1/tags/export", params={"format": "jsonl"}, headers=auth(keys.qa))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert {(x["customer"], x["key"], x["value"]) for x in rows} >= {
        ("K1", "risk_level", "C3"), ("K1", "fund_size", "200k_500k"), ("K1", "product_interest", "fund")}
    assert all(x["call_id"] for x in rows)
    r = client.get("/v1/tags/export", params={"format": "csv"}, headers=auth(keys.qa))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert len(table) == len(rows) and {"customer", "key", "value", "words"} <= set(table[0])


def test_cadence_signals(client: TestClient, keys: Keys) -> None:
    warm = ingest(client, keys.admin, [(A, "您好"), (C, "我有一笔大额存单下个月到期 想买点基金")], customer="K1",
                  started_at=ago(40))
    for days in (30, 20, 10):
        ingest(client, keys.admin, [(A, "您好"), (C, "帮我查一下账户余额")], customer="K2", started_at=ago(days))
    ingest(client, keys.admin, [(A, "您好"), (C, "我有两百万闲着放在活期")], customer="K3", started_at=ago(100))
    r = client.get("/v1/signals/cadence", headers=auth(keys.qa))
    assert r.status_code == 200, r.text
    sig = r.json()
    assert [s["customer"] for s in sig["warm_not_contacted"]] == ["K1"]
    assert sig["warm_not_contacted"][0]["days_since_contact"] >= 40
    down = {s["customer"]: s for s in sig["downgrade"]}
    assert down["K2"]["contacts_without_intent"] == 3 and "K1" not in down
    assert [s["customer"] for s in sig["dormant_high_value"]] == ["K3"]
    assert sig["dormant_high_value"][0]["fund_size"] == "1m_3m"
    openings = client.get(f"/v1/calls/{warm}/result", headers=auth(keys.qa)).json().get("upsell_openings") or []
    assert {o["type"] for o in openings} == {s["type"] for s in sig["open_openings"] if s["customer"] == "K1"}
    # Another contact with K1 follows the opening up, and brings K1 back to warm-and-contacted.
    ingest(client, keys.admin, [(A, "您好"), (C, "好的我考虑一下")], customer="K1", started_at=ago(1))
    sig = client.get("/v1/signals/cadence", headers=auth(keys.qa)).json()
    assert not [s for s in sig["open_openings"] if s["customer"] == "K1"]
    assert not sig["warm_not_contacted"]
    # The west manager sees none of it.
    west = client.get("/v1/signals/cadence", headers=auth(keys.manager_west)).json()
    assert all(west[k] == [] for k in ("open_openings", "warm_not_contacted", "downgrade", "dormant_high_value"))

"""Draft → test on a dialogue → backtest over stored calls → publish → live, through the API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import Keys
from tests.factories import auth

# forbidden_promise, narrowed: keeps 保本 / 稳赚不赔, adds 闭眼买, drops 零风险 and the similar-sentence part.
VARIANT = """rules:
  - id: forbidden_promise
    title: 禁止承诺（保本、保收益、稳赚不赔等）
    severity: fatal
    scorecard: marketing
    weight: 30
    scope: agent
    mode: must_not
    condition:
      keywords:
        terms: [保本, 稳赚不赔, 闭眼买]
        negation: exclude
        hypothesis: exclude
        question: exclude
"""

OPEN = ("agent", "您好，这里是城东支行理财中心，我是理财经理小王，工号1023")
CLOSE = ("agent", "好的，感谢来电，再见")


def _doc(*turns: tuple[str, str], agent: str = "A1023", branch: str = "城东支行") -> dict[str, Any]:
    return {"meta": {"branch": branch, "agent": agent, "direction": "inbound",
                     "started_at": "2026-10-12T09:30:00+08:00"},
            "turns": [{"speaker": s, "text": t} for s, t in (OPEN, *turns, CLOSE)]}


NEW_HIT = _doc(("customer", "这个产品怎么样"), ("agent", "这款产品您闭眼买就行，收益挺好的"))
BOTH_HIT = _doc(("customer", "会不会亏"), ("agent", "您放心，这个稳赚不赔的"))
CUSTOMER_ONLY = _doc(("customer", "这个保本吗我只买保本的"), ("agent", "这款是净值型产品，不保本，有亏损的可能"))
NO_LONGER = _doc(("customer", "有风险吗"), ("agent", "这个产品零风险，您放心买"))


def _ingest(client: TestClient, key: str, doc: dict[str, Any]) -> str:
    r = client.post("/v1/calls/transcript", json=doc, headers=auth(key))
    assert r.status_code == 202, r.text
    return str(r.json()["id"])


def _draft(client: TestClient, key: str, text: str = VARIANT) -> int:
    r = client.post("/v1/rules/drafts", json={"yaml": text}, headers=auth(key))
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _finding(client: TestClient, key: str, call_id: str, rule: str) -> tuple[str, dict[str, Any]]:
    result = client.get(f"/v1/calls/{call_id}/result", headers=auth(key)).json()
    comp = result["compliance"]
    return comp["rule_pack"], next(f for f in comp["findings"] if f["rule"] == rule)


def test_draft_on_a_pasted_dialogue(client: TestClient, keys: Keys) -> None:
    body = {"yaml": VARIANT, "transcript": _doc(("customer", "这个保本吗"), ("agent", "这款产品保本的，您放心"))}
    r = client.post("/v1/rules/test", json=body, headers=auth(keys.qa))
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["rule"] == "forbidden_promise" and out["live_version"] == "default-1.5"
    assert out["draft"]["hit"] is True and out["draft"]["passed"] is False
    # The evidence is the agent's turn (index 2), not the customer asking (index 1).
    assert [e["segment"] for e in out["draft"]["evidence"]] == [2]
    assert "保本的" in out["draft"]["evidence"][0]["text"]
    # Only the customer says 保本 (and the agent denies it): no hit.
    body["transcript"] = CUSTOMER_ONLY
    out = client.post("/v1/rules/test", json=body, headers=auth(keys.qa)).json()
    assert out["draft"]["hit"] is False and out["draft"]["evidence"] == []
    # A phrase only the draft knows: the draft hits, the live rule does not.
    body["transcript"] = NEW_HIT
    out = client.post("/v1/rules/test", json=body, headers=auth(keys.qa)).json()
    assert out["draft"]["hit"] is True and out["live"]["hit"] is False and out["changed"] is True


def test_test_endpoint_rejects_bad_input(client: TestClient, keys: Keys) -> None:
    r = client.post("/v1/rules/test", json={"yaml": VARIANT, "transcript": {"turns": []}}, headers=auth(keys.qa))
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_transcript"
    r = client.post("/v1/rules/test", json={"transcript": NEW_HIT}, headers=auth(keys.qa))
    assert r.status_code == 422 and "draft_id" in r.json()["error"]["message"]
    r = client.post("/v1/rules/test", json={"draft_id": 999999, "transcript": NEW_HIT}, headers=auth(keys.qa))
    assert r.status_code == 404


def test_backtest_shows_hits_and_change_against_live(client: TestClient, keys: Keys) -> None:
    ids = {name: _ingest(client, keys.admin, doc) for name, doc in
           (("new", NEW_HIT), ("both", BOTH_HIT), ("customer", CUSTOMER_ONLY), ("gone", NO_LONGER))}
    vid = _draft(client, keys.qa)
    r = client.post(f"/v1/rules/drafts/{vid}/backtest", json={"samples": 5}, headers=auth(keys.qa))
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["calls"] == 4 and out["hits"] == 2
    assert {s["call_id"] for s in out["samples"]} == {ids["new"], ids["both"]}
    change = out["change"]
    assert change["live_version"] == "default-1.5" and change["live_hits"] == 2
    assert (change["newly_hit"], change["no_longer_hit"]) == (1, 1)
    assert [s["call_id"] for s in change["newly_hit_samples"]] == [ids["new"]]
    gone = change["no_longer_hit_samples"][0]
    assert gone["call_id"] == ids["gone"] and "零风险" in gone["finding"]["evidence"][0]["text"]
    # Filters: another branch has none of these calls; limit caps the walk.
    r = client.post(f"/v1/rules/drafts/{vid}/backtest", json={"branch": "城西支行"}, headers=auth(keys.qa))
    assert r.json()["calls"] == 0
    r = client.post(f"/v1/rules/drafts/{vid}/backtest", json={"limit": 2}, headers=auth(keys.qa))
    assert r.json()["calls"] == 2 and r.json()["limit_reached"] is True
    r = client.post(f"/v1/rules/drafts/{vid}/backtest", json={"from": "2027-01-01T00:00:00Z"}, headers=auth(keys.qa))
    assert r.json()["calls"] == 0
    r = client.post(f"/v1/rules/drafts/{vid}/backtest", json={"limit": 0}, headers=auth(keys.qa))
    assert r.status_code == 422
    r = client.post(f"/v1/rules/drafts/{vid}/backtest", json={"branch": "火星支行"}, headers=auth(keys.qa))
    assert r.status_code == 422 and "火星支行" in r.json()["error"]["message"]


def test_backtest_masks_personal_numbers(client: TestClient, keys: Keys) -> None:
    _ingest(client, keys.admin, _doc(("agent", "您的手机13812345678绑定的这款产品稳赚不赔")))
    vid = _draft(client, keys.qa)
    out = client.post(f"/v1/rules/drafts/{vid}/backtest", json={}, headers=auth(keys.qa)).json()
    text = out["samples"][0]["finding"]["evidence"][0]["text"]
    assert "13812345678" not in text and "138****5678" in text
    r = client.post(f"/v1/rules/drafts/{vid}/backtest", json={"show_pii": True}, headers=auth(keys.qa))
    assert r.status_code == 403
    out = client.post(f"/v1/rules/drafts/{vid}/backtest", json={"show_pii": True}, headers=auth(keys.admin)).json()
    assert "13812345678" in out["samples"][0]["finding"]["evidence"][0]["text"]


def test_publish_makes_the_next_analysis_use_the_new_version(client: TestClient, keys: Keys, senior_qa: str) -> None:
    before = _ingest(client, keys.admin, NEW_HIT)
    pack, f = _finding(client, keys.admin, before, "forbidden_promise")
    assert pack == "default-1.5" and f["passed"] is True

    vid = _draft(client, keys.qa)
    r = client.post(f"/v1/rules/drafts/{vid}/publish", json={"comment": "上线"}, headers=auth(senior_qa))
    assert r.status_code == 200, r.text
    assert r.json()["published"]["status"] == "published" and r.json()["retired"] is None
    assert r.json()["rule_pack"] == "default-1.5+forbidden_promise@v1"

    after = _ingest(client, keys.admin, NEW_HIT)
    pack, f = _finding(client, keys.admin, after, "forbidden_promise")
    assert pack == "default-1.5+forbidden_promise@v1"
    assert f["passed"] is False and "闭眼买" in f["evidence"][0]["text"]

    # A second version retires the first; the one after it is what analyses use.
    v2 = _draft(client, keys.qa, VARIANT.replace("闭眼买", "放心买"))
    r = client.post(f"/v1/rules/drafts/{v2}/publish", headers=auth(keys.admin))
    assert r.status_code == 200 and r.json()["retired"]["id"] == vid
    assert client.post(f"/v1/rules/drafts/{vid}/publish", headers=auth(keys.admin)).status_code == 409
    pack, f = _finding(client, keys.admin, _ingest(client, keys.admin, NEW_HIT), "forbidden_promise")
    assert pack == "default-1.5+forbidden_promise@v2" and f["passed"] is True
    versions = client.get("/v1/rules/forbidden_promise/versions", headers=auth(keys.qa)).json()
    assert [(v["version"], v["status"]) for v in versions] == [(2, "published"), (1, "retired")]
    active = client.get("/v1/rules", headers=auth(keys.qa)).json()
    assert active["rule_pack"] == "default-1.5+forbidden_promise@v2"
    rule = next(r for r in active["rules"] if r["id"] == "forbidden_promise")
    assert rule["source"] == "published" and rule["version"] == 2 and "放心买" in rule["yaml"]
    greeting = next(r for r in active["rules"] if r["id"] == "greeting")
    assert greeting["source"] == "pack" and "first_turns" in greeting["yaml"]
    # A published rule can be backtested against itself: no change.
    out = client.post(f"/v1/rules/drafts/{v2}/backtest", json={}, headers=auth(keys.qa)).json()
    assert out["change"]["live_version"] == "forbidden_promise@v2"
    assert (out["change"]["newly_hit"], out["change"]["no_longer_hit"]) == (0, 0)


def test_roles(client: TestClient, keys: Keys) -> None:
    vid = _draft(client, keys.qa)
    for key in (keys.manager_east, keys.agent_1023):
        assert client.get("/v1/rules", headers=auth(key)).status_code == 403
        assert client.get("/v1/rules/greeting/versions", headers=auth(key)).status_code == 403
        assert client.post("/v1/rules/drafts", json={"yaml": VARIANT}, headers=auth(key)).status_code == 403
        assert client.put(f"/v1/rules/drafts/{vid}", json={"yaml": VARIANT}, headers=auth(key)).status_code == 403
        r = client.post("/v1/rules/test", json={"yaml": VARIANT, "transcript": NEW_HIT}, headers=auth(key))
        assert r.status_code == 403
        assert client.post(f"/v1/rules/drafts/{vid}/backtest", json={}, headers=auth(key)).status_code == 403
        assert client.post(f"/v1/rules/drafts/{vid}/publish", headers=auth(key)).status_code == 403
    # A QA who is not senior drafts and backtests but cannot publish.
    r = client.post(f"/v1/rules/drafts/{vid}/publish", headers=auth(keys.qa))
    assert r.status_code == 403 and "senior" in r.json()["error"]["message"]
    assert client.get("/v1/rules/forbidden_promise/versions", headers=auth(keys.qa)).json()[0]["status"] == "draft"
    assert client.get("/v1/rules").status_code == 401

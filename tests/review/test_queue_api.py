"""The review queue over HTTP: order, filters, pagination, scopes and assignment."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from callsight.config import settings
from tests.factories import DIALOGUE, auth
from tests.review.conftest import Team
from tests.review.helpers import NO_GREETING, PROMISE, RUDE, ingest, queue


@pytest.fixture
def calls(client: TestClient, team: Team) -> dict[str, str]:
    admin = team.keys.admin
    return {
        "minor": ingest(client, admin, NO_GREETING, started_at="2026-10-01T09:00:00+08:00"),
        "promise": ingest(client, admin, PROMISE, agent="A1024", started_at="2026-10-05T09:00:00+08:00"),
        "rude": ingest(client, admin, RUDE, started_at="2026-10-20T09:00:00+08:00"),
        "west": ingest(client, admin, PROMISE, branch="城西支行", agent="A2001",
                       started_at="2026-10-21T09:00:00+08:00"),
        "clean": ingest(client, admin, DIALOGUE),
    }


def _ids(r: object) -> list[str]:
    return [i["call_id"] for i in r.json()["items"]]  # type: ignore[attr-defined]


def test_queue_orders_by_fatal_severity_risk_score(client: TestClient, team: Team, calls: dict[str, str]) -> None:
    r = queue(client, team.keys.qa)
    assert r.status_code == 200, r.text
    body = r.json()
    # rude: fatal + high complaint risk; promise and west: fatal; minor: only a minor item. Clean: not queued.
    ids = _ids(r)
    assert ids[0] == calls["rude"]
    assert set(ids[1:3]) == {calls["promise"], calls["west"]} and ids[3] == calls["minor"]
    assert calls["clean"] not in ids and body["total"] == 4
    top = body["items"][0]
    assert top["fatal"] and top["complaint_risk_high"] and top["severity_rank"] == 3 and top["kind"] == "flagged"
    assert top["review_state"] == "queued" and top["branch"] == "城东支行"
    assert "courtesy" in {f["rule"] for f in top["failed_rules"]}
    assert {x["code"] for x in top["flag_reasons"]} >= {"failed_rule", "complaint_risk_high"}
    minor = body["items"][3]
    assert not minor["fatal"] and minor["severity_rank"] == 1
    assert [f["rule"] for f in minor["failed_rules"]] == ["greeting"]


def test_queue_filters_and_pagination(client: TestClient, team: Team, calls: dict[str, str]) -> None:
    qa = team.keys.qa
    assert _ids(queue(client, qa, branch="城西支行")) == [calls["west"]]
    assert _ids(queue(client, qa, agent="A1024")) == [calls["promise"]]
    assert set(_ids(queue(client, qa, rule="forbidden_promise"))) == {calls["promise"], calls["west"]}
    assert _ids(queue(client, qa, rule="courtesy")) == [calls["rude"]]
    assert set(_ids(queue(client, qa, **{"from": "2026-10-04T00:00:00+08:00", "to": "2026-10-21T00:00:00+08:00"}))) \
        == {calls["promise"], calls["rude"]}
    assert _ids(queue(client, qa, state="closed")) == []
    assert len(_ids(queue(client, qa, state="all"))) == 4
    page = queue(client, qa, limit=2, offset=2).json()
    assert page["total"] == 4 and len(page["items"]) == 2
    assert _ids(queue(client, qa, limit=2)) + [i["call_id"] for i in page["items"]] == _ids(queue(client, qa))
    for bad in ({"state": "bogus"}, {"kind": "x"}, {"assignee": "someone"}, {"limit": 0}):
        r = queue(client, qa, **bad)
        assert r.status_code == 422, bad
        assert next(iter(bad)) in r.json()["error"]["message"]
    assert queue(client, qa, branch="不存在支行").status_code == 422


def test_queue_scopes(client: TestClient, team: Team, calls: dict[str, str]) -> None:
    east = _ids(queue(client, team.keys.manager_east))
    assert calls["west"] not in east and set(east) == {calls["rude"], calls["promise"], calls["minor"]}
    assert _ids(queue(client, team.keys.manager_west)) == [calls["west"]]
    # Asking for another branch by name gives nothing, not its items.
    assert _ids(queue(client, team.keys.manager_west, branch="城东支行")) == []
    assert _ids(queue(client, team.qa_west)) == [calls["west"]]
    r = queue(client, team.keys.agent_1023)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert client.get("/v1/review/queue").status_code == 401
    # Managers read; they do not assign.
    r = client.post("/v1/review/assignments", json={"call_ids": [calls["west"]]}, headers=auth(team.keys.manager_west))
    assert r.status_code == 403


def test_assignment_claim_and_reassignment(client: TestClient, team: Team, calls: dict[str, str]) -> None:
    qa2_id = team.ids["qa2"]
    lead = auth(team.lead)
    r = client.post("/v1/review/assignments", json={"call_ids": [calls["rude"], calls["promise"]],
                                                     "reviewer_id": qa2_id}, headers=lead)
    assert r.status_code == 200, r.text
    assert [(i["assignee"], i["review_state"]) for i in r.json()["items"]] == [("qa2", "in_review")] * 2
    mine = queue(client, team.qa2, assignee="me").json()["items"]
    assert {i["call_id"] for i in mine} == {calls["rude"], calls["promise"]} and mine[0]["assignee"] == "qa2"
    assert _ids(queue(client, team.keys.qa, assignee=str(qa2_id))) == _ids(queue(client, team.qa2, assignee="me"))
    assert set(_ids(queue(client, team.keys.qa, assignee="none"))) == {calls["minor"], calls["west"]}
    # A plain reviewer neither assigns to others nor takes a call assigned to someone else.
    r = client.post("/v1/review/assignments", json={"call_ids": [calls["minor"]], "reviewer_id": qa2_id},
                    headers=auth(team.keys.qa))
    assert r.status_code == 403
    r = client.post("/v1/review/assignments", json={"call_ids": [calls["rude"]]}, headers=auth(team.keys.qa))
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_assigned"
    # ... but claims an unassigned one; the lead may reassign.
    r = client.post("/v1/review/assignments", json={"call_ids": [calls["minor"]]}, headers=auth(team.keys.qa))
    assert r.status_code == 200 and r.json()["items"][0]["assignee"] == "qa"
    r = client.post("/v1/review/assignments", json={"call_ids": [calls["rude"]], "reviewer_id": team.ids["qa"]},
                    headers=lead)
    assert r.status_code == 200 and r.json()["items"][0]["assignee"] == "qa"
    audit = client.get("/v1/audit", params={"call_id": calls["rude"], "action": "assigned"}, headers=lead).json()
    assert [(e["before"]["assignee_id"], e["after"]["assignee_id"]) for e in audit["items"]] == [
        (None, qa2_id), (qa2_id, team.ids["qa"])]
    assert audit["items"][0]["actor"] == "qa-lead"


def test_assignment_bad_input(client: TestClient, team: Team, calls: dict[str, str]) -> None:
    lead = auth(team.lead)
    r = client.post("/v1/review/assignments", json={"call_ids": ["nope"]}, headers=lead)
    assert r.status_code == 404
    r = client.post("/v1/review/assignments", json={"call_ids": [calls["rude"]], "reviewer_id": 999999}, headers=lead)
    assert r.status_code == 422 and "reviewer_id" in r.json()["error"]["message"]
    agent_id = team.ids["agent-1023"]
    r = client.post("/v1/review/assignments", json={"call_ids": [calls["rude"]], "reviewer_id": agent_id},
                    headers=lead)
    assert r.status_code == 422 and r.json()["error"]["code"] == "not_a_reviewer"
    # The west-only reviewer cannot be given an east call.
    r = client.post("/v1/review/assignments", json={"call_ids": [calls["rude"]], "reviewer_id": team.ids["qa-west"]},
                    headers=lead)
    assert r.status_code == 422 and r.json()["error"]["code"] == "outside_reviewer_scope"
    r = client.post("/v1/review/assignments", json={"call_ids": []}, headers=lead)
    assert r.status_code == 422 and "call_ids" in r.json()["error"]["message"]
    # A clean call assigned by hand enters the queue as 'manual'.
    r = client.post("/v1/review/assignments", json={"call_ids": [calls["clean"]]}, headers=lead)
    assert r.status_code == 200
    item = next(i for i in queue(client, team.lead).json()["items"] if i["call_id"] == calls["clean"])
    assert item["kind"] == "manual" and not item["flagged"]


def test_sampled_calls_enter_the_queue(client: TestClient, team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "review_sample_share", 1.0)
    clean = ingest(client, team.keys.admin, DIALOGUE)
    items = queue(client, team.keys.qa, kind="sample").json()["items"]
    assert [(i["call_id"], i["flagged"], i["review_state"]) for i in items] == [(clean, False, "queued")]
    # Nothing failed: the reviewer closes it directly.
    r = client.post(f"/v1/review/calls/{clean}/close", headers=auth(team.keys.qa))
    assert r.status_code == 200 and r.json()["review_state"] == "closed"
    assert queue(client, team.keys.qa, kind="sample").json()["items"] == []

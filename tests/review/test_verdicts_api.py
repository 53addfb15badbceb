"""Findings, verdicts, re-scoring, appeals, rulings, the audit trail and rule
precision over HTTP, on calls processed by the real pipeline."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from callsight.db.models import Call
from tests.factories import DIALOGUE, auth
from tests.review.conftest import Team
from tests.review.helpers import PROMISE, doc, finding_id, findings, ingest, verdict

MARKETING = ("forbidden_promise", "risk_disclosure", "suitability")


def test_findings_show_evidence_and_respect_scope(client: TestClient, team: Team) -> None:
    call = ingest(client, team.keys.admin, PROMISE)
    body = findings(client, team.keys.qa, call)
    assert body["review_state"] == "queued" and body["flagged"] and not body["blind"]
    # A pending fatal item fails both cards (一票否决): the service score must not read 100 (issue 14).
    assert body["marketing_score"] == 0.0 and body["service_score"] == 0.0
    promise = next(f for f in body["findings"] if f["rule"] == "forbidden_promise")
    assert promise["status"] == "auto" and not promise["passed"] and promise["fatal"]
    ev = promise["evidence"][0]
    assert ev["segment"] == 2 and ev["end"] > ev["start"] and "保本" in ev["text"]
    # The agent of the call and the branch manager read it; others do not.
    assert client.get(f"/v1/calls/{call}/findings", headers=auth(team.keys.agent_1023)).status_code == 200
    assert client.get(f"/v1/calls/{call}/findings", headers=auth(team.keys.manager_east)).status_code == 200
    assert client.get(f"/v1/calls/{call}/findings", headers=auth(team.keys.agent_1024)).status_code == 403
    assert client.get(f"/v1/calls/{call}/findings", headers=auth(team.keys.manager_west)).status_code == 403
    r = client.get("/v1/calls/nope/findings", headers=auth(team.keys.qa))
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_personal_numbers_in_evidence_are_masked(client: TestClient, team: Team) -> None:
    turns = [*PROMISE[:3], ("agent", "这个是保本的，您的手机号13812345678对吧"), *PROMISE[3:]]
    call = ingest(client, team.keys.admin, turns)
    text = str(findings(client, team.keys.qa, call)["findings"])
    assert "13812345678" not in text
    shown = client.get(f"/v1/calls/{call}/findings?show_pii=true", headers=auth(team.keys.admin)).json()
    assert "13812345678" in str(shown["findings"])
    assert client.get(f"/v1/calls/{call}/findings?show_pii=true", headers=auth(team.keys.qa)).status_code == 403


def test_verdicts_rescore_and_move_the_state(client: TestClient, team: Team) -> None:
    call = ingest(client, team.keys.admin, PROMISE)
    qa = team.keys.qa
    ids = {rule: finding_id(client, qa, call, rule) for rule in MARKETING}
    r = verdict(client, qa, ids["forbidden_promise"], "confirmed", "坐席承诺保本，属实")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["finding"]["status"] == "confirmed" and out["finding"]["verdict_by"] == "qa"
    assert out["finding"]["effective_passed"] is False
    assert out["call"]["marketing_score"] == 0.0 and out["call"]["review_state"] == "in_review"
    # Dismissing the fatal item lifts the 一票否决: marketing = weight of the passed item / applicable weights.
    r = verdict(client, qa, ids["forbidden_promise"], "dismissed", "复听为“不保本”")
    assert r.json()["call"]["marketing_score"] == 30.0
    verdict(client, qa, ids["risk_disclosure"], "dismissed")
    r = verdict(client, qa, ids["suitability"], "dismissed")
    assert r.json()["call"]["marketing_score"] == 100.0
    assert r.json()["call"]["review_state"] == "reviewed"
    # The automatic flags stay: they say why the call was put in front of QA.
    assert r.json()["call"]["flagged"] is True
    r = client.post(f"/v1/review/calls/{call}/close", headers=auth(qa))
    assert r.status_code == 200 and r.json()["review_state"] == "closed"
    r = verdict(client, qa, ids["suitability"], "confirmed")
    assert r.status_code == 409 and r.json()["error"]["code"] == "review_closed"


def test_verdict_bad_input_and_roles(client: TestClient, team: Team) -> None:
    call = ingest(client, team.keys.admin, PROMISE)
    fid = finding_id(client, team.keys.qa, call, "forbidden_promise")
    r = verdict(client, team.keys.qa, fid, "maybe")
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["field"] == "verdict" and "verdict" in r.json()["error"]["message"]
    r = client.post(f"/v1/findings/{fid}/verdict", json={"comment": "x"}, headers=auth(team.keys.qa))
    assert r.status_code == 422 and "verdict" in r.json()["error"]["message"]
    assert verdict(client, team.keys.qa, 987654, "confirmed").status_code == 404
    passed = finding_id(client, team.keys.qa, call, "greeting")
    r = verdict(client, team.keys.qa, passed, "confirmed")
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_reviewable"
    for key in (team.keys.manager_east, team.keys.agent_1023):
        assert verdict(client, key, fid, "confirmed").status_code == 403
    # A reviewer limited to another branch cannot see (so cannot judge) the finding.
    assert verdict(client, team.qa_west, fid, "confirmed").status_code == 403
    # Once claimed by one reviewer, another plain reviewer may not overrule; a lead may.
    assert verdict(client, team.keys.qa, fid, "confirmed").status_code == 200
    assert verdict(client, team.qa2, fid, "dismissed").status_code == 403
    assert verdict(client, team.lead, fid, "dismissed").status_code == 200
    assert findings(client, team.keys.qa, call)["marketing_score"] == 30.0


def test_appeal_and_ruling(client: TestClient, team: Team) -> None:
    call = ingest(client, team.keys.admin, PROMISE)
    fid = finding_id(client, team.keys.qa, call, "forbidden_promise")
    other = finding_id(client, team.keys.qa, call, "risk_disclosure")
    agent = auth(team.keys.agent_1023)
    r = client.post(f"/v1/findings/{fid}/appeal", json={"reason": "还没确认"}, headers=agent)
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_confirmed"
    assert verdict(client, team.lead, fid, "confirmed", "属实").status_code == 200
    assert verdict(client, team.lead, other, "dismissed").status_code == 200
    r = client.post(f"/v1/findings/{other}/appeal", json={"reason": "x"}, headers=agent)
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_confirmed"
    # Someone else's call, a non-agent, an empty reason, an unknown finding.
    assert client.post(f"/v1/findings/{fid}/appeal", json={"reason": "x"},
                       headers=auth(team.keys.agent_1024)).status_code == 403
    assert client.post(f"/v1/findings/{fid}/appeal", json={"reason": "x"},
                       headers=auth(team.keys.qa)).status_code == 403
    r = client.post(f"/v1/findings/{fid}/appeal", json={"reason": ""}, headers=agent)
    assert r.status_code == 422 and "reason" in r.json()["error"]["message"]
    assert client.post("/v1/findings/987654/appeal", json={"reason": "x"}, headers=agent).status_code == 404

    r = client.post(f"/v1/findings/{fid}/appeal", json={"reason": "我说的是不保本，转写漏字"}, headers=agent)
    assert r.status_code == 201, r.text
    appeal = r.json()
    assert appeal["status"] == "open" and appeal["appellant"] == "agent-1023" and appeal["rule"] == "forbidden_promise"
    r = client.post(f"/v1/findings/{fid}/appeal", json={"reason": "再来一次"}, headers=agent)
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_appealed"
    # Under appeal, only the ruling changes the finding.
    assert verdict(client, team.lead2, fid, "dismissed").status_code == 409
    mine = client.get("/v1/appeals", headers=agent).json()
    assert [a["id"] for a in mine["items"]] == [appeal["id"]]
    assert client.get("/v1/appeals", headers=auth(team.keys.agent_1024)).json()["items"] == []
    assert client.get("/v1/appeals", params={"status": "bogus"}, headers=agent).status_code == 422

    ruling = f"/v1/appeals/{appeal['id']}/ruling"
    body = {"decision": "overturned", "comment": "复听确认为不保本"}
    assert client.post(ruling, json=body, headers=auth(team.lead)).status_code == 403  # own verdict
    assert client.post(ruling, json=body, headers=auth(team.qa2)).status_code == 403  # not senior
    assert client.post(ruling, json=body, headers=agent).status_code == 403
    r = client.post(ruling, json={"decision": "maybe"}, headers=auth(team.lead2))
    assert r.status_code == 422 and "decision" in r.json()["error"]["message"]
    assert client.post("/v1/appeals/987654/ruling", json=body, headers=auth(team.lead2)).status_code == 404
    r = client.post(ruling, json=body, headers=auth(team.lead2))
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["appeal"]["status"] == "overturned" and out["appeal"]["ruled_by"] == "qa-lead2"
    assert out["call"]["marketing_score"] == 65.0  # risk_disclosure (35) was dismissed too
    f = next(x for x in findings(client, team.keys.agent_1023, call)["findings"] if x["id"] == fid)
    assert f["status"] == "dismissed" and f["effective_passed"] and f["appeal"]["status"] == "overturned"
    assert client.post(ruling, json=body, headers=auth(team.keys.admin)).status_code == 409
    r = client.post(f"/v1/findings/{fid}/appeal", json={"reason": "x"}, headers=agent)
    assert r.status_code == 409


def test_audit_trail(client: TestClient, team: Team) -> None:
    call = ingest(client, team.keys.admin, PROMISE)
    fid = finding_id(client, team.keys.qa, call, "forbidden_promise")
    verdict(client, team.lead, fid, "confirmed", "属实")
    aid = client.post(f"/v1/findings/{fid}/appeal", json={"reason": "不服"},
                      headers=auth(team.keys.agent_1023)).json()["id"]
    client.post(f"/v1/appeals/{aid}/ruling", json={"decision": "upheld"}, headers=auth(team.keys.admin))
    r = client.get("/v1/audit", params={"finding_id": fid}, headers=auth(team.keys.qa))
    assert r.status_code == 200
    entries = r.json()["items"]
    assert [e["action"] for e in entries] == ["verdict", "appeal", "ruling"]
    v = entries[0]
    assert v["actor"] == "qa-lead" and v["before"]["status"] == "auto" and v["after"]["status"] == "confirmed"
    assert entries[2]["before"]["status"] == "open" and entries[2]["after"]["status"] == "upheld"
    by_call = [e["action"] for e in client.get("/v1/audit", params={"call_id": call},
                                               headers=auth(team.keys.admin)).json()["items"]]
    assert by_call[0] == "analysis_synced" and "assigned" in by_call and by_call[-1] == "ruling"
    assert client.get("/v1/audit", headers=auth(team.keys.manager_east)).status_code == 403
    assert client.get("/v1/audit", headers=auth(team.keys.agent_1023)).status_code == 403
    assert client.get("/v1/audit", params={"call_id": "nope"}, headers=auth(team.keys.qa)).status_code == 404
    # A west-only reviewer sees none of the east call's trail.
    assert client.get("/v1/audit", params={"finding_id": fid}, headers=auth(team.qa_west)).json()["items"] == []


def test_reprocess_keeps_unchanged_verdicts_and_resets_changed(client: TestClient, team: Team, db: Session) -> None:
    call = ingest(client, team.keys.admin, PROMISE)
    fid = finding_id(client, team.keys.qa, call, "forbidden_promise")
    rid = finding_id(client, team.keys.qa, call, "risk_disclosure")
    verdict(client, team.keys.qa, fid, "confirmed")
    verdict(client, team.keys.qa, rid, "dismissed")
    assert client.post(f"/v1/calls/{call}/reprocess", headers=auth(team.keys.qa)).status_code == 202
    after = {f["rule"]: f for f in findings(client, team.keys.qa, call)["findings"]}
    assert after["forbidden_promise"]["id"] == fid and after["forbidden_promise"]["status"] == "confirmed"
    assert after["risk_disclosure"]["status"] == "dismissed"
    # The transcript changes: the agent now discloses the risk and promises nothing.
    row = db.get(Call, call)
    assert row is not None
    row.transcript_input = doc([*PROMISE[:2], ("agent", "给您推荐一款基金，投资有风险，理财需谨慎"), *PROMISE[3:]])
    db.flush()
    assert client.post(f"/v1/calls/{call}/reprocess", headers=auth(team.keys.qa)).status_code == 202
    body = findings(client, team.keys.qa, call)
    after = {f["rule"]: f for f in body["findings"]}
    assert after["forbidden_promise"]["passed"] and after["forbidden_promise"]["status"] == "auto"
    assert after["risk_disclosure"]["passed"] and after["risk_disclosure"]["status"] == "auto"
    assert after["forbidden_promise"]["id"] == fid
    resets = client.get("/v1/audit", params={"call_id": call, "action": "verdict_reset"},
                        headers=auth(team.keys.qa)).json()["items"]
    assert {e["finding_id"] for e in resets} == {fid, rid} and all(e["actor"] == "system" for e in resets)


def test_rule_precision(client: TestClient, team: Team) -> None:
    calls = [ingest(client, team.keys.admin, PROMISE) for _ in range(3)]
    for call, value in zip(calls, ("confirmed", "confirmed", "dismissed"), strict=True):
        verdict(client, team.keys.qa, finding_id(client, team.keys.qa, call, "forbidden_promise"), value)
    verdict(client, team.keys.qa, finding_id(client, team.keys.qa, calls[0], "suitability"), "dismissed")
    r = client.get("/v1/review/rule-precision", headers=auth(team.keys.qa))
    assert r.status_code == 200
    rules = {x["rule"]: x for x in r.json()["rules"]}
    assert rules["forbidden_promise"] | {"title": None} == {"rule": "forbidden_promise", "title": None,
                                                            "reviewed": 3, "confirmed": 2, "dismissed": 1,
                                                            "precision": round(2 / 3, 4)}
    assert rules["suitability"]["precision"] == 0.0 and set(rules) == {"forbidden_promise", "suitability"}
    past = client.get("/v1/review/rule-precision", params={"to": "2020-01-01T00:00:00Z"}, headers=auth(team.keys.qa))
    assert past.json()["rules"] == [] and past.json()["to"].startswith("2020-01-01")
    assert client.get("/v1/review/rule-precision", params={"from": "yesterday"},
                      headers=auth(team.keys.qa)).status_code == 422
    assert client.get("/v1/review/rule-precision", headers=auth(team.keys.manager_east)).status_code == 403
    assert client.get("/v1/review/rule-precision", headers=auth(team.qa_west)).json()["rules"] == []


def test_clean_call_has_findings_but_nothing_to_review(client: TestClient, team: Team) -> None:
    call = ingest(client, team.keys.admin, DIALOGUE)
    body = findings(client, team.keys.agent_1023, call)
    assert body["review_state"] == "none" and not body["flagged"]
    assert all(f["passed"] for f in body["findings"])
    r = client.post(f"/v1/review/calls/{call}/close", headers=auth(team.keys.qa))
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_queued"

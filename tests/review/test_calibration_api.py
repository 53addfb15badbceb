"""Calibration sessions over HTTP: blind double review, kappa per rule, no effect on
live scores."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight.db.models import User
from tests.factories import auth
from tests.review.conftest import Team
from tests.review.helpers import PROMISE, findings, ingest

RULES = ("forbidden_promise", "risk_disclosure", "suitability")
# Per call (two calls), what each reviewer says about each failed rule.
PLAN = {
    "qa": {"forbidden_promise": "cc", "risk_disclosure": "cd", "suitability": "dd"},
    "qa2": {"forbidden_promise": "cc", "risk_disclosure": "cc", "suitability": "dc"},
}
WORD = {"c": "confirmed", "d": "dismissed"}


@pytest.fixture
def session_(client: TestClient, team: Team) -> dict[str, Any]:
    calls = [ingest(client, team.keys.admin, PROMISE) for _ in range(2)]
    r = client.post("/v1/review/calibrations", json={"title": "十月校准", "call_ids": calls,
                                                      "reviewer_ids": [team.ids["qa"], team.ids["qa2"]]},
                    headers=auth(team.lead))
    assert r.status_code == 201, r.text
    return {"calls": calls, "cal": r.json()}


def _vote(client: TestClient, key: str, cal_id: int, fid: int, value: str) -> Any:
    return client.post(f"/v1/review/calibrations/{cal_id}/verdicts", json={"finding_id": fid, "verdict": value},
                       headers=auth(key))


def test_blind_review_and_agreement(client: TestClient, team: Team, session_: dict[str, Any]) -> None:
    cal, calls = session_["cal"], session_["calls"]
    assert cal["status"] == "open" and cal["call_ids"] == sorted(calls)
    items = cal["items"]
    assert len(items) == 6 and {i["rule"] for i in items} == set(RULES)
    keys = {"qa": team.keys.qa, "qa2": team.qa2}
    for who, plan in PLAN.items():
        for it in items:
            value = WORD[plan[it["rule"]][calls.index(it["call_id"])]]
            r = _vote(client, keys[who], cal["id"], it["finding_id"], value)
            assert r.status_code == 200, r.text

    # While open, a reviewer sees only their own verdicts, no agreement, and no live verdicts on the call.
    mine = client.get(f"/v1/review/calibrations/{cal['id']}", headers=auth(team.qa2)).json()
    assert mine["blind"] and mine["agreement"] is None
    assert all([v["reviewer_id"] for v in it["verdicts"]] == [team.ids["qa2"]] for it in mine["items"])
    assert {p["reviewer_id"]: p["verdicts"] for p in mine["progress"]} == {team.ids["qa"]: 6, team.ids["qa2"]: 6}
    live = findings(client, team.qa2, calls[0])
    assert live["blind"] and all(f["status"] is None for f in live["findings"])
    assert findings(client, team.keys.admin, calls[0])["blind"] is False

    # The lead follows agreement at any time.
    lead = client.get(f"/v1/review/calibrations/{cal['id']}", headers=auth(team.lead)).json()
    assert not lead["blind"]
    by_rule = {a["rule"]: a for a in lead["agreement"]}
    assert by_rule["forbidden_promise"]["kappa"] is None and by_rule["forbidden_promise"]["observed"] == 1.0
    assert by_rule["risk_disclosure"]["kappa"] == 0.0 and by_rule["risk_disclosure"]["observed"] == 0.5
    assert by_rule["suitability"]["kappa"] == 0.0 and by_rule["suitability"]["method"] == "cohen"
    assert lead["overall"]["items"] == 6 and lead["overall"]["kappa"] == pytest.approx(1 / 3, abs=1e-4)

    # Calibration verdicts never touch the live findings or scores.
    live = findings(client, team.keys.admin, calls[0])
    assert live["marketing_score"] == 0.0 and live["review_state"] == "queued"
    assert all(f["status"] == "auto" for f in live["findings"])

    assert client.post(f"/v1/review/calibrations/{cal['id']}/close", headers=auth(team.keys.qa)).status_code == 403
    r = client.post(f"/v1/review/calibrations/{cal['id']}/close", headers=auth(team.lead))
    assert r.status_code == 200 and r.json()["status"] == "closed"
    after = client.get(f"/v1/review/calibrations/{cal['id']}", headers=auth(team.qa2)).json()
    assert not after["blind"] and after["overall"]["kappa"] == pytest.approx(1 / 3, abs=1e-4)
    assert all(len(it["verdicts"]) == 2 for it in after["items"])
    assert findings(client, team.qa2, calls[0])["blind"] is False
    r = _vote(client, team.keys.qa, cal["id"], items[0]["finding_id"], "dismissed")
    assert r.status_code == 409 and r.json()["error"]["code"] == "calibration_closed"
    audit = client.get("/v1/audit", params={"action": "calibration_verdict"}, headers=auth(team.keys.admin)).json()
    assert audit["total"] == 12


def test_three_reviewers_use_fleiss(client: TestClient, team: Team) -> None:
    call = ingest(client, team.keys.admin, PROMISE)
    reviewers = [team.ids["qa"], team.ids["qa2"], team.ids["qa-lead2"]]
    cal = client.post("/v1/review/calibrations", json={"call_ids": [call], "reviewer_ids": reviewers},
                      headers=auth(team.keys.admin)).json()
    for key, values in ((team.keys.qa, "ccd"), (team.qa2, "cdd"), (team.lead2, "ccd")):
        for it, v in zip(cal["items"], values, strict=True):
            assert _vote(client, key, cal["id"], it["finding_id"], WORD[v]).status_code == 200
    view = client.get(f"/v1/review/calibrations/{cal['id']}", headers=auth(team.keys.admin)).json()
    assert view["overall"]["method"] == "fleiss" and view["overall"]["items"] == 3
    assert view["overall"]["kappa"] is not None and -1.0 <= view["overall"]["kappa"] <= 1.0


def test_calibration_bad_input_and_roles(client: TestClient, team: Team, session_: dict[str, Any]) -> None:
    cal, calls = session_["cal"], session_["calls"]
    url = "/v1/review/calibrations"
    lead = auth(team.lead)
    r = client.post(url, json={"call_ids": calls, "reviewer_ids": [team.ids["qa"]]}, headers=lead)
    assert r.status_code == 422 and "reviewer_ids" in r.json()["error"]["message"]
    r = client.post(url, json={"call_ids": calls, "reviewer_ids": [team.ids["qa"], team.ids["qa"]]}, headers=lead)
    assert r.status_code == 422 and "reviewer_ids" in r.json()["error"]["message"]
    r = client.post(url, json={"call_ids": calls, "reviewer_ids": [team.ids["qa"], team.ids["agent-1023"]]},
                    headers=lead)
    assert r.status_code == 422 and r.json()["error"]["code"] == "not_a_reviewer"
    r = client.post(url, json={"call_ids": ["nope"], "reviewer_ids": [team.ids["qa"], team.ids["qa2"]]},
                    headers=lead)
    assert r.status_code == 404
    r = client.post(url, json={"call_ids": calls, "reviewer_ids": [team.ids["qa"], team.ids["qa-west"]]},
                    headers=lead)
    assert r.status_code == 422 and r.json()["error"]["code"] == "outside_reviewer_scope"
    r = client.post(url, json={"call_ids": calls, "reviewer_ids": [team.ids["qa"], team.ids["qa2"]]},
                    headers=auth(team.keys.qa))
    assert r.status_code == 403  # not a senior reviewer
    view = f"{url}/{cal['id']}"
    assert client.get(view, headers=auth(team.qa_west)).status_code == 403
    assert client.get(view, headers=auth(team.keys.manager_east)).status_code == 403
    assert client.get(f"{url}/987654", headers=lead).status_code == 404
    fid = cal["items"][0]["finding_id"]
    assert _vote(client, team.qa_west, cal["id"], fid, "confirmed").status_code == 403
    r = _vote(client, team.keys.qa, cal["id"], fid, "perhaps")
    assert r.status_code == 422 and "verdict" in r.json()["error"]["message"]
    other = ingest(client, team.keys.admin, PROMISE)
    foreign = next(f["id"] for f in findings(client, team.keys.qa, other)["findings"] if not f["passed"])
    assert _vote(client, team.keys.qa, cal["id"], foreign, "confirmed").status_code == 404
    passed = next(f["id"] for f in findings(client, team.keys.qa, calls[0])["findings"] if f["passed"])
    assert _vote(client, team.keys.qa, cal["id"], passed, "confirmed").status_code == 409


def test_lead_of_other_branches_cannot_view_the_calibration(client: TestClient, team: Team,
                                                            session_: dict[str, Any], db: Session) -> None:
    west = db.scalar(select(User).where(User.name == "qa-west"))
    assert west is not None
    west.is_senior = True  # a QA lead, but only for 城西支行; the calibrated calls are 城东支行's
    db.flush()
    r = client.get(f"/v1/review/calibrations/{session_['cal']['id']}", headers=auth(team.qa_west))
    assert r.status_code == 403, r.text
    assert client.get(f"/v1/review/calibrations/{session_['cal']['id']}", headers=auth(team.lead)).status_code == 200

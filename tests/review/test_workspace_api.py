"""The QA workspace API (issue 14) on SQLite and PostgreSQL: bulk verdicts (all or
nothing), saved views, CSV / XLSX export, search filters and highlights, the score
filter, the calibration list, rule titles where people read them."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.factories import auth
from tests.review.conftest import Team
from tests.review.helpers import NO_GREETING, PROMISE, finding_id, findings, ingest, queue, verdict


def test_bulk_verdicts_are_all_or_nothing(client: TestClient, team: Team) -> None:
    a, b = ingest(client, team.keys.admin, PROMISE), ingest(client, team.keys.admin, PROMISE)
    fa, fb = (finding_id(client, team.keys.qa, c, "forbidden_promise") for c in (a, b))
    passed = next(f["id"] for f in findings(client, team.keys.qa, a)["findings"] if f["passed"])
    # One finding in the batch cannot take a verdict: nothing of the batch is saved, and the error names it.
    r = client.post("/v1/findings/verdicts", json={"finding_ids": [fa, passed, fb], "verdict": "dismissed"},
                    headers=auth(team.keys.qa))
    assert r.status_code == 409, r.text
    assert str(passed) in r.json()["error"]["message"]
    assert r.json()["error"]["details"]["finding_id"] == passed
    assert findings(client, team.keys.qa, a)["service_score"] == 0.0  # the fatal veto still stands
    assert {f["status"] for f in findings(client, team.keys.qa, a)["findings"] if f["id"] == fa} == {"auto"}

    r = client.post("/v1/findings/verdicts", json={"finding_ids": [fa, fb], "verdict": "dismissed",
                                                    "comment": "批量：转写误识别"}, headers=auth(team.keys.qa))
    assert r.status_code == 200, r.text
    assert r.json()["count"] == 2 and {f["status"] for f in r.json()["findings"]} == {"dismissed"}
    for call in (a, b):
        body = findings(client, team.keys.qa, call)
        assert body["service_score"] > 0  # the veto lifts once the fatal item is dismissed
    # Agents and managers give no verdicts; an empty batch is refused.
    assert client.post("/v1/findings/verdicts", json={"finding_ids": [fa], "verdict": "confirmed"},
                       headers=auth(team.keys.manager_east)).status_code == 403
    assert client.post("/v1/findings/verdicts", json={"finding_ids": [], "verdict": "confirmed"},
                       headers=auth(team.keys.qa)).status_code == 422


def test_saved_views_belong_to_their_user(client: TestClient, team: Team) -> None:
    body = {"page": "queue", "name": "城东致命", "query": "branch=城东支行&rule=forbidden_promise&offset=50"}
    r = client.post("/v1/views", json=body, headers=auth(team.keys.qa))
    assert r.status_code == 201, r.text
    view = r.json()
    assert view["query"] == "branch=%E5%9F%8E%E4%B8%9C%E6%94%AF%E8%A1%8C&rule=forbidden_promise"  # no paging
    # Saving under the same name replaces it.
    r = client.post("/v1/views", json={**body, "query": "agent=A1023"}, headers=auth(team.keys.qa))
    assert r.status_code == 201 and r.json()["id"] == view["id"]
    listed = client.get("/v1/views", params={"page": "queue"}, headers=auth(team.keys.qa)).json()
    assert [(v["name"], v["query"]) for v in listed] == [("城东致命", "agent=A1023")]
    assert client.get("/v1/views", params={"page": "queue"}, headers=auth(team.qa2)).json() == []
    # A filter the page does not know is refused, not stored.
    bad = client.post("/v1/views", json={**body, "query": "colour=red"}, headers=auth(team.keys.qa))
    assert bad.status_code == 422 and "colour" in bad.json()["error"]["message"]
    assert client.delete(f"/v1/views/{view['id']}", headers=auth(team.qa2)).status_code == 404
    assert client.delete(f"/v1/views/{view['id']}", headers=auth(team.keys.qa)).status_code == 204
    assert client.get("/v1/views", params={"page": "queue"}, headers=auth(team.keys.qa)).json() == []


def test_queue_shows_rule_titles_filters_by_score_and_exports(client: TestClient, team: Team) -> None:
    bad = ingest(client, team.keys.admin, PROMISE)
    ok = ingest(client, team.keys.admin, NO_GREETING)
    items = queue(client, team.keys.qa).json()["items"]
    row = next(i for i in items if i["call_id"] == bad)
    assert row["service_score"] == 0.0
    assert {f["title"] for f in row["failed_rules"]} >= {"禁止承诺（保本、保收益、稳赚不赔等）"}
    low = {i["call_id"] for i in queue(client, team.keys.qa, max_service=59).json()["items"]}
    high = {i["call_id"] for i in queue(client, team.keys.qa, min_service=60).json()["items"]}
    assert bad in low and bad not in high and ok in high and ok not in low

    r = client.get("/v1/review/queue/export", params={"format": "csv"}, headers=auth(team.keys.qa))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the Chinese right
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["通话", "网点", "坐席"]
    exported = next(x for x in rows if x[0] == bad)
    assert "致命·禁止承诺（保本、保收益、稳赚不赔等）" in exported[5] and "forbidden_promise" not in exported[5]
    assert exported[6] == "0.0"

    import openpyxl

    r = client.get("/v1/review/queue/export", params={"format": "xlsx", "max_service": 59},
                   headers=auth(team.keys.qa))
    assert r.status_code == 200, r.text
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert ws.title == "质检队列"
    cells = [[c.value for c in line] for line in ws.iter_rows()]
    assert cells[0][0] == "通话" and [x[0] for x in cells[1:]] == [bad] and cells[1][6] == 0.0
    assert client.get("/v1/review/queue/export", params={"format": "pdf"},
                      headers=auth(team.keys.qa)).status_code == 422
    assert client.get("/v1/review/queue/export", headers=auth(team.keys.agent_1023)).status_code == 403


def test_search_filters_by_branch_and_marks_the_hits(client: TestClient, team: Team) -> None:
    east = ingest(client, team.keys.admin, PROMISE)
    west = ingest(client, team.keys.admin, PROMISE, branch="城西支行", agent="A2051")
    both = client.get("/v1/search", params={"q": "保本"}, headers=auth(team.keys.qa)).json()["hits"]
    assert {h["call_id"] for h in both} >= {east, west}
    hits = client.get("/v1/search", params={"q": "保本", "branch": "城西支行"}, headers=auth(team.keys.qa)).json()
    assert {h["call_id"] for h in hits["hits"]} == {west}  # branch= is honoured, not ignored
    hit = hits["hits"][0]
    assert [hit["text"][a:b] for a, b in hit["highlights"]] == ["保本"]
    assert client.get("/v1/search", params={"q": "保本", "branch": "无此支行"},
                      headers=auth(team.keys.qa)).status_code == 422
    assert client.get("/v1/search", params={"q": "保本", "speaker": "customer"},
                      headers=auth(team.keys.qa)).json()["hits"] == []
    # A quoted phrase must occur as typed; the same words in another order do not match.
    assert client.get("/v1/search", params={"q": '"稳赚不赔"'}, headers=auth(team.keys.qa)).json()["hits"]
    assert client.get("/v1/search", params={"q": '"不赔稳赚"'}, headers=auth(team.keys.qa)).json()["hits"] == []

    r = client.get("/v1/search/export", params={"q": "保本", "branch": "城东支行", "format": "csv"},
                   headers=auth(team.keys.qa))
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][-1] == "原文" and {x[0] for x in rows[1:]} == {east} and rows[1][4] == "坐席"


def test_calibration_list(client: TestClient, team: Team) -> None:
    call = ingest(client, team.keys.admin, PROMISE)
    r = client.post("/v1/review/calibrations", json={"title": "十一月校准", "call_ids": [call],
                                                      "reviewer_ids": [team.ids["qa"], team.ids["qa2"]]},
                    headers=auth(team.lead))
    assert r.status_code == 201, r.text
    for key in (team.lead, team.keys.qa, team.keys.admin):
        listed = client.get("/v1/review/calibrations", headers=auth(key)).json()
        assert [(c["title"], c["status"]) for c in listed] == [("十一月校准", "open")]
        assert {r["id"] for r in listed[0]["reviewers"]} == {team.ids["qa"], team.ids["qa2"]}
    assert client.get("/v1/review/calibrations", headers=auth(team.qa_west)).json() == []
    assert client.get("/v1/review/calibrations", headers=auth(team.keys.agent_1023)).status_code == 403
    people = client.get("/v1/review/reviewers", headers=auth(team.lead)).json()
    assert {p["id"] for p in people} >= {team.ids["qa"], team.ids["qa2"], team.ids["qa-lead"]}
    assert next(p for p in people if p["id"] == team.ids["qa-lead"])["senior"]
    assert client.get("/v1/review/reviewers", headers=auth(team.keys.manager_east)).status_code == 403


def test_appeals_name_the_rule(client: TestClient, team: Team) -> None:
    call = ingest(client, team.keys.admin, PROMISE)
    fid = finding_id(client, team.keys.qa, call, "forbidden_promise")
    assert verdict(client, team.keys.qa, fid, "confirmed").status_code == 200
    r = client.post(f"/v1/findings/{fid}/appeal", json={"reason": "我说的是不保本"}, headers=auth(team.keys.agent_1023))
    assert r.status_code == 201, r.text
    assert r.json()["rule_title"] == "禁止承诺（保本、保收益、稳赚不赔等）"
    listed = client.get("/v1/appeals", params={"call_id": call}, headers=auth(team.keys.qa)).json()["items"]
    assert [a["rule_title"] for a in listed] == ["禁止承诺（保本、保收益、稳赚不赔等）"]

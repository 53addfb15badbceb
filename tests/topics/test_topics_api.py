"""客户之声 end to end: calls ingested through the API and processed by the real job
path, then the service, the API (roles and branch scope) and the CLI."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from callsight.auth import authenticate
from callsight.cli import main
from callsight.services import topics as svc
from tests.api.conftest import Keys
from tests.factories import auth
from tests.topics.corpus import generate

OCT = "from=2026-10-01&to=2026-10-31"


def _ingest(client: TestClient, key: str, branch: str, started: str, said: list[str]) -> str:
    turns = [{"speaker": "agent", "text": "您好，这里是理财中心，工号1023，请问有什么可以帮您"}]
    for text in said:
        turns += [{"speaker": "customer", "text": text}, {"speaker": "agent", "text": "好的，我帮您看一下"}]
    turns.append({"speaker": "customer", "text": "好的谢谢"})
    doc = {"meta": {"branch": branch, "agent": "A1023", "started_at": started}, "turns": turns}
    r = client.post("/v1/calls/transcript", json=doc, headers=auth(key))
    assert r.status_code == 202, r.text
    return str(r.json()["id"])


@pytest.fixture
def calls(client: TestClient, keys: Keys) -> dict[str, set[str]]:
    """East: 10 calls in September, 24 in October (fund losses up); West: 8 in October."""
    east_prev = generate({"cd_renewal": 5, "fund_loss": 2, "transfer_limit": 5}, style="dev", seed=70)
    east_cur = generate({"cd_renewal": 10, "fund_loss": 14, "transfer_limit": 10}, style="dev", seed=71)
    west_cur = generate({"retirement": 8, "card_installment": 8}, style="dev", seed=72)
    ids: dict[str, set[str]] = {"east_prev": set(), "east": set(), "west": set()}
    for i in range(0, len(east_prev), 2):
        ids["east_prev"].add(_ingest(client, keys.admin, "城东支行", "2026-09-10T10:00:00+08:00",
                                     [d.text for d in east_prev[i:i + 2]]))
    for i in range(0, len(east_cur), 2):
        day = 1 + i % 30
        ids["east"].add(_ingest(client, keys.admin, "城东支行", f"2026-10-{day:02d}T10:00:00+08:00",
                                [d.text for d in east_cur[i:i + 2]]))
    for i in range(0, len(west_cur), 2):
        ids["west"].add(_ingest(client, keys.admin, "城西支行", "2026-10-20T15:00:00+08:00",
                                [d.text for d in west_cur[i:i + 2]]))
    # Outside both periods: must not count.
    _ingest(client, keys.admin, "城东支行", "2026-11-02T10:00:00+08:00", ["信用卡账单想分期还"])
    return ids


def test_service_reads_both_periods_in_scope(db: Session, keys: Keys, calls: dict[str, set[str]]) -> None:
    admin = authenticate(db, keys.admin)
    q = svc.make_query(date(2026, 10, 1), date(2026, 10, 31), "城东支行")
    assert q.previous == (date(2026, 8, 31), date(2026, 9, 30))
    utts = svc.load_utterances(db, admin, q)
    assert {u.call_id for u in utts if u.period == "current"} == calls["east"]
    assert {u.call_id for u in utts if u.period == "previous"} == calls["east_prev"]
    assert all("您好，这里是理财中心" not in u.text for u in utts)  # customer turns only
    report = svc.topics_report(db, admin, q)
    assert report.calls == len(calls["east"]) and report.previous_calls == len(calls["east_prev"])
    assert report.topics and all(set(t.call_ids) <= calls["east"] for t in report.topics)


def test_api_topics_roles_and_branch_scope(client: TestClient, keys: Keys, calls: dict[str, set[str]]) -> None:
    r = client.get(f"/v1/topics?{OCT}", headers=auth(keys.admin))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["from"] == "2026-10-01" and body["previous_from"] == "2026-08-31"
    assert body["calls"] == len(calls["east"] | calls["west"])
    assert body["topics"] and all(t["label"] and t["terms"] and t["examples"] for t in body["topics"])
    fund = [t for t in body["topics"] if "基金" in t["terms"][:5]]
    assert fund and sum(t["calls"] for t in fund) > sum(t["previous_calls"] for t in fund) >= 1

    assert client.get(f"/v1/topics?{OCT}&branch=城东支行", headers=auth(keys.qa)).status_code == 200
    # A manager sees only the own branch: asked for another one, refused; unasked, only its own calls.
    r = client.get(f"/v1/topics?{OCT}&branch=城东支行", headers=auth(keys.manager_west))
    assert r.status_code == 403 and "outside your scope" in r.json()["error"]["message"]
    west = client.get(f"/v1/topics?{OCT}", headers=auth(keys.manager_west)).json()
    assert west["calls"] == len(calls["west"]) and west["previous_calls"] == 0
    assert {c for t in west["topics"] for c in t["call_ids"]} <= calls["west"]
    assert all(t["trend"] == "unknown" for t in west["topics"])
    east = client.get(f"/v1/topics?{OCT}&branch=CD01", headers=auth(keys.manager_east)).json()
    assert {c for t in east["topics"] for c in t["call_ids"]} <= calls["east"]
    # Agents never see branch-level voice of the customer.
    r = client.get(f"/v1/topics?{OCT}", headers=auth(keys.agent_1023))
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert client.get(f"/v1/topics?{OCT}").status_code == 401


@pytest.mark.parametrize(("params", "code", "words"), [
    ("from=2026-10-31&to=2026-10-01", "bad_period", "after"),
    ("from=2026-13-01&to=2026-10-31", "bad_date", "YYYY-MM-DD"),
    ("from=yesterday&to=2026-10-31", "bad_date", "yesterday"),
    ("from=2020-01-01&to=2026-10-31", "bad_period", "at most"),
    ("from=2026-10-01&to=2026-10-31&branch=火星支行", "unknown_branch", "火星支行"),
    ("from=2026-10-01", "invalid_input", "to"),
])
def test_api_bad_input(client: TestClient, keys: Keys, params: str, code: str, words: str) -> None:
    r = client.get(f"/v1/topics?{params}", headers=auth(keys.admin))
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == code and words in err["message"]


def test_cli_table_json_and_errors(keys: Keys, calls: dict[str, set[str]], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["topics", "--from", "2026-10-01", "--to", "2026-10-31", "--branch", "城东支行"]) == 0
    out = capsys.readouterr().out
    assert "客户之声 2026-10-01 至 2026-10-31（城东支行）" in out and "例句：「" in out and "关键词：" in out
    assert main(["topics", "--from", "2026-10-01", "--to", "2026-10-31", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["calls"] == len(calls["east"] | calls["west"]) and body["topics"]
    assert main(["topics", "--from", "2026-10-31", "--to", "2026-10-01"]) == 1
    assert "after" in capsys.readouterr().err
    assert main(["topics", "--from", "2026-02-30", "--to", "2026-10-01"]) == 1
    assert "--from must be a date" in capsys.readouterr().err
    assert main(["topics", "--from", "2026-10-01", "--to", "2026-10-31", "--branch", "火星支行"]) == 1
    assert "unknown branch" in capsys.readouterr().err

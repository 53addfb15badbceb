"""Deleting one customer's data (个人信息保护法 request) through the API: afterwards
no table, file or search result holds the customer's name, phone, ID number or
code; other customers' data stays; the CRM gets a signed deletion event; the audit
says who deleted what, without personal data."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight import webhooks
from callsight.commands.reports import write_reports
from callsight.config import settings
from callsight.db.models import Call
from callsight.db.retention import RetentionAudit
from callsight.db.review import ReviewAudit
from callsight.db.upsell import CrmSale
from callsight.services.retention import customer_digest
from tests.api.conftest import Keys
from tests.factories import auth
from tests.retention.helpers import (
    CODE,
    ID_NO,
    NAME,
    OTHER,
    OTHER_TURNS,
    PHONE,
    customer_calls,
    file_hits,
    table_hits,
)
from tests.tags.helpers import processed_call
from tests.tags.test_webhook import SECRET, Receiver, receiver  # noqa: F401

NEEDLES = [NAME, PHONE, ID_NO, CODE]


def _seed(db: Session, client: TestClient, keys: Keys, tmp_path: Path) -> tuple[list[str], str]:
    ids = customer_calls(db)
    other = processed_call(db, OTHER_TURNS, customer=OTHER, started_at="2026-10-13T09:30:00+08:00")
    db.add(CrmSale(reference="S-1", customer_code=CODE, product="大额存单", amount=50000.0,
                   sold_at=db.get(Call, ids[0]).created_at))  # type: ignore[union-attr]
    # A reviewer's verdict on one of the customer's findings: its comment quotes the phone.
    findings = client.get(f"/v1/calls/{ids[0]}/findings", headers=auth(keys.qa))
    assert findings.status_code == 200, findings.text
    failed = [f for f in findings.json()["findings"] if f["applicable"] and not f["passed"]]
    assert failed, findings.json()
    r = client.post(f"/v1/findings/{failed[0]['id']}/verdict", headers=auth(keys.qa),
                    json={"verdict": "confirmed", "comment": f"客户{NAME}电话{PHONE}"})
    assert r.status_code == 200, r.text
    # The stored branch report of the month and its HTML file quote the customer's calls.
    out = settings.report_out_dir or settings.data_dir / "reports"
    assert write_reports("2026-10", ["城东支行"], out, pdf=False, alerts=False) == 0
    db.flush()
    return ids, other


def _search(client: TestClient, keys: Keys, q: str) -> list[dict[str, str]]:
    r = client.get("/v1/search", params={"q": q}, headers=auth(keys.admin))
    assert r.status_code == 200, r.text
    hits: list[dict[str, str]] = r.json()["hits"]
    return hits


def test_customer_deletion_leaves_no_trace(db: Session, client: TestClient, keys: Keys, tmp_path: Path,
                                           receiver: Receiver) -> None:  # noqa: F811
    ids, other = _seed(db, client, keys, tmp_path)
    before = table_hits(db, NEEDLES)
    # The scan can fail: the customer is in transcripts, results, facts, findings, tags, ...
    for where in ("calls.meta", "calls.result", "segments.text", "segments.search_text", "review_audit.after",
                  "findings.verdict_comment", "crm_sales.customer_code", "customer_tags.customer_code"):
        assert where in before, (where, sorted(before))
    files = file_hits(settings.data_dir, NEEDLES)
    assert any("/audio/" in f for f in files) and any("/reports/" in f and f.endswith(".html") for f in files), files
    assert "reports.content" in before  # the stored report quotes the customer's sentence
    assert {h["call_id"] for h in _search(client, keys, NAME)} == set(ids)

    for who in (keys.qa, keys.manager_east, keys.agent_1023):
        r = client.delete(f"/v1/customers/{CODE}", headers=auth(who))
        assert r.status_code == 403, r.text
    assert table_hits(db, NEEDLES) == before  # nothing went on a refusal
    assert db.get(Call, ids[0]) is not None

    r = client.delete(f"/v1/customers/{CODE}", headers=auth(keys.admin), params={"reason": "客户申请删除 #42"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["counts"]["calls"] == 2 and body["files_deleted"] >= 2  # recording + report HTML

    assert table_hits(db, NEEDLES) == {}
    assert file_hits(settings.data_dir, NEEDLES) == []
    for q in (NAME, PHONE, "大额存单"):
        assert not {h["call_id"] for h in _search(client, keys, q)} & set(ids)
    assert client.get(f"/v1/calls/{ids[0]}", headers=auth(keys.admin)).status_code == 404
    assert client.get(f"/v1/customers/{CODE}/tags", headers=auth(keys.admin)).status_code == 404

    # Another customer's call is untouched and still found.
    assert db.get(Call, other) is not None
    assert {h["call_id"] for h in _search(client, keys, "定投")} == {other}

    # The CRM got a signed deletion event naming its own code; the stored row was scrubbed.
    events = [(h, json.loads(b)) for h, b in receiver.requests if json.loads(b)["type"] == "customer.deleted"]
    assert len(events) == 1
    headers, payload = events[0]
    assert payload["customer"] == CODE and payload["calls_deleted"] == 2
    raw = next(b for _, b in receiver.requests if json.loads(b)["type"] == "customer.deleted")
    assert webhooks.verify(SECRET, raw, headers[webhooks.SIGNATURE_HEADER])

    # Who deleted what and when, without the customer's data.
    entry = db.scalars(select(RetentionAudit).where(RetentionAudit.action == "customer.deleted")).one()
    assert entry.actor_name == "admin" and entry.subject == f"customer:{customer_digest(CODE)}"
    assert entry.counts["calls"] == 2 and entry.reason == "客户申请删除 #42"
    # The review trail keeps its shape (who confirmed what, when) but not the words.
    trail = db.scalars(select(ReviewAudit).where(ReviewAudit.call_id == ids[0])).all()
    assert trail and all(t.after is None for t in trail)


def test_unknown_customer_is_404_and_deletes_nothing(db: Session, client: TestClient, keys: Keys) -> None:
    customer_calls(db)
    r = client.delete("/v1/customers/NOBODY", headers=auth(keys.admin))
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert NAME in json.dumps(table_hits(db, [NAME]), ensure_ascii=False)

"""Retention through the real stack: API (uvicorn) -> Redis -> Celery worker ->
PostgreSQL. The beat task ``callsight.retention_purge``, sent over the broker, is
run by the worker process and anonymises a call past its period while a held one
stays; a customer's deletion through the API then leaves no trace of the customer
in any table of the database or any file of the API's data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from celery import Celery
from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight.db.models import Call
from callsight.db.retention import RetentionAudit
from tests.conftest import SAMPLE_CALLS
from tests.integration.conftest import Stack, wait_for
from tests.retention.helpers import ID_NO, NAME, OTHER_TURNS, PHONE, TURNS, file_hits, table_hits

pytestmark = [pytest.mark.integration, pytest.mark.asr]
CODE = "K-IT-7788"


def _ingest(stack: Stack, started_at: str, customer: str) -> str:
    """The customer's own calls carry their name, phone and ID; other customers' do not."""
    mine = customer == CODE
    extra = {"customer_name": NAME, "customer_phone": PHONE} if mine else {"customer_name": "周文涛"}
    doc = {"meta": {"branch": "城东支行", "agent": "A1023", "customer": customer, "direction": "inbound",
                    "started_at": started_at, **extra},
           "turns": [{"speaker": s, "text": t} for s, t in (TURNS if mine else OTHER_TURNS)]}
    with stack.client() as c:
        r = c.post("/v1/calls/transcript", json=doc)
    assert r.status_code == 202, r.text
    return str(r.json()["id"])


def _upload(stack: Stack, customer: str) -> str:
    path = sorted(SAMPLE_CALLS.glob("*.opus"))[0]
    with stack.client() as c, path.open("rb") as fh:
        r = c.post("/v1/calls", files={"file": (path.name, fh, "audio/ogg")},
                   data={"branch": "城东支行", "agent": "A1023", "customer": customer,
                         "started_at": "2026-11-20T10:00:00+08:00",
                         "meta": json.dumps({"customer_name": NAME, "id_number": ID_NO})})
    assert r.status_code == 202, r.text
    return str(r.json()["id"])


def _call(stack: Stack, call_id: str) -> Call | None:
    with Session(stack.engine) as s:
        return s.get(Call, call_id)


def _done(stack: Stack, ids: list[str]) -> bool:
    return all((c := _call(stack, i)) is not None and c.status == "done" for i in ids)


def test_purge_task_on_worker_then_customer_deletion(stack: Stack) -> None:
    stack.start_worker()
    old = _ingest(stack, "2020-03-02T09:30:00+08:00", "K-OLD-1")
    held = _ingest(stack, "2020-03-03T09:30:00+08:00", "K-OLD-2")
    mine = [_ingest(stack, "2026-11-02T09:30:00+08:00", CODE), _upload(stack, CODE)]
    wait_for(lambda: _done(stack, [old, held, *mine]), 240, "the calls to be processed", interval=1)
    with stack.client() as c:
        r = c.put(f"/v1/calls/{held}/legal-hold", json={"reason": "案号 2026-17"})
        assert r.status_code == 200, r.text
        preview = c.get("/v1/retention").json()["preview"]
    assert preview["dry_run"] is True and preview["counts"]["result"] == 1

    # What beat sends daily, sent now over the same broker; the worker process runs it.
    probe = Celery("probe", broker=stack.redis.url)
    probe.send_task("callsight.retention_purge", queue="callsight")
    wait_for(lambda: (c := _call(stack, old)) is not None and c.customer_code is None, 60,
             "the worker to run the purge task\n" + stack.worker_log(), interval=0.5)
    purged, kept = _call(stack, old), _call(stack, held)
    assert purged is not None and purged.result is None and purged.meta == {}
    assert kept is not None and kept.result is not None and kept.customer_code == "K-OLD-2"
    with Session(stack.engine) as s:
        entry = s.scalars(select(RetentionAudit).where(RetentionAudit.action == "purge")).one()
        assert entry.actor_id is None and entry.counts["result"] == 1

    audio = _call(stack, mine[1])
    assert audio is not None and audio.audio_path and Path(audio.audio_path).exists()
    data_dir = Path(stack.env["CALLSIGHT_DATA_DIR"])
    with Session(stack.engine) as s:
        assert {"calls.meta", "segments.text", "customer_tags.customer_code"} <= set(
            table_hits(s, [NAME, PHONE, ID_NO, CODE]))
    with stack.client() as c:
        r = c.delete(f"/v1/customers/{CODE}", params={"reason": "PIPL request 2026-118"})
        assert r.status_code == 200, r.text
        assert r.json()["counts"]["calls"] == 2 and r.json()["files_deleted"] >= 1
        hits = c.get("/v1/search", params={"q": "大额存单"}).json()["hits"]
        assert not {h["call_id"] for h in hits} & set(mine)
    assert not Path(audio.audio_path).exists()
    needles = [NAME, PHONE, ID_NO, CODE]
    with Session(stack.engine) as s:
        assert table_hits(s, needles) == {}
        # The held call of another customer is whole.
        assert "周文涛" in json.dumps(table_hits(s, ["周文涛"]), ensure_ascii=False)
    assert file_hits(data_dir, needles) == []

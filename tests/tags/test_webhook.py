"""The CRM webhook: a real local HTTP server receives the signed payload after the
commit; a 500 is retried (outbox keeps it), a 4xx is not; the sweeper resends."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight import webhooks
from callsight.config import settings
from callsight.db.models import utcnow
from callsight.db.tags import TagOutbox
from tests.factories import make_branch
from tests.tags.helpers import processed_call

SECRET = "s3cret-for-tests"
A, C = "agent", "customer"


@dataclass
class Receiver:
    url: str
    status: int = 200
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    rec = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            rec.requests.append((dict(self.headers.items()), body))
            self.send_response(rec.status)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    rec.url = f"http://127.0.0.1:{server.server_address[1]}/crm/tags"
    monkeypatch.setattr(settings, "tags_webhook_url", rec.url)
    monkeypatch.setattr(settings, "tags_webhook_secret", SECRET)
    monkeypatch.setattr(settings, "tags_webhook_timeout_s", 5.0)
    yield rec
    server.shutdown()
    server.server_close()


def outbox(db: Session) -> list[TagOutbox]:
    db.expire_all()
    return list(db.scalars(select(TagOutbox).order_by(TagOutbox.id)))


def test_signed_payload_delivered_after_commit(db: Session, receiver: Receiver) -> None:
    make_branch(db, "城东支行")
    call_id = processed_call(db, [(A, "您好"), (C, "我是C3 想买点基金")], started_at="2026-10-12T09:30:00+08:00")
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    assert webhooks.verify(SECRET, body, headers[webhooks.SIGNATURE_HEADER])
    assert not webhooks.verify("wrong-secret", body, headers[webhooks.SIGNATURE_HEADER])
    assert not webhooks.verify(SECRET, body.replace(b"C3", b"C5"), headers[webhooks.SIGNATURE_HEADER])
    payload = json.loads(body)
    assert payload["type"] == "customer.tags.changed" and payload["customer"] == "K100"
    assert payload["call_id"] == call_id and payload["id"] == headers[webhooks.DELIVERY_HEADER]
    changes = {(c["key"], c["value"]): c for c in payload["changes"]}
    assert changes[("risk_level", "C3")]["change"] == "added"
    assert changes[("risk_level", "C3")]["provenance"]["call_id"] == call_id
    assert {t["key"] for t in payload["tags"]} >= {"risk_level", "product_interest", "last_contact"}
    rows = outbox(db)
    assert [(r.status, r.attempts) for r in rows] == [("delivered", 1)]


def test_unchanged_reanalysis_sends_nothing(db: Session, receiver: Receiver) -> None:
    from callsight.db.models import Call
    from callsight.services import tags as svc

    make_branch(db, "城东支行")
    call_id = processed_call(db, [(A, "您好"), (C, "我是C3")], started_at="2026-10-12T09:30:00+08:00")
    call = db.get(Call, call_id)
    assert call is not None
    assert svc.apply_call(db, call) == []
    db.flush()
    assert len(receiver.requests) == 1 and len(outbox(db)) == 1


def test_failing_endpoint_keeps_the_row_and_the_sweeper_resends(db: Session, receiver: Receiver) -> None:
    make_branch(db, "城东支行")
    receiver.status = 500
    processed_call(db, [(A, "您好"), (C, "我是C2")], started_at="2026-10-12T09:30:00+08:00")
    assert len(receiver.requests) == 1
    [row] = outbox(db)
    assert row.status == "pending" and row.attempts == 1 and "500" in (row.last_error or "")
    assert webhooks.sweep_outbox() == 0  # not due yet: backoff
    receiver.status = 200
    assert webhooks.sweep_outbox(now=utcnow() + timedelta(minutes=5)) == 1
    [row] = outbox(db)
    assert row.status == "delivered" and row.attempts == 2 and row.last_error is None
    first, second = receiver.requests
    assert first[0][webhooks.DELIVERY_HEADER] == second[0][webhooks.DELIVERY_HEADER]  # receivers dedupe on it
    assert webhooks.sweep_outbox(now=utcnow() + timedelta(days=1)) == 0


def test_unreachable_receiver_is_kept(db: Session, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    make_branch(db, "城东支行")
    monkeypatch.setattr(settings, "tags_webhook_url", "http://127.0.0.1:9/nothing-listens-here")
    processed_call(db, [(A, "您好"), (C, "我是C2")], started_at="2026-10-12T09:30:00+08:00")
    [row] = outbox(db)
    assert row.status == "pending" and row.attempts == 1 and "cannot reach" in (row.last_error or "")


def test_celery_task_retries_5xx_but_not_4xx(db: Session, receiver: Receiver,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from workers.tag_tasks import deliver_tag_webhook

    monkeypatch.setattr(settings, "tags_webhook_max_attempts", 50)
    make_branch(db, "城东支行")
    receiver.status = 503
    processed_call(db, [(A, "您好"), (C, "我是C2")], started_at="2026-10-12T09:30:00+08:00")
    [row] = outbox(db)
    result = deliver_tag_webhook.apply(args=[row.id])  # eager: retries run at once, without the countdown
    assert result.failed()
    tries = 1 + 1 + (deliver_tag_webhook.max_retries or 0)  # the after-commit attempt, then the task's
    assert len(receiver.requests) == tries
    [row] = outbox(db)
    assert row.status == "pending" and row.attempts == tries
    receiver.status = 400
    assert deliver_tag_webhook.apply(args=[row.id]).get() == "failed"
    [row] = outbox(db)
    assert row.status == "failed" and len(receiver.requests) == tries + 1 and "400" in (row.last_error or "")


def test_max_attempts_ends_in_failed(db: Session, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "tags_webhook_max_attempts", 2)
    make_branch(db, "城东支行")
    receiver.status = 500
    processed_call(db, [(A, "您好"), (C, "我是C2")], started_at="2026-10-12T09:30:00+08:00")
    assert webhooks.sweep_outbox(now=utcnow() + timedelta(hours=2)) == 1
    [row] = outbox(db)
    assert row.status == "failed" and row.attempts == 2


def test_signature_rejects_stale_timestamps() -> None:
    body = b'{"a": 1}'
    header = webhooks.sign(SECRET, body, 1_000_000)
    assert webhooks.verify(SECRET, body, header, now=1_000_100)
    assert not webhooks.verify(SECRET, body, header, now=1_000_000 + 3600)
    assert not webhooks.verify(SECRET, body, "garbage")

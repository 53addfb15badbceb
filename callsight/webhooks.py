"""The CRM webhook for client-tag changes: signing, delivering outbox rows, and
handing them to whoever delivers (Celery with a broker, this process without one,
the same way callsight/dispatch.py hands over calls).

A change and its outbox row are committed together (callsight/services/tags.py);
delivery starts only after that commit. A delivery that fails on the network or
with a 5xx stays ``pending`` with a later ``next_attempt_at`` and is retried (the
Celery task with backoff; ``sweep_outbox`` for anything left behind, e.g. a lost
broker message or the embedded mode); a 4xx is the receiver refusing the payload
and is not retried. Delivery is at least once: receivers dedupe on the
``X-Callsight-Delivery`` id.

Signature: ``X-Callsight-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
"<t>.<raw body>" under the shared secret>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from callsight.config import settings
from callsight.db.models import utcnow
from callsight.db.session import session_scope
from callsight.db.tags import OutboxStatus, TagOutbox

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Callsight-Signature"
DELIVERY_HEADER = "X-Callsight-Delivery"
EVENT_HEADER = "X-Callsight-Event"
# The normal path delivers right after the commit; the sweeper waits this long before
# treating a pending row as lost, so it does not race the first attempt.
SWEEP_GRACE_S = 60
_PENDING = "tag_outbox_pending"
_HOOKED = "tag_outbox_hooked"


class TransientDeliveryError(Exception):
    """Connection refused/reset, timeout or a 5xx: worth retrying."""


class RefusedDeliveryError(Exception):
    """The receiver answered 4xx (or a redirect): retrying would not help."""


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, body: bytes, header: str, *, now: float | None = None, tolerance_s: int = 300) -> bool:
    """What a receiver does: recompute the MAC and reject stale timestamps (replays)."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        ts = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - ts) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, body, ts), f"t={ts},v1={parts.get('v1', '')}")


def backoff_s(attempts: int) -> float:
    return float(min(3600, 5 * 2 ** max(0, attempts - 1)))


def post(url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> int:
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        if exc.code >= 500:
            raise TransientDeliveryError(f"HTTP {exc.code} from the receiver") from exc
        raise RefusedDeliveryError(f"HTTP {exc.code} from the receiver") from exc
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
        raise TransientDeliveryError(f"cannot reach the receiver: {exc}") from exc


class OutboxEvent(BaseModel):
    """The fields of an outbox payload that delivery reads (the rest goes out as stored)."""

    type: str = "customer.tags.changed"
    calls_deleted: int = 0


def _event(row: TagOutbox) -> OutboxEvent:
    return OutboxEvent.model_validate(row.payload)


def _record(outbox_id: int, *, error: str | None, final: bool) -> None:
    with session_scope() as session:
        row = session.get(TagOutbox, outbox_id)
        if row is None:
            return
        row.attempts += 1
        if error is None:
            row.status, row.delivered_at, row.last_error = OutboxStatus.delivered.value, utcnow(), None
            if _event(row).type == "customer.deleted":
                _scrub_deletion(row)
        else:
            row.last_error = error[:2000]
            if final or row.attempts >= settings.tags_webhook_max_attempts:
                row.status = OutboxStatus.failed.value
            else:
                row.next_attempt_at = utcnow() + timedelta(seconds=backoff_s(row.attempts))
        session.commit()


def _scrub_deletion(row: TagOutbox) -> None:
    """A delivered deletion event keeps no customer code: the CRM has it now, and the
    deletion must leave no trace of the customer here (callsight/services/retention.py)."""
    from callsight.services.retention import customer_digest

    digest = customer_digest(row.customer_code)
    row.customer_code = digest[:50]
    row.payload = {"type": "customer.deleted", "customer_digest": digest,
                   "calls_deleted": _event(row).calls_deleted}


def deliver(outbox_id: int) -> str:
    """POST one outbox row; returns delivered / failed / skipped, raises
    TransientDeliveryError (after recording the attempt) when worth retrying."""
    with session_scope() as session:
        row = session.get(TagOutbox, outbox_id)
        if row is None or row.status != OutboxStatus.pending.value:
            return "skipped"
        body = json.dumps({"id": str(row.id), **row.payload}, ensure_ascii=False, sort_keys=True).encode()
        event_type = _event(row).type
    url, secret = settings.tags_webhook_url, settings.tags_webhook_secret
    if not url or not secret:
        return "skipped"  # not configured (any more): the row waits for a configured sweep
    headers = {"Content-Type": "application/json; charset=utf-8",
               SIGNATURE_HEADER: sign(secret, body, int(time.time())),
               DELIVERY_HEADER: str(outbox_id), EVENT_HEADER: event_type}
    try:
        post(url, body, headers, settings.tags_webhook_timeout_s)
    except TransientDeliveryError as exc:
        _record(outbox_id, error=str(exc), final=False)
        raise
    except RefusedDeliveryError as exc:
        _record(outbox_id, error=str(exc), final=True)
        return OutboxStatus.failed.value
    _record(outbox_id, error=None, final=False)
    return OutboxStatus.delivered.value


# --------------------------------------------------------------------------- dispatch

_local: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _local
    if _local is None:
        _local = ThreadPoolExecutor(max_workers=1, thread_name_prefix="callsight-webhook")
    return _local


def _deliver_logged(outbox_id: int) -> str:
    try:
        return deliver(outbox_id)
    except TransientDeliveryError as exc:
        log.warning("tag webhook %s not delivered (%s); it stays in the outbox", outbox_id, exc)
        return OutboxStatus.pending.value
    except Exception:
        log.exception("tag webhook %s failed unexpectedly; it stays in the outbox", outbox_id)
        return OutboxStatus.pending.value


def enqueue(outbox_ids: Sequence[int]) -> None:
    """Hand outbox rows to the deliverer. Call only after their commit."""
    if settings.embedded:
        for oid in outbox_ids:
            if settings.embedded_runner == "inline":
                _deliver_logged(oid)
            else:
                _executor().submit(_deliver_logged, oid)
        return
    from kombu.exceptions import OperationalError

    from callsight.queue import DELIVER_TAG_WEBHOOK, celery_app

    for oid in outbox_ids:
        try:
            celery_app.send_task(DELIVER_TAG_WEBHOOK, args=[oid], retry=True, retry_policy={"max_retries": 3})
        except OperationalError:
            log.warning("broker unreachable; tag webhook %s waits in the outbox for the sweeper", oid)


def deliver_after_commit(session: Session, outbox_ids: Sequence[int]) -> None:
    """Deliver these rows once ``session`` commits (never if it rolls back)."""
    session.info.setdefault(_PENDING, []).extend(outbox_ids)
    if session.info.get(_HOOKED):
        return
    session.info[_HOOKED] = True

    @event.listens_for(session, "after_commit")
    def _committed(sess: Session) -> None:
        ids = sess.info.pop(_PENDING, [])
        if ids:
            enqueue(ids)

    @event.listens_for(session, "after_rollback")
    def _rolled_back(sess: Session) -> None:
        sess.info.pop(_PENDING, None)


def sweep_outbox(now: datetime | None = None) -> int:
    """Re-deliver pending rows whose next attempt is due (lost message, earlier failure)."""
    at = now or utcnow()
    with session_scope() as session:
        ids = list(session.scalars(select(TagOutbox.id).where(
            TagOutbox.status == OutboxStatus.pending.value, TagOutbox.next_attempt_at <= at).order_by(TagOutbox.id)))
    enqueue(ids)
    return len(ids)

"""Celery tasks for the client-tag CRM webhook: thin wrappers around callsight.webhooks."""

from __future__ import annotations

from callsight.queue import DELIVER_TAG_WEBHOOK
from callsight.webhooks import TransientDeliveryError, deliver, sweep_outbox
from workers.celery_app import celery_app


# Only the network and 5xx answers are retried; a 4xx is recorded as failed by deliver().
@celery_app.task(name=DELIVER_TAG_WEBHOOK, acks_late=True, autoretry_for=(TransientDeliveryError,),
                 retry_backoff=5, retry_backoff_max=600, max_retries=8)
def deliver_tag_webhook(outbox_id: int) -> str:
    return deliver(outbox_id)


@celery_app.task(name="callsight.sweep_tag_outbox", acks_late=True)
def sweep_tag_outbox() -> int:
    return sweep_outbox()


celery_app.conf.beat_schedule.setdefault(
    "sweep-tag-outbox", {"task": "callsight.sweep_tag_outbox", "schedule": 60.0})

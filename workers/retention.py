"""Retention task: the daily purge that beat starts; a thin wrapper around the same
service ``callsight purge`` uses (callsight/commands/purge.py)."""

from __future__ import annotations

from celery.schedules import crontab

from callsight.commands.purge import run_purge
from core.jsonio import JsonObject
from workers.celery_app import celery_app


@celery_app.task(name="callsight.retention_purge", acks_late=True)
def retention_purge(dry_run: bool = False) -> JsonObject:  # the task's JSON result
    return run_purge(dry_run=dry_run).as_json()


# 03:30 Beijing time, when the call centre is quiet.
celery_app.conf.beat_schedule.setdefault(
    "retention-purge", {"task": "callsight.retention_purge", "schedule": crontab(minute=30, hour=19)})

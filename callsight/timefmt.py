"""Times as people in the deployment see them: stored instants (UTC) shown in the
deployment's time zone (``settings.report_timezone``, Asia/Shanghai by default), which is
also the zone that decides which calendar day and report period a call belongs to."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from callsight.config import settings

ZONE_LABELS = {"Asia/Shanghai": "北京时间", "Asia/Hong_Kong": "香港时间", "UTC": "UTC"}


def zone() -> ZoneInfo:
    return ZoneInfo(settings.report_timezone)


def zone_label() -> str:
    return ZONE_LABELS.get(settings.report_timezone, settings.report_timezone)


def to_local(value: datetime) -> datetime:
    """Aware, in the deployment zone; a naive value is UTC (how it was stored)."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return aware.astimezone(zone())


def local_now() -> datetime:
    return datetime.now(zone())


def as_local_if_naive(value: datetime | None) -> datetime | None:
    """Start times given without an offset are wall-clock times where the calls happen."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=zone())


def fmt_local(value: datetime | str | None) -> str:
    """``2026-10-12 09:30（北京时间）`` for reports and the console."""
    if value is None:
        return "–"
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        parsed = value
    return f"{to_local(parsed):%Y-%m-%d %H:%M}（{zone_label()}）"

"""Spoken dates (nlp/entities.py date values) resolved to calendar dates relative to
the call's day. One implementation for every consumer: client tags (maturity dates)
and next-best actions (follow-up due dates) must agree on what 下周三 means."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

__all__ = ["parse_datetime", "resolve_date"]


def _add_months(d: date, months: int, day: int | None, *, clamp: bool = False) -> tuple[date, str] | None:
    """The month ``months`` after ``d``'s, on ``day`` (None: the 1st, precision "month").
    A day the month lacks (2月30号, usually a misheard number) gives None unless
    ``clamp`` (月底 means the last day, whatever it is)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return date(year, month, 1), "month"
    if day > last and not clamp:
        return None
    return date(year, month, min(day, last)), "day"


# A named date up to this long ago is a recent past date (我的存单5号到期了), not next year's.
RECENT_PAST = timedelta(days=31)

_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def resolve_date(value: Mapping[str, Any], today: date) -> tuple[date, str] | None:
    """A date entity's value (docs/result-schema.md) as a calendar date, relative to
    the call's day; the precision is "day" or "month" (下个月到期: the 1st is used, so a
    follow-up is never late)."""
    day = value.get("day")
    day = int(day) if isinstance(day, int | float) else None
    if "month_offset" in value:
        return _add_months(today, int(value["month_offset"]), day)
    if "month" in value:
        month = int(value["month"])
        if not 1 <= month <= 12:
            return None
        months_ahead = month - today.month
        got = _add_months(today, months_ahead, day)
        if got is not None and got[0] < today - RECENT_PAST:
            got = _add_months(today, months_ahead + 12, day)  # long past this year: next year's
        return got
    rel = str(value.get("relative", ""))
    simple = {"今天": 0, "明天": 1, "后天": 2, "大后天": 3}
    if rel in simple:
        return today + timedelta(days=simple[rel]), "day"
    if rel.startswith(("下周", "这周")):
        base = today + timedelta(days=7 if rel.startswith("下周") else 0)
        wd = _WEEKDAY.get(rel[2:3])
        if wd is None:
            return base - timedelta(days=base.weekday()), "week"
        return base + timedelta(days=wd - base.weekday()), "day"
    if rel in ("月底", "月初"):
        end = _add_months(today, 0 if rel == "月底" else 1, 31 if rel == "月底" else 1, clamp=True)
        return None if end is None else (end[0], "day")
    if rel in ("年底", "年初"):
        return (date(today.year, 12, 31) if rel == "年底" else date(today.year + 1, 1, 1)), "day"
    if rel in ("明年", "下半年"):
        return (date(today.year + 1, 1, 1) if rel == "明年" else date(today.year, 7, 1)), "month"
    return None


def parse_datetime(value: Any) -> datetime | None:
    """A call's ``started_at`` as metadata carries it (a datetime, or an ISO string from
    JSON); None for anything unreadable: a bad timestamp must not stop the analysis."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None

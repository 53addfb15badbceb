"""Report periods: ``2026-10`` (month), ``2026-W43`` (ISO week),
``2026-10-01..2026-10-15`` (custom, both days included) and ``latest``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from callsight.errors import InvalidInput

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE)
_CUSTOM = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
PERIOD_HELP = "PERIOD is 2026-10 (month), 2026-W43 (ISO week), 2026-10-01..2026-10-15 (days) or latest"


@dataclass(frozen=True, slots=True)
class Period:
    key: str  # canonical text, e.g. "2026-10", "2026-W43"
    kind: str  # month | week | custom
    start: date
    end: date  # exclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def label(self) -> str:
        last = self.end - timedelta(days=1)
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "week":
            year, week = self.key.split("-W")
            return f"{year}年第{int(week)}周（{self.start:%m.%d}–{last:%m.%d}）"
        return f"{self.start:%Y.%m.%d}–{last:%Y.%m.%d}"

    def previous(self, n: int = 1) -> Period:
        """The period ``n`` steps before this one (same kind and length)."""
        if self.kind == "month":
            months = self.start.year * 12 + self.start.month - 1 - n
            return month_period(months // 12, months % 12 + 1)
        if self.kind == "week":
            start = self.start - timedelta(weeks=n)
            year, week, _ = start.isocalendar()
            return week_period(year, week)
        length = timedelta(days=self.days)
        return custom_period(self.start - length * n, self.end - length * n - timedelta(days=1))


def month_period(year: int, month: int) -> Period:
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise InvalidInput(f"no such month: {year}-{month:02d}", code="bad_period")
    start = date(year, month, 1)
    end = date(year + month // 12, month % 12 + 1, 1)
    return Period(f"{year}-{month:02d}", "month", start, end)


def week_period(year: int, week: int) -> Period:
    try:
        start = date.fromisocalendar(year, week, 1)
    except ValueError as exc:
        raise InvalidInput(f"no such ISO week: {year}-W{week:02d}", code="bad_period") from exc
    return Period(f"{year}-W{week:02d}", "week", start, start + timedelta(days=7))


def custom_period(first: date, last: date) -> Period:
    if last < first:
        raise InvalidInput(f"period ends ({last}) before it starts ({first})", code="bad_period")
    if (last - first).days > 366:
        raise InvalidInput("a custom period may span at most 366 days", code="bad_period")
    return Period(f"{first.isoformat()}..{last.isoformat()}", "custom", first, last + timedelta(days=1))


def parse_period(text: str, latest_day: date | None = None, today: date | None = None) -> Period:
    """Parse a period string. ``latest`` needs ``latest_day``, the last day with calls:
    it means the most recent complete month (before ``today``'s month) holding calls."""
    value = (text or "").strip()
    if value.lower() == "latest":
        if latest_day is None:
            raise InvalidInput("no analysed calls yet: 'latest' has no month to report on", code="bad_period")
        today = today or date.today()
        last_complete = month_period(today.year, today.month).previous()
        day = min(latest_day, last_complete.end - timedelta(days=1))
        return month_period(day.year, day.month)
    if m := _MONTH.match(value):
        return month_period(int(m.group(1)), int(m.group(2)))
    if m := _WEEK.match(value):
        return week_period(int(m.group(1)), int(m.group(2)))
    if m := _CUSTOM.match(value):
        try:
            first, last = date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
        except ValueError as exc:
            raise InvalidInput(f"bad date in period '{value}': {exc}", code="bad_period") from exc
        return custom_period(first, last)
    raise InvalidInput(f"bad period '{text}': {PERIOD_HELP}", code="bad_period")


def previous_complete(kind: str, today: date) -> Period:
    """The last complete month or week before ``today`` (what beat generates at period start)."""
    if kind == "week":
        year, week, _ = (today - timedelta(days=today.isoweekday())).isocalendar()
        return week_period(year, week)
    return month_period(today.year, today.month).previous()

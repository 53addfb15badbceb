from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from nlp.dates import resolve_date

TODAY = date(2026, 6, 20)


@pytest.mark.parametrize(("value", "expected"), [
    ({"month": 6, "day": 5}, (date(2026, 6, 5), "day")),        # 我的存单6月5号到期了: recent past
    ({"month": 3, "day": 1}, (date(2027, 3, 1), "day")),        # long past this year: next year's
    ({"month": 2, "day": 30}, None),                             # no such day: a misheard number
    ({"month_offset": 1}, (date(2026, 7, 1), "month")),          # 下个月到期: precision month
    ({"month_offset": 8, "day": 31}, None),                      # 二月三十一号
    ({"relative": "月底"}, (date(2026, 6, 30), "day")),
    ({"relative": "下周三"}, (date(2026, 6, 24), "day")),
    ({"relative": "随便"}, None),
])
def test_resolve_date(value: dict[str, Any], expected: tuple[date, str] | None) -> None:
    assert resolve_date(value, TODAY) == expected


def test_month_end_in_february_clamps() -> None:
    assert resolve_date({"relative": "月底"}, date(2026, 2, 10)) == (date(2026, 2, 28), "day")


def test_parse_datetime_reads_metadata_and_refuses_junk() -> None:
    from datetime import datetime, timedelta, timezone

    from nlp.dates import parse_datetime

    when = parse_datetime("2026-10-12T09:30:00+08:00")
    assert when == datetime(2026, 10, 12, 9, 30, tzinfo=timezone(timedelta(hours=8)))
    assert parse_datetime(when) is when
    assert parse_datetime("昨天上午") is None
    assert parse_datetime("") is None
    assert parse_datetime(20261012) is None

"""Shared parameter types: every id, offset and date a route takes is bounded here,
so a value the database cannot hold (an id past 32 bits, an offset past 64) or a
date that is not one (``to=0.5``, which pydantic reads as a Unix timestamp) is a 422
at the edge, documented in the schema, instead of a database error."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BeforeValidator, Strict

# Ids are PostgreSQL `integer` columns; offsets and counts stay within them too.
MAX_ID = 2**31 - 1

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def _iso_only(value: Any) -> Any:
    """Accept ISO 8601 text only (or a date/datetime from Python callers): a bare
    number, in a query string or a JSON body, is not a date to a person."""
    if isinstance(value, int | float) or (isinstance(value, str) and not _ISO.match(value.strip())):
        raise ValueError("expected an ISO 8601 date or date-time, e.g. 2026-10-01 or 2026-10-01T09:30:00+08:00")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_only)]
IsoDate = Annotated[date, BeforeValidator(_iso_only)]

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
# JSON bodies: pydantic's lax mode would read `false` as 0 and `0` as false.
StrictCount = Annotated[int, Strict()]
StrictFlag = Annotated[bool, Strict()]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="rows to skip")]

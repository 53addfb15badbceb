"""Timezone-aware timestamps on every database.

PostgreSQL keeps ``timestamptz``; SQLite has no zone type and SQLAlchemy's SQLite
DATETIME drops ``tzinfo`` without converting, so an aware ``09:30+08:00`` used to be
stored as ``09:30`` and read back naive, then shown 8 hours off. ``UtcDateTime``
converts every bound value to UTC first (naive values are UTC by this codebase's
convention) and hands back aware UTC datetimes on both databases.

Every ``DateTime(timezone=True)`` column becomes a ``UtcDateTime`` when it is attached
to a table (``after_parent_attach`` below), so model modules owned by other branches keep
declaring plain ``DateTime(timezone=True)`` and still get the conversion.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Table, event
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def to_utc(value: datetime | None) -> datetime | None:
    """Aware UTC; a naive value is taken as UTC (how naive timestamps were stored)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, datetime):
            return to_utc(value)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if isinstance(value, datetime):
            return to_utc(value)
        return value


@event.listens_for(Column, "after_parent_attach")
def _aware_columns(column: Column[Any], parent: Any) -> None:
    kind = column.type
    if isinstance(parent, Table) and isinstance(kind, DateTime) and kind.timezone and not isinstance(kind, UtcDateTime):
        column.type = UtcDateTime()

"""timezone-aware timestamps, reports (issue 14)

PostgreSQL columns were ``timestamptz`` from the start and hold correct instants.
SQLite has no zone type: SQLAlchemy stored an aware ``started_at`` such as
``09:30+08:00`` as the wall time ``09:30`` (dropping the offset without converting),
while every other timestamp (``utcnow()``) was stored as UTC. From this revision on
``callsight.db.types.UtcDateTime`` converts to UTC before storing, so this revision
repairs the old SQLite ``calls.started_at`` values from the ISO string the call's
metadata kept (with its offset), and the calendar day of the call's facts row with
them. Naive values without an offset in the metadata were UTC and stay as they are.

Revision ID: 0012_timezones
Revises: 0011_console
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0012_timezones"
down_revision = "0011_console"
branch_labels = None
depends_on = None

SQLITE_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def _offset_start(meta: Any) -> datetime | None:
    if isinstance(meta, str):
        try:
            meta = json.loads(meta)
        except json.JSONDecodeError:
            return None
    raw = meta.get("started_at") if isinstance(meta, dict) else None
    if not isinstance(raw, str):
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo is not None else None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # timestamptz: the stored instants were right
    from callsight.config import settings  # the day a call belongs to is in the report zone

    tz = ZoneInfo(settings.report_timezone)
    rows = bind.execute(sa.text("SELECT id, meta FROM calls WHERE started_at IS NOT NULL")).all()
    for call_id, meta in rows:
        start = _offset_start(meta)
        if start is None:
            continue
        bind.execute(sa.text("UPDATE calls SET started_at = :s WHERE id = :i"),
                     {"s": start.replace(tzinfo=None).strftime(SQLITE_FORMAT), "i": call_id})
        bind.execute(sa.text("UPDATE call_facts SET day = :d WHERE call_id = :i"),
                     {"d": start.astimezone(tz).date().isoformat(), "i": call_id})


def downgrade() -> None:
    pass  # the repaired values are the true instants; older code reads them as UTC too

"""timezone-aware timestamps, reports (issue 14)

PostgreSQL columns were ``timestamptz`` from the start and hold correct instants.
SQLite has no zone type: SQLAlchemy stored an aware ``started_at`` such as
``09:30+08:00`` as the wall time ``09:30`` (dropping the offset without converting),
while every other timestamp (``utcnow()``) was stored as UTC. From this revision on
``callsight.db.types.UtcDateTime`` converts to UTC before storing, so this revision
repairs the old SQLite ``calls.started_at`` values from the ISO string the call's
metadata kept (with its offset), and the calendar day of the call's facts row with
them. Naive values without an offset in the metadata were UTC and stay as they are.
It also adds ``action_marks``: next-best actions an agent marked done.

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
    # Next-best actions an agent marked done (callsight/db/actions.py).
    op.create_table(
        "action_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("action_key", sa.String(length=80), nullable=False),
        sa.Column("agent_code", sa.String(length=50), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_action_marks_call_id_calls"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_action_marks_user_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_marks")),
        sa.UniqueConstraint("call_id", "action_key", name=op.f("uq_action_marks_call_id")),
    )
    op.create_index(op.f("ix_action_marks_call_id"), "action_marks", ["call_id"], unique=False)
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
    op.drop_index(op.f("ix_action_marks_call_id"), table_name="action_marks")
    op.drop_table("action_marks")
    # The repaired start times are the true instants; older code reads them as UTC too.

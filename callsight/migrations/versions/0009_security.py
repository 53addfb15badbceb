"""auth hardening: console sessions, passwords, masked search index (issue 15)

Revision ID: 0009_security
Revises: 0008_reliability
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_security"
down_revision = "0008_reliability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_hash", sa.String(length=255), nullable=True))
    with op.batch_alter_table("segments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text_pii", sa.Text(), nullable=True))
    op.create_table(
        "console_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_console_sessions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_console_sessions_token_hash")),
    )
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_console_sessions_user_id"), ["user_id"], unique=False)
    _mask_search_index()


def _mask_search_index() -> None:
    """Rebuild search_text from the masked text of the segments whose masking changes
    something (the unmasked tokens move to search_text_pii): before this revision the
    index was built from unmasked text, and search leaked hidden digits (issue 15)."""
    from callsight import search  # app code on purpose: the index must split as the app does

    conn = op.get_bind()
    seg = sa.table("segments", sa.column("id", sa.Integer), sa.column("call_id", sa.String),
                   sa.column("idx", sa.Integer), sa.column("speaker", sa.String), sa.column("text", sa.Text),
                   sa.column("search_text", sa.Text), sa.column("search_text_pii", sa.Text))
    call_ids = [r[0] for r in conn.execute(sa.select(seg.c.call_id).distinct())]
    for call_id in call_ids:
        rows = conn.execute(sa.select(seg.c.id, seg.c.speaker, seg.c.text, seg.c.search_text)
                            .where(seg.c.call_id == call_id).order_by(seg.c.idx)).all()
        indexed = search.index_segments([(r.speaker, r.text) for r in rows])
        for r, (masked, unmasked) in zip(rows, indexed, strict=True):
            if unmasked is not None:
                conn.execute(sa.update(seg).where(seg.c.id == r.id)
                             .values(search_text=masked, search_text_pii=unmasked))


def downgrade() -> None:
    op.execute("UPDATE segments SET search_text = search_text_pii WHERE search_text_pii IS NOT NULL")
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_console_sessions_user_id"))
    op.drop_table("console_sessions")
    with op.batch_alter_table("segments", schema=None) as batch_op:
        batch_op.drop_column("search_text_pii")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("password_hash")

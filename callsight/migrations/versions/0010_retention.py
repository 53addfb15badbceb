"""retention and deletion: legal hold, deletion audit (issue 15)

Revision ID: 0010_retention
Revises: 0009_security
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_retention"
down_revision = "0009_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "legal_holds",
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_legal_holds_call_id_calls"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["set_by_id"], ["users.id"], name=op.f("fk_legal_holds_set_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_legal_holds")),
    )
    op.create_table(
        "retention_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_audit")),
    )
    op.create_index("ix_retention_audit_at", "retention_audit", ["at"])
    op.create_index("ix_retention_audit_action", "retention_audit", ["action"])
    op.create_index("ix_retention_audit_subject", "retention_audit", ["subject"])


def downgrade() -> None:
    op.drop_table("retention_audit")
    op.drop_table("legal_holds")

"""worker reliability: call claims, leases, failure reasons (issue 15)

A running attempt holds a claim on its call (token, owner, lease renewed by a
heartbeat); ``tries`` bounds the attempts since a person last queued the call.

Revision ID: 0008_reliability
Revises: 0007_merge
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_reliability"
down_revision = "0007_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("claim_token", sa.String(32), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("tries", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("tries")
        batch.drop_column("lease_until")
        batch.drop_column("claimed_by")
        batch.drop_column("claim_token")

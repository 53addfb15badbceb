"""worker reliability: call claims, leases, failure reasons (issue 15)

Reserved in the chain so that capability branches developed side by side stay one
line of history; a no-op until the branch that owns it fills it in.

Revision ID: 0008_reliability
Revises: 0007_merge
"""

from __future__ import annotations

revision = "0008_reliability"
down_revision = "0007_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

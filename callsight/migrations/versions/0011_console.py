"""QA workspace and agent console: saved views, next-action state (issue 14)

Reserved in the chain so that capability branches developed side by side stay one
line of history; a no-op until the branch that owns it fills it in.

Revision ID: 0011_console
Revises: 0010_retention
"""

from __future__ import annotations

revision = "0011_console"
down_revision = "0010_retention"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""retention and deletion: legal hold, deletion audit (issue 15)

Reserved in the chain so that capability branches developed side by side stay one
line of history; a no-op until the branch that owns it fills it in.

Revision ID: 0010_retention
Revises: 0009_security
"""

from __future__ import annotations

revision = "0010_retention"
down_revision = "0009_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

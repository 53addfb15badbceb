"""analysis redesign storage (issue 12)

Reserved in the chain so that capability branches developed side by side stay one
line of history; a no-op until the branch that owns it fills it in.

Revision ID: 0013_understanding
Revises: 0012_timezones
"""

from __future__ import annotations

revision = "0013_understanding"
down_revision = "0012_timezones"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""timezone-aware timestamps, reports (issue 14)

Reserved in the chain so that capability branches developed side by side stay one
line of history; a no-op until the branch that owns it fills it in.

Revision ID: 0012_timezones
Revises: 0011_console
"""

from __future__ import annotations

revision = "0012_timezones"
down_revision = "0011_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""auth hardening: console sessions, passwords, lockout (issue 15)

Reserved in the chain so that capability branches developed side by side stay one
line of history; a no-op until the branch that owns it fills it in.

Revision ID: 0009_security
Revises: 0008_reliability
"""

from __future__ import annotations

revision = "0009_security"
down_revision = "0008_reliability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""merge the capability branches (review, rules, tags, reports, upsell)

They were developed side by side, each on top of 0001, and touch different tables;
this revision makes the history one line again so ``alembic upgrade head`` and
autogenerate work.

Revision ID: 0007_merge
Revises: 0002_review, 0003_rules, 0004_tags, 0005_reports, 0006_upsell
"""

from __future__ import annotations

revision = "0007_merge"
down_revision = ("0002_review", "0003_rules", "0004_tags", "0005_reports", "0006_upsell")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

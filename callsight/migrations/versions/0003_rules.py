"""rule versions (draft / published / retired) and their audit trail

Revision ID: 0003_rules
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = "0003_rules"
down_revision = "0001"
branch_labels = None
depends_on = None

_PUBLISHED = sa.text("status = 'published'")


def upgrade() -> None:
    op.create_table(
        "rule_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("published_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_rule_versions_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["published_by"], ["users.id"], name=op.f("fk_rule_versions_published_by_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_versions")),
        sa.UniqueConstraint("rule_id", "version", name=op.f("uq_rule_versions_rule_id")),
    )
    op.create_index("ix_rule_versions_status", "rule_versions", ["status"])
    op.create_index("uq_rule_versions_one_published", "rule_versions", ["rule_id"], unique=True,
                    postgresql_where=_PUBLISHED, sqlite_where=_PUBLISHED)
    op.create_table(
        "rule_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_version_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["rule_version_id"], ["rule_versions.id"],
                                name=op.f("fk_rule_events_rule_version_id_rule_versions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_rule_events_user_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_events")),
    )
    op.create_index(op.f("ix_rule_events_rule_version_id"), "rule_events", ["rule_version_id"])
    op.create_index(op.f("ix_rule_events_rule_id"), "rule_events", ["rule_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_rule_events_rule_id"), table_name="rule_events")
    op.drop_index(op.f("ix_rule_events_rule_version_id"), table_name="rule_events")
    op.drop_table("rule_events")
    op.drop_index("uq_rule_versions_one_published", table_name="rule_versions")
    op.drop_index("ix_rule_versions_status", table_name="rule_versions")
    op.drop_table("rule_versions")

"""client tags: observations, current tags, change log, webhook outbox

Revision ID: 0004_tags
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_tags"
down_revision = "0001"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "tag_observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_code", sa.String(length=50), nullable=False),
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=True),
        sa.Column("words", sa.Text(), nullable=False),
        _ts("observed_at"),
        _ts("expires_at", nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        _ts("created_at"),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_tag_observations_call_id_calls"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag_observations")),
    )
    with op.batch_alter_table("tag_observations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tag_observations_call_id"), ["call_id"], unique=False)
        batch_op.create_index("ix_tag_observations_customer_key", ["customer_code", "key"], unique=False)

    op.create_table(
        "customer_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_code", sa.String(length=50), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        _ts("first_seen"),
        _ts("last_seen"),
        _ts("expires_at", nullable=True),
        sa.Column("observations", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=True),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_tags")),
        sa.UniqueConstraint("customer_code", "key", "value", name=op.f("uq_customer_tags_customer_code")),
    )
    with op.batch_alter_table("customer_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_tags_customer_code"), ["customer_code"], unique=False)
        batch_op.create_index("ix_customer_tags_key_value_date", ["key", "value_date"], unique=False)

    op.create_table(
        "tag_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_code", sa.String(length=50), nullable=False),
        _ts("at"),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("change", sa.String(length=12), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.Column("previous_value", sa.String(length=100), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("trigger_call_id", sa.String(length=32), nullable=True),
        sa.Column("call_id", sa.String(length=32), nullable=True),
        sa.Column("segment", sa.Integer(), nullable=True),
        sa.Column("words", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag_events")),
    )
    with op.batch_alter_table("tag_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tag_events_customer_code"), ["customer_code"], unique=False)

    op.create_table(
        "tag_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_code", sa.String(length=50), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("next_attempt_at"),
        sa.Column("last_error", sa.Text(), nullable=True),
        _ts("created_at"),
        _ts("delivered_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag_outbox")),
    )
    with op.batch_alter_table("tag_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_tag_outbox_status_next", ["status", "next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tag_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_tag_outbox_status_next")
    op.drop_table("tag_outbox")
    with op.batch_alter_table("tag_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tag_events_customer_code"))
    op.drop_table("tag_events")
    with op.batch_alter_table("customer_tags", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_tags_key_value_date")
        batch_op.drop_index(batch_op.f("ix_customer_tags_customer_code"))
    op.drop_table("customer_tags")
    with op.batch_alter_table("tag_observations", schema=None) as batch_op:
        batch_op.drop_index("ix_tag_observations_customer_key")
        batch_op.drop_index(batch_op.f("ix_tag_observations_call_id"))
    op.drop_table("tag_observations")

"""upsell: openings, suggested scripts (A/B arms, use, outcome), CRM sales

Revision ID: 0006_upsell
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_upsell"
down_revision = "0001"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "upsell_openings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("idx", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("agent_code", sa.String(length=50), nullable=True),
        sa.Column("customer_code", sa.String(length=50), nullable=True),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("taken", sa.Boolean(), nullable=False),
        sa.Column("cue", sa.Text(), nullable=False),
        sa.Column("agent_segment", sa.Integer(), nullable=True),
        _ts("started_at"),
        _ts("created_at"),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_upsell_openings_call_id_calls"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"], name=op.f("fk_upsell_openings_branch_id_branches")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upsell_openings")),
        sa.UniqueConstraint("call_id", "idx", name=op.f("uq_upsell_openings_call_id")),
    )
    op.create_index("ix_upsell_openings_call_id", "upsell_openings", ["call_id"])
    op.create_index("ix_upsell_openings_branch_started", "upsell_openings", ["branch_id", "started_at"])
    op.create_index("ix_upsell_openings_agent_started", "upsell_openings", ["agent_code", "started_at"])
    op.create_index("ix_upsell_openings_customer_started", "upsell_openings", ["customer_code", "started_at"])

    op.create_table(
        "upsell_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opening_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("script", sa.String(length=100), nullable=False),
        sa.Column("variant", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("product", sa.String(length=60), nullable=True),
        sa.Column("library", sa.String(length=100), nullable=False),
        sa.Column("used_by_agent", sa.Boolean(), nullable=False),
        sa.Column("use_score", sa.Float(), nullable=False),
        sa.Column("used_segment", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("outcome_call_id", sa.String(length=32), nullable=True),
        sa.Column("outcome_reference", sa.String(length=100), nullable=True),
        _ts("outcome_at", nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(["opening_id"], ["upsell_openings.id"],
                                name=op.f("fk_upsell_suggestions_opening_id_upsell_openings"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_upsell_suggestions_call_id_calls"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upsell_suggestions")),
        sa.UniqueConstraint("opening_id", "rank", name=op.f("uq_upsell_suggestions_opening_id")),
    )
    op.create_index("ix_upsell_suggestions_opening_id", "upsell_suggestions", ["opening_id"])
    op.create_index("ix_upsell_suggestions_call_id", "upsell_suggestions", ["call_id"])
    op.create_index("ix_upsell_suggestions_script_variant", "upsell_suggestions", ["script", "variant"])

    op.create_table(
        "crm_sales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("customer_code", sa.String(length=50), nullable=False),
        sa.Column("product", sa.String(length=100), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        _ts("sold_at"),
        sa.Column("posted_by", sa.Integer(), nullable=True),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crm_sales")),
        sa.UniqueConstraint("reference", name=op.f("uq_crm_sales_reference")),
    )
    op.create_index("ix_crm_sales_customer_code", "crm_sales", ["customer_code"])


def downgrade() -> None:
    op.drop_index("ix_crm_sales_customer_code", table_name="crm_sales")
    op.drop_table("crm_sales")
    for name in ("ix_upsell_suggestions_script_variant", "ix_upsell_suggestions_call_id",
                 "ix_upsell_suggestions_opening_id"):
        op.drop_index(name, table_name="upsell_suggestions")
    op.drop_table("upsell_suggestions")
    for name in ("ix_upsell_openings_customer_started", "ix_upsell_openings_agent_started",
                 "ix_upsell_openings_branch_started", "ix_upsell_openings_call_id"):
        op.drop_index(name, table_name="upsell_openings")
    op.drop_table("upsell_openings")

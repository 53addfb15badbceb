"""reports: call_facts, reports, alerts

Revision ID: 0005_reports
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_reports"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "call_facts",
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("agent_code", sa.String(length=50), nullable=True),
        sa.Column("customer_code", sa.String(length=50), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("primary_intent", sa.String(length=40), nullable=False),
        sa.Column("complaint_risk", sa.String(length=8), nullable=False),
        sa.Column("complaint_category", sa.String(length=20), nullable=True),
        sa.Column("sentiment", sa.String(length=10), nullable=False),
        sa.Column("negative_share", sa.Float(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("openings_detected", sa.Integer(), nullable=False),
        sa.Column("openings_taken", sa.Integer(), nullable=False),
        sa.Column("primary_product", sa.String(length=40), nullable=True),
        sa.Column("products", sa.String(length=300), nullable=False),
        sa.Column("converted", sa.Boolean(), nullable=False),
        sa.Column("sample_text", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_call_facts_call_id_calls"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"], name=op.f("fk_call_facts_branch_id_branches"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_call_facts")),
    )
    op.create_index("ix_call_facts_branch_day", "call_facts", ["branch_id", "day"])
    op.create_index("ix_call_facts_day", "call_facts", ["day"])
    op.create_index("ix_call_facts_customer_day", "call_facts", ["customer_code", "day"])

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=30), nullable=False),
        sa.Column("scope", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"], name=op.f("fk_reports_branch_id_branches"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reports")),
        sa.UniqueConstraint("period", "scope", name="uq_reports_period_scope"),
    )
    op.create_index("ix_reports_branch_period", "reports", ["branch_id", "period"])

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=30), nullable=False),
        sa.Column("scope", sa.String(length=30), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("metric", sa.String(length=20), nullable=False),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column("observed", sa.Float(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("base", sa.Integer(), nullable=False),
        sa.Column("p_value", sa.Float(), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"], name=op.f("fk_alerts_branch_id_branches"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("period", "scope", "dimension", "key", "metric", name="uq_alerts_identity"),
    )
    op.create_index("ix_alerts_branch_period", "alerts", ["branch_id", "period"])


def downgrade() -> None:
    op.drop_index("ix_alerts_branch_period", table_name="alerts")
    op.drop_table("alerts")
    op.drop_index("ix_reports_branch_period", table_name="reports")
    op.drop_table("reports")
    op.drop_index("ix_call_facts_customer_day", table_name="call_facts")
    op.drop_index("ix_call_facts_day", table_name="call_facts")
    op.drop_index("ix_call_facts_branch_day", table_name="call_facts")
    op.drop_table("call_facts")

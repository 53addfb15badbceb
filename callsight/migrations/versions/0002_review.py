"""QA review workflow: findings, review queue, appeals, calibration, audit trail;
review columns on calls, is_senior on users.

Revision ID: 0002_review
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_review"
down_revision = "0001"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_senior", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("service_score", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("marketing_score", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("flagged", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("flag_reasons", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("review_state", sa.String(length=16), nullable=False, server_default="none"))
        batch_op.create_index("ix_calls_review_state", ["review_state"], unique=False)

    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("scorecard", sa.String(length=16), nullable=True),
        sa.Column("applicable", sa.Boolean(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("fatal", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("effective_passed", sa.Boolean(), nullable=False),
        sa.Column("verdict_by_id", sa.Integer(), nullable=True),
        sa.Column("verdict_comment", sa.Text(), nullable=True),
        _ts("verdict_at", nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_findings_call_id_calls"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["verdict_by_id"], ["users.id"], name=op.f("fk_findings_verdict_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
        sa.UniqueConstraint("call_id", "rule", name=op.f("uq_findings_call_id")),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_findings_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_findings_rule"), ["rule"], unique=False)
        batch_op.create_index(batch_op.f("ix_findings_verdict_at"), ["verdict_at"], unique=False)

    op.create_table(
        "review_items",
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("fatal", sa.Boolean(), nullable=False),
        sa.Column("severity_rank", sa.Integer(), nullable=False),
        sa.Column("complaint_high", sa.Boolean(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        _ts("assigned_at", nullable=True),
        _ts("closed_at", nullable=True),
        _ts("entered_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_review_items_call_id_calls"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"], name=op.f("fk_review_items_assignee_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_review_items")),
    )
    with op.batch_alter_table("review_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_items_assignee_id"), ["assignee_id"], unique=False)

    op.create_table(
        "appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("appellant_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("verdict_by_id", sa.Integer(), nullable=True),
        sa.Column("ruled_by_id", sa.Integer(), nullable=True),
        sa.Column("ruling_comment", sa.Text(), nullable=True),
        _ts("created_at"),
        _ts("ruled_at", nullable=True),
        sa.ForeignKeyConstraint(["finding_id"], ["findings.id"], name=op.f("fk_appeals_finding_id_findings"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_appeals_call_id_calls"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["appellant_id"], ["users.id"], name=op.f("fk_appeals_appellant_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["verdict_by_id"], ["users.id"], name=op.f("fk_appeals_verdict_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["ruled_by_id"], ["users.id"], name=op.f("fk_appeals_ruled_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
    )
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appeals_finding_id"), ["finding_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appeals_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appeals_status"), ["status"], unique=False)

    op.create_table(
        "calibrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        _ts("created_at"),
        _ts("closed_at", nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_calibrations_created_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibrations")),
    )
    op.create_table(
        "calibration_reviewers",
        sa.Column("calibration_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["calibration_id"], ["calibrations.id"],
                                name=op.f("fk_calibration_reviewers_calibration_id_calibrations"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_calibration_reviewers_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("calibration_id", "user_id", name=op.f("pk_calibration_reviewers")),
    )
    op.create_table(
        "calibration_calls",
        sa.Column("calibration_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["calibration_id"], ["calibrations.id"],
                                name=op.f("fk_calibration_calls_calibration_id_calibrations"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_calibration_calls_call_id_calls"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("calibration_id", "call_id", name=op.f("pk_calibration_calls")),
    )
    op.create_table(
        "calibration_verdicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("calibration_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.ForeignKeyConstraint(["calibration_id"], ["calibrations.id"],
                                name=op.f("fk_calibration_verdicts_calibration_id_calibrations"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"], name=op.f("fk_calibration_verdicts_reviewer_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["finding_id"], ["findings.id"],
                                name=op.f("fk_calibration_verdicts_finding_id_findings"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_calibration_verdicts_call_id_calls"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_verdicts")),
        sa.UniqueConstraint("calibration_id", "reviewer_id", "finding_id",
                            name=op.f("uq_calibration_verdicts_calibration_id")),
    )
    with op.batch_alter_table("calibration_verdicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calibration_verdicts_calibration_id"), ["calibration_id"], unique=False)

    op.create_table(
        "review_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        _ts("at"),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("call_id", sa.String(length=32), nullable=True),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("appeal_id", sa.Integer(), nullable=True),
        sa.Column("calibration_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_audit")),
    )
    with op.batch_alter_table("review_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_audit_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_audit_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_audit_finding_id"), ["finding_id"], unique=False)


def downgrade() -> None:
    op.drop_table("review_audit")
    op.drop_table("calibration_verdicts")
    op.drop_table("calibration_calls")
    op.drop_table("calibration_reviewers")
    op.drop_table("calibrations")
    op.drop_table("appeals")
    op.drop_table("review_items")
    op.drop_table("findings")
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_index("ix_calls_review_state")
        batch_op.drop_column("review_state")
        batch_op.drop_column("flag_reasons")
        batch_op.drop_column("flagged")
        batch_op.drop_column("marketing_score")
        batch_op.drop_column("service_score")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("is_senior")

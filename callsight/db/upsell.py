"""ORM models of upsell openings (服务营销) and script testing (营销话术测试).

One row per opening detected in a call, one per script suggested for it (the A/B
arm it was given, whether the agent used it, and the outcome), and the sales a CRM
posts. Openings and suggestions are derived from a call's result and replaced when
the call is re-analysed (callsight/services/upsell.py); CRM sales are facts from
outside and are only ever added (idempotent on their reference). Datetimes are
stored in UTC (SQLite keeps no offset; naive values read back are UTC).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from callsight.db.models import Base, utcnow


class Outcome(enum.StrEnum):
    none = "none"
    purchase_intent = "purchase_intent"  # a later call of the customer whose primary intent is purchase
    crm_sale = "crm_sale"  # a sale posted by the CRM (POST /v1/crm/sales)


class UpsellOpeningRow(Base):
    """One opening of one call (result ``upsell_openings[idx]``)."""

    __tablename__ = "upsell_openings"
    __table_args__ = (
        UniqueConstraint("call_id", "idx"),
        Index("ix_upsell_openings_branch_started", "branch_id", "started_at"),
        Index("ix_upsell_openings_agent_started", "agent_code", "started_at"),
        Index("ix_upsell_openings_customer_started", "customer_code", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    agent_code: Mapped[str | None] = mapped_column(String(50))
    customer_code: Mapped[str | None] = mapped_column(String(50))
    type: Mapped[str] = mapped_column(String(40))
    segment: Mapped[int] = mapped_column(Integer)
    taken: Mapped[bool] = mapped_column(Boolean)
    cue: Mapped[str] = mapped_column(Text, default="")
    agent_segment: Mapped[int | None] = mapped_column(Integer)  # the agent turn that took it
    # The call's start (its creation when the metadata gave none): the time axis of every report.
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UpsellSuggestionRow(Base):
    """One script suggested for an opening: the arm, its use, its outcome."""

    __tablename__ = "upsell_suggestions"
    __table_args__ = (
        UniqueConstraint("opening_id", "rank"),
        Index("ix_upsell_suggestions_script_variant", "script", "variant"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    opening_id: Mapped[int] = mapped_column(ForeignKey("upsell_openings.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    script: Mapped[str] = mapped_column(String(100))
    variant: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))
    product: Mapped[str | None] = mapped_column(String(60))
    library: Mapped[str] = mapped_column(String(100), default="")
    used_by_agent: Mapped[bool] = mapped_column(Boolean, default=False)
    use_score: Mapped[float] = mapped_column(Float, default=0.0)
    used_segment: Mapped[int | None] = mapped_column(Integer)  # the agent turn that matched best
    outcome: Mapped[str] = mapped_column(String(20), default=Outcome.none.value)
    outcome_call_id: Mapped[str | None] = mapped_column(String(32))  # no FK: the later call may be deleted
    outcome_reference: Mapped[str | None] = mapped_column(String(100))  # the CRM sale's reference
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class CrmSale(Base):
    """A confirmed sale posted by the CRM; ``reference`` is the CRM's own id."""

    __tablename__ = "crm_sales"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(100), unique=True)
    customer_code: Mapped[str] = mapped_column(String(50), index=True)
    product: Mapped[str] = mapped_column(String(100))
    amount: Mapped[float] = mapped_column(Float)
    sold_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    posted_by: Mapped[int | None] = mapped_column(Integer)  # the user id that posted it
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

"""One flat row per analysed call (``call_facts``), the input of branch reports and
trend alerts. Reports aggregate it with GROUP BY over (branch_id, day) instead of
opening every result JSON; it is filled at store_result time and by seed-demo."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from callsight.db.models import Base


class CallFact(Base):
    __tablename__ = "call_facts"
    __table_args__ = (
        Index("ix_call_facts_branch_day", "branch_id", "day"),
        Index("ix_call_facts_day", "day"),
        # Repeat callers: the same customer about the same issue within N days.
        Index("ix_call_facts_customer_day", "customer_code", "day"),
    )

    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="CASCADE"))
    agent_code: Mapped[str | None] = mapped_column(String(50))
    customer_code: Mapped[str | None] = mapped_column(String(50))
    day: Mapped[date] = mapped_column(Date)
    primary_intent: Mapped[str] = mapped_column(String(40), default="other")
    complaint_risk: Mapped[str] = mapped_column(String(8), default="none")  # high | low | none
    # Set only for complaint calls (complaint intent or complaint risk): 收益不符预期, 销售误导...
    complaint_category: Mapped[str | None] = mapped_column(String(20))
    sentiment: Mapped[str] = mapped_column(String(10), default="neutral")
    negative_share: Mapped[float] = mapped_column(Float, default=0.0)
    duration_s: Mapped[float] = mapped_column(Float, default=0.0)
    openings_detected: Mapped[int] = mapped_column(Integer, default=0)
    openings_taken: Mapped[int] = mapped_column(Integer, default=0)
    # The first product type mentioned (nlp entity value), and all of them comma-joined.
    primary_product: Mapped[str | None] = mapped_column(String(40))
    products: Mapped[str] = mapped_column(String(300), default="")
    # The customer later expressed a purchase intent (this call or a later one).
    converted: Mapped[bool] = mapped_column(Boolean, default=False)
    # A short customer sentence showing the call's intent, personal numbers masked.
    sample_text: Mapped[str | None] = mapped_column(String(200))

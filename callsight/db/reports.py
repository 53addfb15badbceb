"""Generated reports (one per branch per period, plus the firm summary) and trend
alerts. A report row doubles as the progress record of its generation task."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from callsight.db.models import Base, utcnow
from core.jsonio import JsonObject


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (
        # scope is "branch:<id>" or "firm", so the firm summary is unique too (NULL branch ids are not).
        UniqueConstraint("period", "scope", name="uq_reports_period_scope"),
        Index("ix_reports_branch_period", "branch_id", "period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(30))
    scope: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(10))  # branch | firm
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)  # exclusive
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | running | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    content: Mapped[JsonObject | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    generated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Alert(Base):
    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("period", "scope", "dimension", "key", "metric", name="uq_alerts_identity"),
        Index("ix_alerts_branch_period", "branch_id", "period"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(30))
    scope: Mapped[str] = mapped_column(String(30))  # "branch:<id>" or "firm"
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="CASCADE"))
    dimension: Mapped[str] = mapped_column(String(20))  # total | intent | complaint_category | product
    key: Mapped[str] = mapped_column(String(40))  # intent id, category, product type; "" for total
    metric: Mapped[str] = mapped_column(String(20))  # volume | complaint_rate | negative_share
    direction: Mapped[str] = mapped_column(String(4))  # up | down
    observed: Mapped[float] = mapped_column(Float)
    expected: Mapped[float] = mapped_column(Float)
    count: Mapped[int] = mapped_column(Integer)
    base: Mapped[int] = mapped_column(Integer)
    p_value: Mapped[float] = mapped_column(Float)
    severity: Mapped[str] = mapped_column(String(8))  # high | medium
    message: Mapped[str] = mapped_column(String(300))
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

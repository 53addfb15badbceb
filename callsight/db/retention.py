"""ORM models of retention and deletion (issue 15): legal holds on calls and the
audit trail of deletions, purges and holds.

The audit trail says who deleted what and when, but holds no personal data: a
customer appears only as a keyed digest of its code (callsight/services/retention.py),
a call only by its random id, and counts say how much went. It has no foreign keys on
purpose: it outlives the rows it talks about.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from callsight.db.models import Base, utcnow
from core.jsonio import JsonObject


class LegalHold(Base):
    """A call that must not be deleted or purged (litigation, regulator enquiry)."""

    __tablename__ = "legal_holds"

    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    # Why, in staff words (a case number, not customer details).
    reason: Mapped[str] = mapped_column(Text)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RetentionAudit(Base):
    """Append-only: call.deleted, customer.deleted, purge, hold.set, hold.cleared."""

    __tablename__ = "retention_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)  # None: the scheduled purge
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(30), index=True)
    # "call:<id>", "customer:<digest>" or "policy" (a purge run).
    subject: Mapped[str] = mapped_column(String(80), index=True)
    counts: Mapped[JsonObject] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")

"""ORM models of client tags (客户标签): the evidence each analysed call gave, the
current profile derived from it, the log of changes to that profile, and the
outbox of webhook deliveries to the CRM.

Observations are the source of truth: re-analysing a call replaces its
observations, and the current tags of the keys it touched are recomputed from all
observations, so applying the same call twice changes nothing. Datetimes are
stored in UTC (SQLite keeps no offset; naive values read back are UTC).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from callsight.db.models import Base, utcnow
from core.jsonio import JsonObject


class TagObservationRow(Base):
    """One piece of evidence from one call (nlp.tags.TagObservation)."""

    __tablename__ = "tag_observations"
    __table_args__ = (Index("ix_tag_observations_customer_key", "customer_code", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_code: Mapped[str] = mapped_column(String(50))
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float)
    segment: Mapped[int | None] = mapped_column(Integer)
    words: Mapped[str] = mapped_column(Text, default="")
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    detail: Mapped[JsonObject] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CustomerTag(Base):
    """A customer's current value(s) of one tag key, with the latest evidence."""

    __tablename__ = "customer_tags"
    __table_args__ = (
        UniqueConstraint("customer_code", "key", "value"),
        Index("ix_customer_tags_key_value_date", "key", "value_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_code: Mapped[str] = mapped_column(String(50), index=True)
    key: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(100))
    # Date-valued tags (maturity_date) also as a date, so "within N days" is an indexed range.
    value_date: Mapped[date | None] = mapped_column(Date)
    confidence: Mapped[float] = mapped_column(Float)  # as of last_seen; decays at read time
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    observations: Mapped[int] = mapped_column(Integer, default=1)
    # Provenance: the latest supporting evidence. No foreign key: a deleted call's tag stays explainable.
    call_id: Mapped[str] = mapped_column(String(32))
    segment: Mapped[int | None] = mapped_column(Integer)
    words: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[JsonObject] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class TagChange(enum.StrEnum):
    added = "added"
    replaced = "replaced"  # a single-valued tag got a new value (C2 → C4); previous_value says which
    refreshed = "refreshed"  # same value, new evidence (confidence, last seen, provenance)
    removed = "removed"  # its evidence was withdrawn (the call was re-analysed)


class TagEvent(Base):
    """Append-only log of changes to the current profile (the tag history)."""

    __tablename__ = "tag_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_code: Mapped[str] = mapped_column(String(50), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    key: Mapped[str] = mapped_column(String(40))
    change: Mapped[str] = mapped_column(String(12))
    value: Mapped[str] = mapped_column(String(100))
    previous_value: Mapped[str | None] = mapped_column(String(100))
    confidence: Mapped[float | None] = mapped_column(Float)
    # The call whose analysis caused the change, and the evidence now behind the value.
    trigger_call_id: Mapped[str | None] = mapped_column(String(32))
    call_id: Mapped[str | None] = mapped_column(String(32))
    segment: Mapped[int | None] = mapped_column(Integer)
    words: Mapped[str] = mapped_column(Text, default="")


class OutboxStatus(enum.StrEnum):
    pending = "pending"
    delivered = "delivered"
    failed = "failed"  # the receiver refused it (4xx) or attempts ran out; kept for inspection


class TagOutbox(Base):
    """A webhook payload for the CRM, written in the same transaction as the change
    it reports; delivered after commit and retried until delivered."""

    __tablename__ = "tag_outbox"
    __table_args__ = (Index("ix_tag_outbox_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_code: Mapped[str] = mapped_column(String(50))
    payload: Mapped[JsonObject] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default=OutboxStatus.pending.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

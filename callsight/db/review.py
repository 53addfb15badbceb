"""ORM models of the QA review workflow: findings as stored rows, the review queue,
appeals, calibration sessions and the append-only review audit trail.

A finding row mirrors one entry of ``result["compliance"]["findings"]`` (one per rule
per call, replaced idempotently on re-analysis) plus the reviewer's verdict. The
columns other stored readers rely on (branch reports) are fixed by agreement:
``findings.{rule, severity, scorecard, applicable, passed, fatal, status,
effective_passed}`` and ``calls.{service_score, marketing_score, flagged,
flag_reasons, review_state}``.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from callsight.db.models import Base, utcnow
from core.jsonio import JsonObject, parse
from core.result import EvidenceSpan


class FindingStatus(enum.StrEnum):
    auto = "auto"  # no verdict yet: the engine's result stands
    confirmed = "confirmed"
    dismissed = "dismissed"


class ReviewState(enum.StrEnum):
    none = "none"  # not in the review queue
    queued = "queued"
    in_review = "in_review"
    reviewed = "reviewed"
    closed = "closed"


class AppealStatus(enum.StrEnum):
    open = "open"
    upheld = "upheld"
    overturned = "overturned"
    void = "void"  # the verdict it appealed was reset by a re-analysis


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("call_id", "rule"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(16))
    scorecard: Mapped[str | None] = mapped_column(String(16))
    applicable: Mapped[bool] = mapped_column(Boolean)
    passed: Mapped[bool] = mapped_column(Boolean)  # the engine's automatic result
    confidence: Mapped[float] = mapped_column(Float)
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # The engine reported this failed item as fatal (一票否决, in compliance.fatal).
    fatal: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=FindingStatus.auto.value)
    effective_passed: Mapped[bool] = mapped_column(Boolean)
    verdict_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verdict_comment: Mapped[str | None] = mapped_column(Text)
    verdict_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    @property
    def reviewable(self) -> bool:
        """Only what the engine flagged (applicable and failed) takes a verdict."""
        return self.applicable and not self.passed

    @property
    def spans(self) -> tuple[EvidenceSpan, ...]:
        """The stored evidence, typed (the column holds the result's evidence JSON)."""
        return parse(tuple[EvidenceSpan, ...], self.evidence or [])


class ReviewItem(Base):
    """A call in the review queue (flagged, sampled or added by hand) and who reviews it.

    The priority columns are kept here so the queue sorts in SQL: fatal first, then
    the worst severity of the failed findings still standing, high complaint risk,
    then the lower service score."""

    __tablename__ = "review_items"

    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # flagged | sample | manual
    fatal: Mapped[bool] = mapped_column(Boolean, default=False)
    severity_rank: Mapped[int] = mapped_column(Integer, default=0)  # 3 fatal, 2 major, 1 minor, 0 none
    complaint_high: Mapped[bool] = mapped_column(Boolean, default=False)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Appeal(Base):
    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"), index=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    appellant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=AppealStatus.open.value, index=True)
    # Who confirmed the finding when it was appealed: they may not rule on it.
    verdict_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ruled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    ruling_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ruled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Calibration(Base):
    __tablename__ = "calibrations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CalibrationReviewer(Base):
    __tablename__ = "calibration_reviewers"

    calibration_id: Mapped[int] = mapped_column(ForeignKey("calibrations.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class CalibrationCall(Base):
    __tablename__ = "calibration_calls"

    calibration_id: Mapped[int] = mapped_column(ForeignKey("calibrations.id", ondelete="CASCADE"), primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)


class CalibrationVerdict(Base):
    """A blind verdict inside a calibration session: never touches the live finding."""

    __tablename__ = "calibration_verdicts"
    __table_args__ = (UniqueConstraint("calibration_id", "reviewer_id", "finding_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    calibration_id: Mapped[int] = mapped_column(ForeignKey("calibrations.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"))
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class ReviewAudit(Base):
    """Append-only: who did what to which call / finding, with before and after.

    No foreign keys on purpose: the trail outlives the rows it talks about."""

    __tablename__ = "review_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)  # None: the system (re-analysis)
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    call_id: Mapped[str | None] = mapped_column(String(32), index=True)
    finding_id: Mapped[int | None] = mapped_column(Integer, index=True)
    appeal_id: Mapped[int | None] = mapped_column(Integer)
    calibration_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[JsonObject | None] = mapped_column(JSON)
    after: Mapped[JsonObject | None] = mapped_column(JSON)
    detail: Mapped[JsonObject] = mapped_column(JSON, default=dict)


@event.listens_for(ReviewAudit, "before_update")
@event.listens_for(ReviewAudit, "before_delete")
def _append_only(_mapper: Any, _conn: Any, target: ReviewAudit) -> None:
    raise RuntimeError(f"review_audit is append-only (entry {target.id})")

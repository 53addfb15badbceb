"""ORM models of rule development: versions of compliance rules kept in the database.

A rule version is the YAML of one rule (the same ``rules:`` format as the pack files)
that is a ``draft`` while QA tests and backtests it, ``published`` once it is live
(at most one per rule id, enforced by a partial unique index) and ``retired`` when a
later version replaced it. Versions are never deleted: a stored result names the
version that produced it (``default-1.0+greeting@v3``).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from callsight.db.models import Base, utcnow
from core.jsonio import JsonObject


class RuleStatus(enum.StrEnum):
    draft = "draft"
    published = "published"
    retired = "retired"


class RuleVersion(Base):
    __tablename__ = "rule_versions"
    __table_args__ = (
        UniqueConstraint("rule_id", "version"),
        # One live version per rule, whatever two publishers race.
        Index(
            "uq_rule_versions_one_published", "rule_id", unique=True,
            postgresql_where=text("status = 'published'"), sqlite_where=text("status = 'published'"),
        ),
        Index("ix_rule_versions_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer)
    yaml_text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=RuleStatus.draft.value)
    comment: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def label(self) -> str:
        return f"{self.rule_id}@v{self.version}"


class RuleEvent(Base):
    """Append-only audit of rule development: who did what to which version, before/after."""

    __tablename__ = "rule_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_version_id: Mapped[int] = mapped_column(ForeignKey("rule_versions.id", ondelete="CASCADE"), index=True)
    rule_id: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))  # created | updated | backtested | published | retired
    detail: Mapped[JsonObject] = mapped_column(default=dict)

"""ORM models. The database is the source of truth for a call's state: the broker
only carries call ids, so a lost message is recovered from here (see sweeper)."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from callsight.db import types as _aware_timestamps  # noqa: F401  (registers UtcDateTime on every table)
from core.jsonio import JsonObject

# A naming convention makes constraint names stable across SQLite and PostgreSQL,
# which Alembic's batch mode on SQLite needs to alter tables.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {JsonObject: JSON, list[Any]: JSON}


class CallStatus(enum.StrEnum):
    queued = "queued"
    transcribing = "transcribing"
    analysing = "analysing"
    done = "done"
    failed = "failed"


class Role(enum.StrEnum):
    admin = "admin"
    qa = "qa"
    manager = "manager"
    agent = "agent"


class Branch(Base):
    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    code: Mapped[str | None] = mapped_column(String(50), unique=True)
    region: Mapped[str | None] = mapped_column(String(100))
    size_band: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UserBranch(Base):
    __tablename__ = "user_branches"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    agent_code: Mapped[str | None] = mapped_column(String(50))
    can_see_pii: Mapped[bool] = mapped_column(Boolean, default=False)
    # QA review: a senior reviewer rules on appeals and assigns work (callsight review set-senior).
    is_senior: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # SHA-256 of the API key; the key itself is shown once at creation.
    api_key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # argon2id hash for the console's username + password login (callsight users set-password); None: keys only.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    branches: Mapped[list[Branch]] = relationship(secondary="user_branches", lazy="selectin")


class Call(Base):
    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_branch_started", "branch_id", "started_at"),
        Index("ix_calls_agent_started", "agent_code", "started_at"),
        Index("ix_calls_status_enqueued", "status", "enqueued_at"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    agent_code: Mapped[str | None] = mapped_column(String(50))
    customer_code: Mapped[str | None] = mapped_column(String(50), index=True)
    direction: Mapped[str | None] = mapped_column(String(10))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    channel_layout: Mapped[str | None] = mapped_column(String(100))
    meta: Mapped[JsonObject] = mapped_column(JSON, default=dict)

    source: Mapped[str] = mapped_column(String(12))  # audio | transcript
    audio_path: Mapped[str | None] = mapped_column(String(500))
    original_filename: Mapped[str | None] = mapped_column(String(300))
    audio_format: Mapped[str | None] = mapped_column(String(40))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    duration_s: Mapped[float | None] = mapped_column(Float)
    channels: Mapped[int | None] = mapped_column(Integer)
    sample_rate: Mapped[int | None] = mapped_column(Integer)
    # Ingested transcripts keep the submitted document until analysed.
    transcript_input: Mapped[JsonObject | None] = mapped_column(JSON)

    status: Mapped[str] = mapped_column(String(16), default=CallStatus.queued.value)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error_code: Mapped[str | None] = mapped_column(String(50))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Claims (callsight/services/claims.py): at most one running attempt per call. The token
    # fences a stale attempt's writes; the lease, renewed by a heartbeat, expires when its
    # worker died; tries counts claims since a person last queued the call (bounded).
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    enqueued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    role_confidence: Mapped[float | None] = mapped_column(Float)
    result: Mapped[JsonObject | None] = mapped_column(JSON)
    # QA review (callsight/services/review.py): effective scores after verdicts, why flagged, where in review.
    service_score: Mapped[float | None] = mapped_column(Float)
    marketing_score: Mapped[float | None] = mapped_column(Float)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    flag_reasons: Mapped[list[Any] | None] = mapped_column(JSON)
    review_state: Mapped[str] = mapped_column(String(16), default="none", server_default="none", index=True)

    branch: Mapped[Branch | None] = relationship(lazy="joined")
    segments: Mapped[list[SegmentRow]] = relationship(
        back_populates="call",
        cascade="all, delete-orphan",
        order_by="SegmentRow.idx",
        passive_deletes=True,
    )


class SegmentRow(Base):
    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("call_id", "idx"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(10))
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text)
    words: Mapped[list[Any] | None] = mapped_column(JSON)
    # jieba tokens joined by spaces (and padded), for full-text search on both dialects.
    # Built from the *masked* text (callsight/search.py), so a reader without the pii
    # permission can never match a hidden digit; search_text_pii holds the unmasked
    # tokens, only where masking changed something (NULL: same as search_text).
    search_text: Mapped[str] = mapped_column(Text, default="")
    search_text_pii: Mapped[str | None] = mapped_column(Text)

    call: Mapped[Call] = relationship(back_populates="segments")


class CallEvent(Base):
    """Append-only audit of what happened to a call (status changes, attempts)."""

    __tablename__ = "call_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    kind: Mapped[str] = mapped_column(String(40))
    detail: Mapped[JsonObject] = mapped_column(JSON, default=dict)


# The other capability modules register their tables on the same metadata:
# actions (next-best actions marked done, issue 14), console (QA workspace saved views,
# issue 14), facts and reports (reports and trend alerts, issue 5), retention (legal
# holds, deletion audit, issue 15), review (QA review workflow, issue 3), rules (rule
# versions, issue 3), security (console sessions, issue 15), tags (client tags, issue 4),
# upsell (openings, suggested scripts, CRM sales, issue 4).
from callsight.db import actions as _actions  # noqa: E402, F401
from callsight.db import console as _console  # noqa: E402, F401
from callsight.db import facts as _facts  # noqa: E402, F401
from callsight.db import reports as _reports  # noqa: E402, F401
from callsight.db import retention as _retention  # noqa: E402, F401
from callsight.db import review as _review  # noqa: E402, F401
from callsight.db import rules as _rules  # noqa: E402, F401
from callsight.db import security as _security  # noqa: E402, F401
from callsight.db import tags as _tags  # noqa: E402, F401
from callsight.db import upsell as _upsell  # noqa: E402, F401

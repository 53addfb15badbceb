"""Next-best actions an agent has marked done (issue 14). An action lives in its call's
result JSON (``next_actions``); this table only remembers which ones are done, by the
call and the action's key (``<action>:<segment>``), so re-analysing a call keeps the mark."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from callsight.db.models import Base, utcnow


class ActionMark(Base):
    __tablename__ = "action_marks"
    __table_args__ = (UniqueConstraint("call_id", "action_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    action_key: Mapped[str] = mapped_column(String(80))
    agent_code: Mapped[str | None] = mapped_column(String(50))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    done_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

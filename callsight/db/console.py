"""ORM models of the QA workspace (issue 14): a reviewer's saved views, each a named
set of list filters (the page's URL query) that the console offers as one click."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from callsight.db.models import Base, utcnow


class SavedView(Base):
    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("user_id", "page", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    page: Mapped[str] = mapped_column(String(20))  # queue | calls | search
    name: Mapped[str] = mapped_column(String(100))
    # The filters as a URL query string ("branch=城东支行&rule=forbidden_promise"), checked on save.
    query: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

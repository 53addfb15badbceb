"""Calls for tag tests, created and processed through the real path (ingest service +
the job runner with the real intent model and rule pack)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from callsight.schemas import parse_transcript_doc
from callsight.services.calls import create_transcript_call
from workers.jobs import run_process_call


def doc(turns: list[tuple[str, str]], *, customer: str = "K100", started_at: datetime | str,
        branch: str = "城东支行", agent: str = "A1023", **meta: Any) -> dict[str, Any]:
    started = started_at.isoformat() if isinstance(started_at, datetime) else started_at
    return {"meta": {"branch": branch, "agent": agent, "customer": customer, "direction": "inbound",
                     "started_at": started, **meta},
            "turns": [{"speaker": s, "text": t} for s, t in turns]}


def processed_call(db: Session, turns: list[tuple[str, str]], **kw: Any) -> str:
    """Create a transcript call, run the real job; returns the call id.

    The test session only flushes: on SQLite a commit of the fixture's first savepoint
    would end the outer transaction the fixture rolls back."""
    call = create_transcript_call(db, doc=parse_transcript_doc(doc(turns, **kw)))
    db.flush()
    assert run_process_call(call.id) == "done"
    db.expire_all()
    return call.id

"""Rows for report tests: calls with their facts, written through the ORM."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from callsight.db.facts import CallFact
from callsight.db.models import Branch, Call

_ids = itertools.count(1)


def add_call(db: Session, branch: Branch, day: date, *, intent: str = "product_inquiry", category: str | None = None,
             risk: str = "none", agent: str = "A1", customer: str | None = None, openings: int = 0, taken: int = 0,
             converted: bool = False, negative: bool = False, sample: str | None = None) -> str:
    call_id = f"rpt{next(_ids):029d}"
    db.add(Call(id=call_id, branch_id=branch.id, agent_code=agent, customer_code=customer, source="transcript",
                status="done", meta={}))
    db.flush()
    fact: dict[str, Any] = dict(
        call_id=call_id, branch_id=branch.id, agent_code=agent, customer_code=customer, day=day,
        primary_intent=intent, complaint_risk=risk, complaint_category=category,
        sentiment="negative" if negative else "neutral", negative_share=0.5 if negative else 0.0, duration_s=60.0,
        openings_detected=openings, openings_taken=taken, primary_product=None, products="", converted=converted,
        sample_text=sample)
    db.add(CallFact(**fact))
    return call_id


def add_many(db: Session, branch: Branch, day: date, n: int, **kw: Any) -> list[str]:
    return [add_call(db, branch, day, **kw) for _ in range(n)]

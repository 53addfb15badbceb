"""The ``call_facts`` row of an analysed call, derived from its result JSON.

``facts_from_result`` is pure; ``sync_call_facts`` is the service that stores it
(called by processing.store_result, never commits)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from callsight.config import settings
from callsight.db.facts import CallFact
from callsight.db.models import Call
from callsight.reports.complaints import classify_complaint
from nlp.pii import mask_text

SAMPLE_MAX = 120
COMPLAINT_INTENT = "complaint"
PURCHASE_INTENT = "purchase"


def _customer_texts(result: dict[str, Any]) -> dict[int, str]:
    return {i: s.get("text", "") for i, s in enumerate(result.get("segments") or [])
            if s.get("speaker") == "customer"}


def _sample(result: dict[str, Any], intent: str, texts: dict[int, str]) -> str | None:
    turns = (result.get("intents") or {}).get("turns") or []
    best = [t for t in turns if t.get("intent") == intent and t.get("segment") in texts]
    best.sort(key=lambda t: -float(t.get("score") or 0.0))
    text = texts[best[0]["segment"]] if best else next(iter(texts.values()), None)
    if not text:
        return None
    masked = mask_text(text.strip())
    return masked if len(masked) <= SAMPLE_MAX else masked[: SAMPLE_MAX - 1] + "…"


def facts_from_result(
    result: dict[str, Any],
    *,
    call_id: str,
    branch_id: int | None,
    agent_code: str | None,
    customer_code: str | None,
    started_at: datetime | None,
    duration_s: float | None,
    tz: ZoneInfo,
) -> dict[str, Any]:
    """The facts row for one result document (missing fields count as zero / none)."""
    intents = result.get("intents") or {}
    primary = str(intents.get("primary") or "other")
    risk = str((result.get("complaint_risk") or {}).get("level") or "none")
    texts = _customer_texts(result)
    is_complaint = primary == COMPLAINT_INTENT or risk in ("high", "low")
    sentiment = result.get("sentiment") or {}
    turns = sentiment.get("turns") or []
    negative_share = sum(1 for t in turns if t.get("label") == "negative") / len(turns) if turns else 0.0
    openings = [o for o in result.get("upsell_openings") or [] if isinstance(o, dict)]
    taken = [o for o in openings if o.get("taken")]
    products: list[str] = []
    for ent in result.get("entities") or []:
        if ent.get("type") == "product" and ent.get("value") and ent["value"] not in products:
            products.append(str(ent["value"]))
    # Converted in the call itself: a purchase intent after the first opening the agent took.
    first_taken = min((int(o.get("segment") or 0) for o in taken), default=None)
    converted = first_taken is not None and any(
        t.get("intent") == PURCHASE_INTENT and int(t.get("segment") or 0) >= first_taken
        for t in intents.get("turns") or []
    )
    day: date = (started_at.astimezone(tz) if started_at else datetime.now(tz)).date()
    return {
        "call_id": call_id,
        "branch_id": branch_id,
        "agent_code": agent_code,
        "customer_code": customer_code,
        "day": day,
        "primary_intent": primary[:40],
        "complaint_risk": risk if risk in ("high", "low") else "none",
        "complaint_category": classify_complaint(texts.values()) if is_complaint else None,
        "sentiment": str(sentiment.get("call") or "neutral")[:10],
        "negative_share": round(negative_share, 4),
        "duration_s": float(duration_s or (result.get("call") or {}).get("duration_s") or 0.0),
        "openings_detected": len(openings),
        "openings_taken": len(taken),
        "primary_product": products[0][:40] if products else None,
        "products": ",".join(products)[:300],
        "converted": converted,
        "sample_text": _sample(result, primary, texts),
    }


def sync_call_facts(session: Session, call: Call) -> None:
    """Replace the call's facts row from its result; a purchase call also marks the
    customer's earlier calls (within the conversion window) where an opening was taken
    as converted."""
    session.execute(delete(CallFact).where(CallFact.call_id == call.id))
    if not call.result:
        return
    row = facts_from_result(
        call.result, call_id=call.id, branch_id=call.branch_id, agent_code=call.agent_code,
        customer_code=call.customer_code, started_at=call.started_at, duration_s=call.duration_s,
        tz=ZoneInfo(settings.report_timezone),
    )
    session.add(CallFact(**row))
    if row["primary_intent"] == PURCHASE_INTENT and call.customer_code:
        since = row["day"] - timedelta(days=settings.report_conversion_days)
        session.execute(
            update(CallFact)
            .where(CallFact.customer_code == call.customer_code, CallFact.call_id != call.id,
                   CallFact.day >= since, CallFact.day <= row["day"], CallFact.openings_taken > 0)
            .values(converted=True)
        )

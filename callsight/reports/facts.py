"""The ``call_facts`` row of an analysed call, derived from its typed result.

``facts_from_result`` is pure; ``sync_call_facts`` is the service that stores it
(called by processing.store_result, never commits)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from callsight.config import settings
from callsight.db.facts import CallFact
from callsight.db.models import Call
from callsight.reports.complaints import classify_complaint
from callsight.services.results import load_result
from core.enums import IntentId
from core.result import CallResult
from nlp.pii import mask_text

SAMPLE_MAX = 120


@dataclass(frozen=True, slots=True)
class Facts:
    """One ``call_facts`` row (the columns of callsight.db.facts.CallFact)."""

    call_id: str
    branch_id: int | None
    agent_code: str | None
    customer_code: str | None
    day: date
    primary_intent: str
    complaint_risk: str
    complaint_category: str | None
    sentiment: str
    negative_share: float
    duration_s: float
    openings_detected: int
    openings_taken: int
    primary_product: str | None
    products: str
    converted: bool
    sample_text: str | None


def _sample(result: CallResult, intent: str, texts: dict[int, str]) -> str | None:
    turns = result.intents.turns if result.intents is not None else ()
    best = sorted((t for t in turns if t.intent == intent and t.segment in texts), key=lambda t: -t.score)
    text = texts[best[0].segment] if best else next(iter(texts.values()), None)
    if not text:
        return None
    masked = mask_text(text.strip())
    return masked if len(masked) <= SAMPLE_MAX else masked[: SAMPLE_MAX - 1] + "…"


def facts_from_result(
    result: CallResult,
    *,
    call_id: str,
    branch_id: int | None,
    agent_code: str | None,
    customer_code: str | None,
    started_at: datetime | None,
    duration_s: float | None,
    tz: ZoneInfo,
) -> Facts:
    """The facts row for one result (missing analysis counts as zero / none)."""
    primary = result.primary_intent or IntentId.other
    risk = result.complaint_level
    texts = result.texts_of("customer")
    is_complaint = primary == IntentId.complaint or risk in ("high", "low")
    turns = result.sentiment.turns if result.sentiment is not None else ()
    negative_share = sum(1 for t in turns if t.label == "negative") / len(turns) if turns else 0.0
    openings = result.upsell_openings
    taken = [o for o in openings if o.taken]
    products: list[str] = []
    for ent in result.entities:
        if ent.type == "product" and ent.value and str(ent.value) not in products:
            products.append(str(ent.value))
    # Converted in the call itself: a purchase intent after the first opening the agent took.
    first_taken = min((o.segment for o in taken), default=None)
    intent_turns = result.intents.turns if result.intents is not None else ()
    converted = first_taken is not None and any(
        t.intent == IntentId.purchase and t.segment >= first_taken for t in intent_turns)
    day: date = (started_at.astimezone(tz) if started_at else datetime.now(tz)).date()
    return Facts(
        call_id=call_id, branch_id=branch_id, agent_code=agent_code, customer_code=customer_code, day=day,
        primary_intent=str(primary)[:40], complaint_risk=risk,
        complaint_category=classify_complaint(texts.values()) if is_complaint else None,
        sentiment=(result.sentiment.call if result.sentiment is not None else "neutral")[:10],
        negative_share=round(negative_share, 4),
        duration_s=float(duration_s or result.call.duration_s or 0.0),
        openings_detected=len(openings), openings_taken=len(taken),
        primary_product=products[0][:40] if products else None, products=",".join(products)[:300],
        converted=converted, sample_text=_sample(result, str(primary), texts),
    )


def sync_call_facts(session: Session, call: Call) -> None:
    """Replace the call's facts row from its result; a purchase call also marks the
    customer's earlier calls (within the conversion window) where an opening was taken
    as converted."""
    session.execute(delete(CallFact).where(CallFact.call_id == call.id))
    result = load_result(call)
    if result is None:
        return
    row = facts_from_result(
        result, call_id=call.id, branch_id=call.branch_id, agent_code=call.agent_code,
        customer_code=call.customer_code, started_at=call.started_at, duration_s=call.duration_s,
        tz=ZoneInfo(settings.report_timezone),
    )
    session.add(CallFact(**asdict(row)))
    if row.primary_intent == IntentId.purchase and call.customer_code:
        since = row.day - timedelta(days=settings.report_conversion_days)
        session.execute(
            update(CallFact)
            .where(CallFact.customer_code == call.customer_code, CallFact.call_id != call.id,
                   CallFact.day >= since, CallFact.day <= row.day, CallFact.openings_taken > 0)
            .values(converted=True)
        )

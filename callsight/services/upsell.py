"""Upsell openings and script testing (营销话术测试) on the database. Takes a session,
never commits.

``sync_call`` runs at the end of processing (processing.store_result): it replaces the
call's opening and suggestion rows from its result, decides for each suggested script
whether the agent used it (upsell.script_use, over the agent's turns after the opening),
and recomputes outcomes. An outcome is decided from facts, never stored by hand: the
first CRM sale of the customer within ``settings.upsell_outcome_days`` after the
opening (for suggestions of that product, and meeting suggestions), else the first
later call of the customer in that window whose primary intent is ``purchase``.
Because outcomes are recomputed from calls and sales whenever either changes,
re-analysing a call or re-posting a sale never duplicates or drifts.

The read side (lists, 开口 counts, per-variant conversion) lives in upsell_reports.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from callsight import runtime
from callsight.config import settings
from callsight.db.models import Call, CallStatus, utcnow
from callsight.db.upsell import CrmSale, Outcome, UpsellOpeningRow, UpsellSuggestionRow
from callsight.errors import Conflict
from callsight.services.results import load_result
from core.enums import IntentId
from core.meta import MetaFacts
from core.result import SegmentRecord
from nlp.dates import parse_datetime
from upsell.script_use import script_use
from upsell.scripts import LibraryError, ScriptLibrary

# How many agent turns after the opening are searched for the script (the take window
# of upsell/openings.py is 3; a script read a little later still counts).
USE_WINDOW = 6


def aware(dt: datetime | None) -> datetime | None:
    """UTC-aware; SQLite hands back naive values, which we store as UTC."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def call_time(call: Call) -> datetime:
    """When the call happened, in UTC. The metadata's ISO string keeps its offset on every
    database (SQLite drops it from stored datetimes), then the column, then creation."""
    raw = MetaFacts.of(call.meta).started_at
    parsed = parse_datetime(raw) if isinstance(raw, str) else None
    return aware(parsed) or aware(call.started_at) or aware(call.created_at) or utcnow()


# --------------------------------------------------------------------------- the library's texts

@dataclass(frozen=True)
class _LibraryTexts:
    boilerplate: tuple[str, ...]  # sentences appended to many scripts: ignored when matching
    variants: dict[tuple[str, str], str]  # (script, variant) -> approved template
    product_names: dict[str, str]  # product id -> name (a CRM may post either)


@lru_cache(maxsize=1)
def _library_texts() -> _LibraryTexts:
    try:
        lib: ScriptLibrary | None = runtime.load_script_library()
    except LibraryError:
        lib = None
    if lib is None:
        return _LibraryTexts((), {}, {})
    boiler = [lib.risk_disclosure, lib.assessment_hint]
    boiler += [t for p in lib.products.values() for t in (p.notice, p.disclosure) if t]
    variants = {(s.id, v): text for s in lib.scripts for v, text in s.variants}
    return _LibraryTexts(tuple(dict.fromkeys(b for b in boiler if b)), variants,
                         {p.id: p.name for p in lib.products.values()})


def _background(texts: _LibraryTexts, script: str, variant: str) -> list[str]:
    return [t for key, t in texts.variants.items() if key != (script, variant)]


# --------------------------------------------------------------------------- writing

def _agent_turns_after(segments: Sequence[SegmentRecord], seg: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for i in range(seg + 1, len(segments)):
        if segments[i].speaker == "agent":
            out.append((i, segments[i].text))
            if len(out) == USE_WINDOW:
                break
    return out


def sync_call(session: Session, call: Call) -> list[UpsellOpeningRow]:
    """Replace the call's openings and suggestions from its result; recompute outcomes
    of the customer's openings this call may have converted."""
    session.execute(delete(UpsellSuggestionRow).where(UpsellSuggestionRow.call_id == call.id))
    session.execute(delete(UpsellOpeningRow).where(UpsellOpeningRow.call_id == call.id))
    result = load_result(call)
    segments = result.segments if result is not None else ()
    texts = _library_texts()
    at = call_time(call)
    rows: list[UpsellOpeningRow] = []
    for idx, op in enumerate(result.upsell_openings if result is not None else ()):
        agent = op.evidence.agent
        row = UpsellOpeningRow(
            call_id=call.id, idx=idx, branch_id=call.branch_id, agent_code=call.agent_code,
            customer_code=call.customer_code, type=op.type[:40], segment=op.segment,
            taken=op.taken, cue=op.evidence.customer.cue,
            agent_segment=agent.segment if agent is not None else None, started_at=at)
        session.add(row)
        session.flush()
        turns = _agent_turns_after(segments, op.segment)
        for rank, sug in enumerate(op.suggestions):
            use = script_use(sug.text, turns, boilerplate=texts.boilerplate,
                             background=_background(texts, sug.script, sug.variant))
            session.add(UpsellSuggestionRow(
                opening_id=row.id, call_id=call.id, rank=rank, script=sug.script[:100], variant=sug.variant[:20],
                kind=sug.kind[:10], product=sug.product,
                library=sug.library[:100], used_by_agent=use.used, use_score=use.score,
                used_segment=use.segment if use.used else None, outcome=Outcome.none.value))
        rows.append(row)
    session.flush()
    if call.customer_code:
        recompute_outcomes(session, call.customer_code, at - timedelta(days=settings.upsell_outcome_days), at)
    return rows


def _sale_matches(sale: CrmSale, sug: UpsellSuggestionRow, names: dict[str, str]) -> bool:
    """A sale is the outcome of a meeting suggestion (any product) or of a suggestion of
    the product sold (the CRM may post our product id or its name). A service-recovery
    step (a complaint call, upsell.recovery) sold nothing."""
    if sug.kind == "recovery":
        return False
    if sug.product is None:
        return True
    wanted = {sug.product.lower(), names.get(sug.product, "").lower()} - {""}
    return sale.product.strip().lower() in wanted


def _is_purchase(call: Call) -> bool:
    result = load_result(call)
    return result is not None and result.primary_intent == IntentId.purchase


def recompute_outcomes(session: Session, customer: str, lo: datetime, hi: datetime) -> int:
    """Outcomes of the customer's suggestions whose openings fall in [lo, hi], from the
    customer's calls and CRM sales; returns how many suggestions changed."""
    window = timedelta(days=settings.upsell_outcome_days)
    openings = [o for o in session.scalars(select(UpsellOpeningRow).where(UpsellOpeningRow.customer_code == customer))
                if lo <= (aware(o.started_at) or lo) <= hi]
    if not openings:
        return 0
    # Per customer these lists are short; times are compared in Python (UTC, any dialect).
    calls = session.scalars(select(Call).where(Call.customer_code == customer,
                                               Call.status == CallStatus.done.value)).all()
    purchases = sorted((call_time(c), c.id) for c in calls if _is_purchase(c))
    sales = sorted(session.scalars(select(CrmSale).where(CrmSale.customer_code == customer)).all(),
                   key=lambda s: (aware(s.sold_at) or lo, s.id))
    names = _library_texts().product_names
    changed = 0
    for op in openings:
        t0 = aware(op.started_at) or lo
        later = next(((t, cid) for t, cid in purchases if t0 < t <= t0 + window and cid != op.call_id), None)
        in_window = [s for s in sales if t0 <= (aware(s.sold_at) or t0) <= t0 + window]
        sugs = session.scalars(select(UpsellSuggestionRow).where(UpsellSuggestionRow.opening_id == op.id)).all()
        for sug in sugs:
            sale = next((s for s in in_window if _sale_matches(s, sug, names)), None)
            new: tuple[str, str | None, str | None, datetime | None]
            if sale is not None:
                new = (Outcome.crm_sale.value, None, sale.reference, aware(sale.sold_at))
            elif later is not None:
                new = (Outcome.purchase_intent.value, later[1], None, later[0])
            else:
                new = (Outcome.none.value, None, None, None)
            old = (sug.outcome, sug.outcome_call_id, sug.outcome_reference, aware(sug.outcome_at))
            if old != new:
                sug.outcome, sug.outcome_call_id, sug.outcome_reference, sug.outcome_at = new
                changed += 1
    session.flush()
    return changed


@dataclass(frozen=True)
class SaleIn:
    customer: str
    product: str
    amount: float
    sold_at: datetime
    reference: str


def record_sale(session: Session, sale: SaleIn, posted_by: int | None) -> tuple[CrmSale, bool]:
    """Store a CRM sale once per reference; ``(row, created)``. The same reference again
    with the same content is a no-op; with other content it is a conflict (the CRM
    must not silently rewrite a sale)."""
    sold_at = aware(sale.sold_at) or utcnow()
    existing = session.scalar(select(CrmSale).where(CrmSale.reference == sale.reference))
    if existing is not None:
        diff = [name for name, old, new in (
            ("customer", existing.customer_code, sale.customer), ("product", existing.product, sale.product),
            ("amount", existing.amount, sale.amount), ("sold_at", aware(existing.sold_at), sold_at)) if old != new]
        if diff:
            raise Conflict(f"sale reference '{sale.reference}' was already posted with other {', '.join(diff)}",
                           code="sale_reference_conflict", details={"fields": diff})
        return existing, False
    row = CrmSale(reference=sale.reference, customer_code=sale.customer, product=sale.product, amount=sale.amount,
                  sold_at=sold_at, posted_by=posted_by)
    session.add(row)
    session.flush()
    recompute_outcomes(session, sale.customer, sold_at - timedelta(days=settings.upsell_outcome_days), sold_at)
    return row, True


def suggestions_of(session: Session, opening_ids: Iterable[int]) -> dict[int, list[UpsellSuggestionRow]]:
    ids = list(opening_ids)
    out: dict[int, list[UpsellSuggestionRow]] = {i: [] for i in ids}
    if not ids:
        return out
    stmt = select(UpsellSuggestionRow).where(UpsellSuggestionRow.opening_id.in_(ids)).order_by(
        UpsellSuggestionRow.opening_id, UpsellSuggestionRow.rank)
    for s in session.scalars(stmt):
        out[s.opening_id].append(s)
    return out

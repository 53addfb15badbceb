"""Contact-cadence signals from the customers' tags and call history (客户联系节奏):

- ``open_openings``: an upsell opening (服务营销商机) whose call is still the customer's
  last contact ``opening_days`` or more later: nobody followed it up;
- ``warm_not_contacted``: current purchase intent high/medium, last contact
  ``warm_days`` or more ago (warm relationships want about weekly contact);
- ``downgrade``: the last ``no_intent_contacts`` contacts or more showed no purchase
  intent (high/medium): the customer's tier should come down;
- ``dormant_high_value``: fund-size band at least ``min_fund_band`` and no contact
  for ``dormant_days``: worth waking up.

Takes a session, never commits; only customers within the principal's scope.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight.auth import Principal
from callsight.db.models import Call
from callsight.db.tags import CustomerTag, TagObservationRow
from callsight.errors import InvalidInput
from callsight.services.tag_views import Provenance
from callsight.services.tags import aware, customer_scope, is_current
from nlp.tags import FUND_BANDS

WARM = ("high", "medium")


@dataclass(frozen=True)
class CadenceParams:
    opening_days: int = 7
    warm_days: int = 30
    no_intent_contacts: int = 3
    dormant_days: int = 90
    min_fund_band: str = "500k_1m"
    branch_id: int | None = None
    limit: int = 200


@dataclass(frozen=True, slots=True)
class OpenOpening:
    customer: str
    type: str
    opened_at: str
    days_open: float | None
    taken: bool | None
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class WarmNotContacted:
    customer: str
    intent_level: str
    last_contact: str | None
    days_since_contact: float


@dataclass(frozen=True, slots=True)
class Downgrade:
    customer: str
    contacts_without_intent: int
    current_level: str | None
    last_intent_at: str | None
    suggested_level: str = "low"


@dataclass(frozen=True, slots=True)
class DormantHighValue:
    customer: str
    fund_size: str
    last_contact: str | None
    days_since_contact: float


@dataclass(slots=True)
class CadenceSignals:
    """The four signal lists (the JSON keys of GET /v1/signals/cadence)."""

    open_openings: list[OpenOpening] = field(default_factory=list)
    warm_not_contacted: list[WarmNotContacted] = field(default_factory=list)
    downgrade: list[Downgrade] = field(default_factory=list)
    dormant_high_value: list[DormantHighValue] = field(default_factory=list)


def _days(now: datetime, then: datetime | None) -> float | None:
    return None if then is None else round((now - then).total_seconds() / 86400.0, 1)


def cadence(session: Session, principal: Principal, p: CadenceParams, now: datetime) -> CadenceSignals:
    if p.min_fund_band not in FUND_BANDS:
        raise InvalidInput(f"unknown min_fund_band '{p.min_fund_band}' (one of: {', '.join(FUND_BANDS)})",
                           details={"parameter": "min_fund_band"})
    scope = customer_scope(principal)
    if p.branch_id is not None:
        scope = scope.where(Call.branch_id == p.branch_id)
    tags: dict[str, dict[str, list[CustomerTag]]] = defaultdict(lambda: defaultdict(list))
    for t in session.scalars(select(CustomerTag).where(
            CustomerTag.customer_code.in_(scope),
            CustomerTag.key.in_(("upsell_opening", "intent_level", "fund_size", "last_contact")))):
        tags[t.customer_code][t.key].append(t)
    # Contacts and intent evidence per customer, newest first, for the downgrade signal.
    history: dict[str, list[tuple[datetime, str, str]]] = defaultdict(list)
    for o in session.scalars(select(TagObservationRow).where(
            TagObservationRow.customer_code.in_(scope),
            TagObservationRow.key.in_(("last_contact", "intent_level")))):
        at = aware(o.observed_at)
        assert at is not None
        history[o.customer_code].append((at, o.key, o.value))

    out = CadenceSignals()
    min_rank = FUND_BANDS.index(p.min_fund_band)
    for customer, by_key in sorted(tags.items()):
        seen = [d for t in by_key["last_contact"] if (d := aware(t.last_seen)) is not None]
        last = max(seen, default=None)
        since = _days(now, last)
        for t in by_key["upsell_opening"]:
            opened = aware(t.last_seen)
            if is_current(t, now) and opened is not None and (last is None or last <= opened) \
                    and (now - opened).days >= p.opening_days:
                # The detail column holds what derive_tags recorded for the opening: {"taken": bool}.
                taken = (t.detail or {}).get("taken")
                out.open_openings.append(OpenOpening(customer, t.value, opened.isoformat(), _days(now, opened), taken,
                                                     Provenance(t.call_id, t.segment, t.words)))
        level = next((t for t in by_key["intent_level"] if is_current(t, now)), None)
        if level is not None and level.value in WARM and since is not None and since >= p.warm_days:
            out.warm_not_contacted.append(WarmNotContacted(customer, level.value, last.isoformat() if last else None,
                                                           since))
        fund = next((t for t in by_key["fund_size"] if is_current(t, now)), None)
        if fund is not None and fund.value in FUND_BANDS and FUND_BANDS.index(fund.value) >= min_rank \
                and since is not None and since >= p.dormant_days:
            out.dormant_high_value.append(DormantHighValue(customer, fund.value, last.isoformat() if last else None,
                                                           since))
        # Newest first; within one call its intent evidence comes before its contact.
        events = sorted(history.get(customer, []), key=lambda e: (e[0], e[1] == "intent_level"), reverse=True)
        without = 0
        last_intent: datetime | None = None
        for at, key, value in events:
            if key == "intent_level" and value in WARM:
                last_intent = at
                break
            without += key == "last_contact"
        if without >= p.no_intent_contacts:
            out.downgrade.append(Downgrade(customer, without, level.value if level else None,
                                           last_intent.isoformat() if last_intent else None))
    del out.open_openings[p.limit :], out.warm_not_contacted[p.limit :], out.downgrade[p.limit :]
    del out.dormant_high_value[p.limit :]
    return out


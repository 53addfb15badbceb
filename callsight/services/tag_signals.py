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
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight.auth import Principal
from callsight.db.models import Call
from callsight.db.tags import CustomerTag, TagObservationRow
from callsight.errors import InvalidInput
from callsight.services.tags import aware, customer_scope, is_current, tag_json
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


def _days(now: datetime, then: datetime | None) -> float | None:
    return None if then is None else round((now - then).total_seconds() / 86400.0, 1)


def cadence(session: Session, principal: Principal, p: CadenceParams, now: datetime) -> dict[str, list[dict[str, Any]]]:
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

    out: dict[str, list[dict[str, Any]]] = {"open_openings": [], "warm_not_contacted": [], "downgrade": [],
                                            "dormant_high_value": []}
    min_rank = FUND_BANDS.index(p.min_fund_band)
    for customer, by_key in sorted(tags.items()):
        seen = [d for t in by_key.get("last_contact", []) if (d := aware(t.last_seen)) is not None]
        last = max(seen, default=None)
        since = _days(now, last)
        for t in by_key.get("upsell_opening", []):
            opened = aware(t.last_seen)
            if is_current(t, now) and opened is not None and (last is None or last <= opened) \
                    and (now - opened).days >= p.opening_days:
                out["open_openings"].append({"customer": customer, "type": t.value, "opened_at": opened.isoformat(),
                                             "days_open": _days(now, opened), "taken": (t.detail or {}).get("taken"),
                                             "provenance": tag_json(t, now)["provenance"]})
        level = next((t for t in by_key.get("intent_level", []) if is_current(t, now)), None)
        if level is not None and level.value in WARM and since is not None and since >= p.warm_days:
            out["warm_not_contacted"].append({"customer": customer, "intent_level": level.value,
                                              "last_contact": last.isoformat() if last else None,
                                              "days_since_contact": since})
        fund = next((t for t in by_key.get("fund_size", []) if is_current(t, now)), None)
        if fund is not None and fund.value in FUND_BANDS and FUND_BANDS.index(fund.value) >= min_rank \
                and since is not None and since >= p.dormant_days:
            out["dormant_high_value"].append({"customer": customer, "fund_size": fund.value,
                                              "last_contact": last.isoformat() if last else None,
                                              "days_since_contact": since})
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
            out["downgrade"].append({"customer": customer, "contacts_without_intent": without,
                                     "current_level": level.value if level else None,
                                     "last_intent_at": last_intent.isoformat() if last_intent else None,
                                     "suggested_level": "low"})
    for items in out.values():
        del items[p.limit :]
    return out


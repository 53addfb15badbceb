"""Client tags (客户标签): a customer's current tags and their history, customers by
tag, contact-cadence signals, and the CRM export. Every role may call these; each
sees only customers with calls in its scope (manager: its branches; agent: its
own calls). Tag keys and values: docs/client-tags.md."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterable
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import select

from api.deps import PrincipalDep, SessionDep
from api.params import Offset
from callsight.auth import Principal, Role, scope_by
from callsight.db.models import Branch, Call, utcnow
from callsight.errors import Forbidden
from callsight.services import tag_signals
from callsight.services import tags as svc
from callsight.services.calls import find_branch
from callsight.services.tag_views import Provenance as TagProvenance
from callsight.services.tag_views import TagView
from core.jsonio import JsonObject, to_json

router = APIRouter(prefix="/v1", tags=["client tags"])


class Provenance(BaseModel):
    call_id: str | None
    segment: int | None
    words: str


class TagOut(BaseModel):
    key: str
    label: str
    value: str
    confidence: float  # decayed to now
    base_confidence: float
    first_seen: str | None
    last_seen: str | None
    expires_at: str | None
    observations: int
    current: bool
    provenance: Provenance
    detail: JsonObject  # the detail column as stored (docs/client-tags.md)


class CustomerTags(BaseModel):
    customer: str
    as_of: str
    tags: list[TagOut]


class TagEventOut(BaseModel):
    at: str | None
    key: str
    change: str
    value: str
    previous_value: str | None
    confidence: float | None
    trigger_call_id: str | None
    provenance: Provenance


class ObservationOut(BaseModel):
    key: str
    value: str
    confidence: float
    observed_at: str | None
    expires_at: str | None
    status: str  # current | superseded | outweighed
    provenance: Provenance
    detail: JsonObject


class TagHistory(BaseModel):
    customer: str
    changes: list[TagEventOut]
    observations: list[ObservationOut]


class CustomerMatch(BaseModel):
    customer: str
    tags: list[TagOut]


class CustomerList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[CustomerMatch]


# A customer's tags are built from all their calls; evidence (call id, segment, words)
# from a call outside the principal's scope is blanked, so a manager or agent who shares
# the customer learns the tag but nothing of another branch's or agent's call.
HIDDEN = TagProvenance(None, None, "")


def _foreign(session: SessionDep, principal: Principal, ids: Iterable[str | None]) -> set[str]:
    """The call ids among ``ids`` outside the principal's scope."""
    wanted = {i for i in ids if i}
    if principal.all_branches or not wanted:
        return set()
    return wanted - set(session.scalars(scope_by(select(Call.id).where(Call.id.in_(wanted)), principal,
                                                 Call.branch_id, Call.agent_code)))


def _tags_out(session: SessionDep, principal: Principal, views: list[TagView]) -> list[TagOut]:
    foreign = _foreign(session, principal, (v.provenance.call_id for v in views))
    return [TagOut.model_validate(dataclasses.replace(v, provenance=HIDDEN) if v.provenance.call_id in foreign
                                  else v, from_attributes=True) for v in views]


def _branch_filter(session: SessionDep, principal: Principal, branch: str | None) -> int | None:
    if not branch:
        return None
    b: Branch = find_branch(session, branch)
    if not principal.all_branches and principal.role is not Role.agent and b.id not in principal.branch_ids:
        raise Forbidden(f"branch '{branch}' is outside your scope")
    return b.id


@router.get("/customers/{code}/tags", response_model=CustomerTags,
            summary="A customer's current tags, each with its evidence (call, segment, words)")
def customer_tags(session: SessionDep, principal: PrincipalDep, code: str,
                  include_expired: bool = False) -> CustomerTags:
    svc.check_customer(session, principal, code)
    now = utcnow()
    rows = svc.current_rows(session, code, now, include_expired=include_expired)
    tags = _tags_out(session, principal, [svc.tag_view(t, now) for t in rows])
    return CustomerTags(customer=code, as_of=now.isoformat(), tags=tags)


@router.get("/customers/{code}/tags/history", response_model=TagHistory,
            summary="How a customer's tags changed, and every observation with its fate")
def customer_tag_history(session: SessionDep, principal: PrincipalDep, code: str,
                         key: Annotated[str | None, Query(description="only this tag key")] = None) -> TagHistory:
    svc.check_customer(session, principal, code)
    events, observations = svc.history(session, code, key)
    foreign = _foreign(session, principal, [i for e in events for i in (e.call_id, e.trigger_call_id)]
                       + [o.provenance.call_id for o in observations])
    changes = []
    for e in events:
        at = svc.aware(e.at)
        hidden = e.call_id in foreign
        prov = HIDDEN if hidden else TagProvenance(e.call_id, e.segment, e.words)
        # A change triggered by a foreign call keeps its trigger hidden even when its evidence
        # is ours; one whose evidence is foreign hides its trigger too.
        trigger = None if hidden or e.trigger_call_id in foreign else e.trigger_call_id
        changes.append(TagEventOut(at=at.isoformat() if at else None, key=e.key, change=e.change, value=e.value,
                                   previous_value=e.previous_value, confidence=e.confidence, trigger_call_id=trigger,
                                   provenance=Provenance.model_validate(prov, from_attributes=True)))
    return TagHistory(customer=code, changes=changes, observations=[
        ObservationOut.model_validate(dataclasses.replace(o, provenance=HIDDEN) if o.provenance.call_id in foreign
                                      else o, from_attributes=True) for o in observations])


@router.get("/customers", response_model=CustomerList,
            summary="Customers by tag, e.g. ?tag=maturity_date&within_days=30&branch=城东支行")
def customers_by_tag(
    session: SessionDep, principal: PrincipalDep,
    tag: Annotated[str, Query(description="tag key (docs/client-tags.md)", examples=["maturity_date"])],
    value: Annotated[str | None, Query(description="only this value", examples=["high"])] = None,
    within_days: Annotated[int | None, Query(ge=0, le=3650, description=(
        "maturity_date: falls from today to today+N; other tags: seen in the last N days"))] = None,
    branch: Annotated[str | None, Query(description="customers with calls in this branch (name or code)")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> CustomerList:
    q = svc.TagQuery(tag, value, within_days, _branch_filter(session, principal, branch), limit, offset)
    now = utcnow()
    items, total = svc.customers_by_tag(session, principal, q, now)
    return CustomerList(total=total, limit=limit, offset=offset, items=[
        CustomerMatch(customer=c, tags=_tags_out(session, principal, [svc.tag_view(t, now) for t in ts]))
        for c, ts in items])


@router.get("/signals/cadence", summary="Contact-cadence signals (open openings, warm, downgrade, dormant)")
def cadence_signals(
    session: SessionDep, principal: PrincipalDep,
    opening_days: Annotated[int, Query(ge=0, le=365)] = 7,
    warm_days: Annotated[int, Query(ge=1, le=3650)] = 30,
    no_intent_contacts: Annotated[int, Query(ge=1, le=100)] = 3,
    dormant_days: Annotated[int, Query(ge=1, le=3650)] = 90,
    min_fund_band: Annotated[str, Query(description="lt_50k … 3m_plus")] = "500k_1m",
    branch: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
) -> JsonObject:
    params = tag_signals.CadenceParams(opening_days, warm_days, no_intent_contacts, dormant_days, min_fund_band,
                                       _branch_filter(session, principal, branch), limit)
    now = utcnow()
    return {"as_of": now.isoformat(), "params": {
        "opening_days": opening_days, "warm_days": warm_days, "no_intent_contacts": no_intent_contacts,
        "dormant_days": dormant_days, "min_fund_band": min_fund_band, "branch": branch},
        **to_json(tag_signals.cadence(session, principal, params, now))}


EXPORT_COLUMNS = ("customer", "key", "value", "confidence", "first_seen", "last_seen", "expires_at", "call_id",
                  "segment", "words")


@router.get("/tags/export", summary="Every current tag of the customers in your scope (JSON Lines or CSV)",
            response_class=Response)
def export_tags(session: SessionDep, principal: PrincipalDep,
                format: Annotated[Literal["jsonl", "csv"], Query(description="jsonl or csv")] = "jsonl") -> Response:
    tags = svc.export_rows(session, principal, utcnow())
    foreign = _foreign(session, principal, (t.call_id for t in tags))
    rows = [to_json(t.hide_evidence() if t.call_id in foreign else t) for t in tags]
    if format == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        # A BOM so spreadsheet programs read the Chinese evidence as UTF-8.
        return Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="client-tags.csv"'})
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return Response(body, media_type="application/x-ndjson; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="client-tags.jsonl"'})

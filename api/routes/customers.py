"""Client tags (客户标签): a customer's current tags and their history, customers by
tag, contact-cadence signals, and the CRM export. Every role may call these; each
sees only customers with calls in its scope (manager: its branches; agent: its
own calls). Tag keys and values: docs/client-tags.md."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any, Literal

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
    detail: dict[str, Any]


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


class TagHistory(BaseModel):
    customer: str
    changes: list[TagEventOut]
    observations: list[dict[str, Any]]


class CustomerMatch(BaseModel):
    customer: str
    tags: list[TagOut]


class CustomerList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[CustomerMatch]


def _redact_foreign(session: SessionDep, principal: Principal, items: list[dict[str, Any]],
                    call_key: str = "provenance") -> list[dict[str, Any]]:
    """A customer's tags are built from all their calls; evidence (call id, segment, words)
    from a call outside the principal's scope is blanked, so a manager or agent who shares
    the customer learns the tag but nothing of another branch's or agent's call."""
    if principal.all_branches:
        return items

    def ref(item: dict[str, Any]) -> dict[str, Any]:
        return item[call_key] if call_key else item

    ids = {ref(i)["call_id"] for i in items if ref(i).get("call_id")}
    visible = set(session.scalars(scope_by(select(Call.id).where(Call.id.in_(ids)), principal,
                                           Call.branch_id, Call.agent_code))) if ids else set()
    for item in items:
        r = ref(item)
        if r.get("call_id") and r["call_id"] not in visible:
            r.update(call_id=None, segment=None, words="")
            if item.get("trigger_call_id"):
                item["trigger_call_id"] = None
    return items


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
    tags = _redact_foreign(session, principal, [svc.tag_json(t, now) for t in rows])
    return CustomerTags(customer=code, as_of=now.isoformat(), tags=[TagOut.model_validate(t) for t in tags])


@router.get("/customers/{code}/tags/history", response_model=TagHistory,
            summary="How a customer's tags changed, and every observation with its fate")
def customer_tag_history(session: SessionDep, principal: PrincipalDep, code: str,
                         key: Annotated[str | None, Query(description="only this tag key")] = None) -> TagHistory:
    svc.check_customer(session, principal, code)
    events, observations = svc.history(session, code, key)
    changes = []
    for e in events:
        at = svc.aware(e.at)
        changes.append({"at": at.isoformat() if at else None, "key": e.key, "change": e.change, "value": e.value,
                        "previous_value": e.previous_value, "confidence": e.confidence,
                        "trigger_call_id": e.trigger_call_id,
                        "provenance": {"call_id": e.call_id, "segment": e.segment, "words": e.words}})
    # A change triggered by a foreign call keeps its trigger hidden even when its evidence is ours.
    trig = _redact_foreign(session, principal, [{"call_id": c["trigger_call_id"], "segment": None, "words": ""}
                                                for c in changes], call_key="")
    for c, t in zip(changes, trig, strict=True):
        c["trigger_call_id"] = t["call_id"]
    return TagHistory(customer=code, changes=[TagEventOut.model_validate(c) for c in
                                              _redact_foreign(session, principal, changes)],
                      observations=_redact_foreign(session, principal, observations))


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
        CustomerMatch(customer=c, tags=[TagOut.model_validate(t) for t in _redact_foreign(
            session, principal, [svc.tag_json(t, now) for t in ts])]) for c, ts in items])


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
) -> dict[str, Any]:
    params = tag_signals.CadenceParams(opening_days, warm_days, no_intent_contacts, dormant_days, min_fund_band,
                                       _branch_filter(session, principal, branch), limit)
    now = utcnow()
    return {"as_of": now.isoformat(), "params": {
        "opening_days": opening_days, "warm_days": warm_days, "no_intent_contacts": no_intent_contacts,
        "dormant_days": dormant_days, "min_fund_band": min_fund_band, "branch": branch},
        **tag_signals.cadence(session, principal, params, now)}


EXPORT_COLUMNS = ("customer", "key", "value", "confidence", "first_seen", "last_seen", "expires_at", "call_id",
                  "segment", "words")


@router.get("/tags/export", summary="Every current tag of the customers in your scope (JSON Lines or CSV)",
            response_class=Response)
def export_tags(session: SessionDep, principal: PrincipalDep,
                format: Annotated[Literal["jsonl", "csv"], Query(description="jsonl or csv")] = "jsonl") -> Response:
    rows = _redact_foreign(session, principal, svc.export_rows(session, principal, utcnow()), call_key="")
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

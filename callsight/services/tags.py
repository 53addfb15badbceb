"""Client tags (客户标签): apply one analysed call to its customer's profile, and
read profiles back. Takes a session, never commits.

Observations (callsight/db/tags.py) are the truth. Applying a call replaces that
call's observations and recomputes, from every observation of the customer, the
current tags of each key it touched; the difference to what was current before
becomes change events (the history) and, when a CRM webhook is configured, one
outbox payload per customer delivered after the commit (callsight/webhooks.py).
Re-applying the same call therefore changes nothing and sends nothing.

Merging, per key: several observations of the same value reinforce it (noisy-or of
their confidences, each decayed to the newest); for single-valued keys a different
value replaces the current one when its confidence reaches REPLACE_RATIO of the
current value's decayed confidence (C2 then C4: C4 wins and C2 stays in history),
else it is recorded as outweighed. At read time confidence decays with the kind's
half-life and tags past their expiry (or decayed below MIN_CONFIDENCE) leave "current".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, or_, select
from sqlalchemy.orm import Session

from callsight import webhooks
from callsight.auth import Principal, scope_calls
from callsight.config import settings
from callsight.db.models import Call, utcnow
from callsight.db.tags import CustomerTag, TagChange, TagEvent, TagObservationRow, TagOutbox
from callsight.errors import Forbidden, InvalidInput, NotFound
from callsight.services.results import load_result
from callsight.services.tag_views import ExportRow, ObservationView, Provenance, TagView
from core.jsonio import JsonObject, to_json
from nlp.tags import TAG_KINDS, CallContext, TagKind, derive_tags

REPLACE_RATIO = 0.8
MIN_CONFIDENCE = 0.1
DATE_KEYS = frozenset({"maturity_date"})


def aware(dt: datetime | None) -> datetime | None:
    """UTC-aware datetime; SQLite hands back naive values, which were stored as UTC."""
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def decayed(confidence: float, kind: TagKind, since: datetime, at: datetime) -> float:
    if kind.half_life_days is None:
        return confidence
    age_days = max(0.0, (at - since).total_seconds() / 86400.0)
    return confidence * 0.5 ** (age_days / kind.half_life_days)


# --------------------------------------------------------------------------- merging

@dataclass
class _State:
    value: str
    confidence: float
    first_seen: datetime
    last_seen: datetime
    expires_at: datetime | None
    latest: TagObservationRow
    members: list[int] = field(default_factory=list)

    @classmethod
    def start(cls, o: TagObservationRow) -> _State:
        at = aware(o.observed_at)
        assert at is not None
        return cls(o.value, o.confidence, at, at, aware(o.expires_at), o, [o.id])

    def expired_at(self, at: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= at

    def reinforce(self, o: TagObservationRow, kind: TagKind) -> None:
        at = aware(o.observed_at)
        assert at is not None
        prior = decayed(self.confidence, kind, self.last_seen, at)
        self.confidence = min(0.99, 1 - (1 - prior) * (1 - o.confidence))
        if at >= self.last_seen:
            self.last_seen, self.latest = at, o
        exp = aware(o.expires_at)
        self.expires_at = None if exp is None or self.expires_at is None else max(exp, self.expires_at)
        self.members.append(o.id)


def merge(rows: list[TagObservationRow], kind: TagKind) -> tuple[dict[str, _State], dict[int, str]]:
    """The current state per value, and each observation's fate (current / superseded /
    outweighed). ``rows`` are one customer's observations of one key."""
    rows = sorted(rows, key=lambda r: (aware(r.observed_at), r.id))
    fate: dict[int, str] = {}
    states: dict[str, _State] = {}
    for o in rows:
        at = aware(o.observed_at)
        assert at is not None
        if kind.multi:
            st = states.get(o.value)
            if st is None or st.expired_at(at):
                fate.update(dict.fromkeys(st.members if st else [], "superseded"))
                states[o.value] = _State.start(o)
            else:
                st.reinforce(o, kind)
            continue
        cur = next(iter(states.values()), None)
        if cur is None or cur.expired_at(at):
            fate.update(dict.fromkeys(cur.members if cur else [], "superseded"))
            states = {o.value: _State.start(o)}
        elif o.value == cur.value:
            cur.reinforce(o, kind)
        elif o.confidence >= REPLACE_RATIO * decayed(cur.confidence, kind, cur.last_seen, at):
            fate.update(dict.fromkeys(cur.members, "superseded"))
            states = {o.value: _State.start(o)}
        else:
            fate[o.id] = "outweighed"
    for st in states.values():
        fate.update(dict.fromkeys(st.members, "current"))
    return states, fate


# --------------------------------------------------------------------------- applying a call

@dataclass(frozen=True)
class Change:
    customer: str
    key: str
    change: TagChange
    value: str
    previous_value: str | None
    tag: CustomerTag | None


def _value_date(key: str, value: str) -> date | None:
    if key not in DATE_KEYS:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class _TagFields:
    """The columns of a current tag that merging decides (named as CustomerTag's)."""

    confidence: float
    first_seen: datetime
    last_seen: datetime
    expires_at: datetime | None
    observations: int
    call_id: str
    segment: int | None
    words: str
    detail: JsonObject  # the JSON column, as the observation carried it

    @classmethod
    def of(cls, st: _State) -> _TagFields:
        o = st.latest
        return cls(round(st.confidence, 4), st.first_seen, st.last_seen, st.expires_at, len(st.members),
                   o.call_id, o.segment, o.words, dict(o.detail or {}))

    def stored(self, tag: CustomerTag) -> bool:
        """The tag row holds these values already (SQLite hands datetimes back naive)."""
        return self == _TagFields(round(tag.confidence, 4), aware(tag.first_seen) or tag.first_seen,
                                  aware(tag.last_seen) or tag.last_seen, aware(tag.expires_at), tag.observations,
                                  tag.call_id, tag.segment, tag.words, tag.detail)

    def write(self, tag: CustomerTag) -> None:
        tag.confidence, tag.first_seen, tag.last_seen = self.confidence, self.first_seen, self.last_seen
        tag.expires_at, tag.observations, tag.call_id = self.expires_at, self.observations, self.call_id
        tag.segment, tag.words, tag.detail = self.segment, self.words, self.detail


def _recompute(session: Session, customer: str, key: str) -> list[Change]:
    kind = TAG_KINDS[key]
    rows = list(session.scalars(select(TagObservationRow).where(
        TagObservationRow.customer_code == customer, TagObservationRow.key == key)))
    states, _ = merge(rows, kind)
    existing = {t.value: t for t in session.scalars(select(CustomerTag).where(
        CustomerTag.customer_code == customer, CustomerTag.key == key))}
    changes: list[Change] = []
    gone = [v for v in existing if v not in states]
    for value, st in states.items():
        fields = _TagFields.of(st)
        tag = existing.get(value)
        if tag is None:
            tag = CustomerTag(customer_code=customer, key=key, value=value, value_date=_value_date(key, value))
            fields.write(tag)
            session.add(tag)
            previous = gone.pop(0) if gone and not kind.multi else None
            change = TagChange.replaced if previous is not None else TagChange.added
            changes.append(Change(customer, key, change, value, previous, tag))
        elif not fields.stored(tag):
            fields.write(tag)
            changes.append(Change(customer, key, TagChange.refreshed, value, None, tag))
    for value in gone:
        changes.append(Change(customer, key, TagChange.removed, value, None, None))
    for value, tag in existing.items():
        if value not in states:
            session.delete(tag)
    return changes


def apply_call(session: Session, call: Call) -> list[Change]:
    """Replace this call's tag observations with what its result says and bring the
    customer's current tags up to date. Idempotent."""
    old = list(session.scalars(select(TagObservationRow).where(TagObservationRow.call_id == call.id)))
    touched = {(o.customer_code, o.key) for o in old}
    if old:
        session.execute(delete(TagObservationRow).where(TagObservationRow.call_id == call.id))
    result = load_result(call) if call.customer_code and call.result else None
    if call.customer_code and result is not None:
        started = aware(call.started_at) or aware(call.created_at) or utcnow()
        ctx = CallContext(call.customer_code, started, call.direction)
        for ob in derive_tags(result, ctx):
            session.add(TagObservationRow(
                customer_code=call.customer_code, call_id=call.id, key=ob.key, value=ob.value[:100],
                confidence=ob.confidence, segment=ob.segment, words=ob.words,
                observed_at=aware(ob.observed_at) or started, expires_at=aware(ob.expires_at),
                detail=dict(ob.detail)))
            touched.add((call.customer_code, ob.key))
    session.flush()
    changes: list[Change] = []
    for customer, key in sorted(touched):
        changes.extend(_recompute(session, customer, key))
    session.flush()
    for c in changes:
        t = c.tag
        session.add(TagEvent(
            customer_code=c.customer, key=c.key, change=c.change.value, value=c.value,
            previous_value=c.previous_value, confidence=t.confidence if t else None, trigger_call_id=call.id,
            call_id=t.call_id if t else None, segment=t.segment if t else None, words=t.words if t else ""))
    if changes and settings.tags_webhook_url:
        _queue_webhook(session, call.id, changes)
    return changes


def _queue_webhook(session: Session, call_id: str, changes: list[Change]) -> None:
    by_customer: dict[str, list[Change]] = defaultdict(list)
    for c in changes:
        by_customer[c.customer].append(c)
    now = utcnow()
    rows = []
    for customer, cs in by_customer.items():
        payload = {
            "type": "customer.tags.changed", "created_at": now.isoformat(), "customer": customer,
            "call_id": call_id,
            "changes": [{"key": c.key, "change": c.change.value, "value": c.value,
                         "previous_value": c.previous_value, **(to_json(tag_view(c.tag, now)) if c.tag else {})}
                        for c in cs],
            "tags": [to_json(tag_view(t, now)) for t in current_rows(session, customer, now)],
        }
        # The first attempt follows the commit; the sweeper only takes rows left behind.
        row = TagOutbox(customer_code=customer, payload=payload,
                        next_attempt_at=now + timedelta(seconds=webhooks.SWEEP_GRACE_S))
        session.add(row)
        rows.append(row)
    session.flush()
    webhooks.deliver_after_commit(session, [r.id for r in rows])


# --------------------------------------------------------------------------- reading

def effective(tag: CustomerTag, now: datetime) -> float:
    last = aware(tag.last_seen)
    assert last is not None
    return decayed(tag.confidence, TAG_KINDS[tag.key], last, now) if tag.key in TAG_KINDS else tag.confidence


def is_current(tag: CustomerTag, now: datetime) -> bool:
    exp = aware(tag.expires_at)
    return (exp is None or exp > now) and effective(tag, now) >= MIN_CONFIDENCE


def _iso(d: datetime | None) -> str | None:
    d = aware(d)
    return d.isoformat() if d else None


def tag_view(tag: CustomerTag, now: datetime) -> TagView:
    kind = TAG_KINDS.get(tag.key)
    return TagView(tag.key, kind.label if kind else tag.key, tag.value, round(effective(tag, now), 3),
                   round(tag.confidence, 3), _iso(tag.first_seen), _iso(tag.last_seen), _iso(tag.expires_at),
                   tag.observations, is_current(tag, now), Provenance(tag.call_id, tag.segment, tag.words),
                   tag.detail or {})


def current_rows(session: Session, customer: str, now: datetime, include_expired: bool = False) -> list[CustomerTag]:
    rows = session.scalars(select(CustomerTag).where(CustomerTag.customer_code == customer)
                           .order_by(CustomerTag.key, CustomerTag.last_seen.desc(), CustomerTag.value))
    return [t for t in rows if include_expired or is_current(t, now)]


def customer_scope(principal: Principal) -> Select[Any]:
    """Customer codes the principal may see: those of calls within its scope."""
    return scope_calls(select(Call), principal).with_only_columns(Call.customer_code).where(
        Call.customer_code.is_not(None))


def check_customer(session: Session, principal: Principal, customer: str) -> None:
    if session.scalar(select(Call.id).where(Call.customer_code == customer).limit(1)) is None:
        raise NotFound(f"no calls with customer '{customer}'")
    if session.scalar(customer_scope(principal).where(Call.customer_code == customer).limit(1)) is None:
        raise Forbidden("this customer has no calls within your scope")


def history(session: Session, customer: str, key: str | None = None) -> tuple[list[TagEvent], list[ObservationView]]:
    """The change log and every observation with its fate (current, superseded, outweighed)."""
    ev = select(TagEvent).where(TagEvent.customer_code == customer)
    ob = select(TagObservationRow).where(TagObservationRow.customer_code == customer)
    if key is not None:
        check_key(key)
        ev, ob = ev.where(TagEvent.key == key), ob.where(TagObservationRow.key == key)
    events = list(session.scalars(ev.order_by(TagEvent.at, TagEvent.id)))
    by_key: dict[str, list[TagObservationRow]] = defaultdict(list)
    for o in session.scalars(ob):
        by_key[o.key].append(o)
    out: list[ObservationView] = []
    for k, rows in sorted(by_key.items()):
        _, fate = merge(rows, TAG_KINDS[k]) if k in TAG_KINDS else ({}, {})
        for o in sorted(rows, key=lambda r: (aware(r.observed_at), r.id)):
            out.append(ObservationView(o.key, o.value, o.confidence, _iso(o.observed_at), _iso(o.expires_at),
                                       fate.get(o.id, "current"), Provenance(o.call_id, o.segment, o.words),
                                       o.detail or {}))
    return events, out


def check_key(key: str) -> None:
    if key not in TAG_KINDS:
        raise InvalidInput(f"unknown tag '{key}' (known: {', '.join(TAG_KINDS)})", code="unknown_tag",
                           details={"parameter": "tag"})


@dataclass(frozen=True)
class TagQuery:
    key: str
    value: str | None = None
    within_days: int | None = None
    branch_id: int | None = None
    limit: int = 100
    offset: int = 0


def customers_by_tag(session: Session, principal: Principal, q: TagQuery,
                     now: datetime) -> tuple[list[tuple[str, list[CustomerTag]]], int]:
    """Customers in scope with a current tag ``key`` (= ``value``); ``within_days``: for a
    date tag (maturity_date) dates from today to today + N, else seen in the last N days."""
    check_key(q.key)
    scope = customer_scope(principal)
    if q.branch_id is not None:
        scope = scope.where(Call.branch_id == q.branch_id)
    stmt = select(CustomerTag).where(CustomerTag.key == q.key, CustomerTag.customer_code.in_(scope),
                                     or_(CustomerTag.expires_at.is_(None), CustomerTag.expires_at > now))
    if q.value is not None:
        stmt = stmt.where(CustomerTag.value == q.value)
    if q.within_days is not None and q.key in DATE_KEYS:
        today = now.date()
        stmt = stmt.where(CustomerTag.value_date >= today,
                          CustomerTag.value_date <= today + timedelta(days=q.within_days))
    elif q.within_days is not None:
        stmt = stmt.where(CustomerTag.last_seen >= now - timedelta(days=q.within_days))
    order = (CustomerTag.value_date, CustomerTag.customer_code) if q.key in DATE_KEYS else (
        CustomerTag.last_seen.desc(), CustomerTag.customer_code)
    grouped: dict[str, list[CustomerTag]] = {}
    for t in session.scalars(stmt.order_by(*order)):
        if is_current(t, now):
            grouped.setdefault(t.customer_code, []).append(t)
    items = list(grouped.items())
    return items[q.offset : q.offset + q.limit], len(items)


def export_rows(session: Session, principal: Principal, now: datetime) -> list[ExportRow]:
    """Every current tag of every customer in scope, flat (one row a tag) for the CRM."""
    stmt = select(CustomerTag).where(CustomerTag.customer_code.in_(customer_scope(principal))).order_by(
        CustomerTag.customer_code, CustomerTag.key, CustomerTag.value)
    out = []
    for t in session.scalars(stmt):
        if is_current(t, now):
            v = tag_view(t, now)
            out.append(ExportRow(t.customer_code, t.key, t.value, v.confidence, v.first_seen, v.last_seen,
                                 v.expires_at, t.call_id, t.segment, t.words))
    return out

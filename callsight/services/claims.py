"""Call claims: at most one running attempt per call, and none lost to a dead worker.

A worker *claims* a call with one conditional UPDATE (so two workers racing for
the same call cannot both win): the claim carries a fresh token, the owner
(host:pid) and a lease that the worker's heartbeat renews. Every later write of
that attempt is fenced by the token, so an attempt that lost its claim (its lease
expired and another worker took over) can no longer store anything. A lease that
is not renewed means its worker died (SIGKILL, out of memory, hard time limit):
the sweeper, or the next delivery of the call's message, re-runs the call.
``tries`` counts the claims since a person last queued the call; past
``settings.max_attempts`` the call is failed for good with a reason.

Services never commit: the caller (the job runner, the sweeper, a route) does.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.orm import Session

from callsight.config import settings
from callsight.db.models import Call, CallStatus, new_id, utcnow

# A call in one of these states still needs a worker; done and failed are final
# until a person asks again (reprocess), which puts the call back to 'queued'.
OPEN_STATES = (CallStatus.queued.value, CallStatus.transcribing.value, CallStatus.analysing.value)
RUNNING_STATES = (CallStatus.transcribing.value, CallStatus.analysing.value)


class ClaimLost(Exception):
    """This attempt no longer holds the call: another attempt took it over after
    the lease expired, or a person requeued it. Its results are dropped."""


@dataclass(frozen=True)
class Claim:
    call_id: str
    token: str
    attempt: int  # the call's attempts counter after this claim (1 = first run)


def owner_id() -> str:
    """Who holds a claim: enough for a person (or a test) to find the process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def aware(dt: datetime | None) -> datetime | None:
    # SQLite hands timezone-aware columns back naive (they are stored as UTC).
    if dt is None:
        return None
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def lease_live(call: Call, now: datetime | None = None) -> bool:
    lease = aware(call.lease_until)
    return call.claim_token is not None and lease is not None and lease > (now or utcnow())


def _claimable(now: datetime) -> object:
    return and_(
        Call.status.in_(OPEN_STATES),
        or_(Call.claim_token.is_(None), Call.lease_until.is_(None), Call.lease_until <= now),
    )


def claim(session: Session, call_id: str, owner: str | None = None) -> Claim | None:
    """Take the call for one attempt; ``None`` when it is not ours to run: gone,
    finished, held by a live lease, or out of attempts (then it is failed here)."""
    now = utcnow()
    token = new_id()
    running = case((Call.source == "audio", CallStatus.transcribing.value), else_=CallStatus.analysing.value)
    res = session.execute(
        update(Call)
        .where(Call.id == call_id, _claimable(now), Call.tries < settings.max_attempts)  # type: ignore[arg-type]
        .values(claim_token=token, claimed_by=(owner or owner_id())[:200],
                lease_until=now + timedelta(seconds=settings.lease_s),
                attempts=Call.attempts + 1, tries=Call.tries + 1, status=running, progress=0.05,
                error=None, error_code=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    call = session.get(Call, call_id, populate_existing=True)
    if call is None:
        return None
    if res.rowcount == 1:  # type: ignore[attr-defined]
        return Claim(call_id=call_id, token=token, attempt=call.attempts)
    if call.status in OPEN_STATES and not lease_live(call, now) and call.tries >= settings.max_attempts:
        give_up(session, call)
    return None


def give_up(session: Session, call: Call, as_of: datetime | None = None) -> None:
    """Fail a call whose attempts are used up; each of them stopped without finishing.
    Re-checked under the row lock: a heartbeat that renewed the lease meanwhile wins."""
    from callsight.services.processing import mark_failed

    locked = session.get(Call, call.id, populate_existing=True, with_for_update={"of": Call})
    if locked is None or lease_live(locked, as_of):
        return
    mark_failed(session, call.id, "attempts_exhausted",
                f"gave up after {call.tries} attempt(s): each stopped without finishing "
                "(worker process killed, out of memory or hard time limit)")


def renew(session: Session, call_id: str, token: str) -> bool:
    """Extend the lease (the heartbeat); False when the claim is no longer ours."""
    now = utcnow()
    res = session.execute(
        update(Call)
        .where(Call.id == call_id, Call.claim_token == token, Call.status.in_(RUNNING_STATES))
        .values(lease_until=now + timedelta(seconds=settings.lease_s))
        .execution_options(synchronize_session=False)
    )
    return bool(res.rowcount == 1)  # type: ignore[attr-defined]


def fence(session: Session, call_id: str, token: str | None) -> Call | None:
    """The call, locked for this transaction (PostgreSQL), if ``token`` still holds it;
    raises ClaimLost otherwise. ``token=None`` (a caller outside any claim) skips the check."""
    stmt = select(Call).where(Call.id == call_id).with_for_update(of=Call)
    call = session.scalars(stmt.execution_options(populate_existing=True)).first()
    if token is not None and (call is None or call.claim_token != token):
        raise ClaimLost(f"call {call_id}: the claim of this attempt was taken over")
    return call


def release(session: Session, call_id: str, token: str) -> bool:
    """Give the call back to the queue (a transient error: the task retries it)."""
    res = session.execute(
        update(Call)
        .where(Call.id == call_id, Call.claim_token == token)
        .values(claim_token=None, claimed_by=None, lease_until=None, status=CallStatus.queued.value,
                progress=0.0, enqueued_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(res.rowcount == 1)  # type: ignore[attr-defined]


def clear(call: Call) -> None:
    call.claim_token = call.claimed_by = None
    call.lease_until = None


def expired(session: Session, now: datetime | None = None) -> list[Call]:
    """Calls left running by an attempt whose lease ran out (or that never had one)."""
    now = now or utcnow()
    return list(session.scalars(
        select(Call).where(Call.status.in_(RUNNING_STATES),
                           or_(Call.lease_until.is_(None), Call.lease_until <= now))
    ))


def recover(session: Session, call: Call, as_of: datetime | None = None) -> bool:
    """Put a call whose lease expired (by ``as_of``) back to 'queued' (True: enqueue it)
    or, out of attempts, fail it. Conditional on the lease still being expired, so a
    heartbeat that renewed it meanwhile wins."""
    now = utcnow()
    as_of = as_of or now
    if call.tries >= settings.max_attempts:
        give_up(session, call, as_of)
        return False
    res = session.execute(
        update(Call)
        .where(Call.id == call.id, Call.status.in_(RUNNING_STATES),
               or_(Call.lease_until.is_(None), Call.lease_until <= as_of))
        .values(claim_token=None, claimed_by=None, lease_until=None, status=CallStatus.queued.value,
                progress=0.0, enqueued_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(res.rowcount == 1)  # type: ignore[attr-defined]

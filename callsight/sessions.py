"""Console sessions and passwords (issue 15).

A console login (API key, user name + password, or single sign-on) creates a row in
``console_sessions``; the browser's cookie holds only a random 256-bit id, the row
its SHA-256. The session ends when it expires (``session_max_age_s``), on logout
(revoked_at), when the user is deactivated, or when its password is changed. The
API key itself never leaves the login request.

Passwords are argon2id (argon2-cffi's defaults); a login for an unknown user still
pays one hash, so timing does not tell which names exist.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from callsight.auth import Principal, principal_of
from callsight.config import settings
from callsight.db.models import User, utcnow
from callsight.db.security import ConsoleSession
from callsight.errors import InvalidInput, NotFound, Unauthorized

SESSION_PREFIX = "css_"
# The error code of a session id that never existed: only that counts as a guess (a
# browser still holding an expired or logged-out cookie is no attacker).
UNKNOWN_SESSION = "session_unknown"
MIN_PASSWORD_LEN = 10


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored one is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def create_session(session: Session, user: User | Principal, method: str) -> str:
    """A new console session for the user; returns the id for the cookie (only this once)."""
    token = SESSION_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    user_id = user.user_id if isinstance(user, Principal) else user.id
    # Housekeeping: rows that ended a day ago serve no audit purpose any more.
    session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at < now - timedelta(days=1)))
    session.add(ConsoleSession(token_hash=_hash(token), user_id=user_id, method=method, created_at=now,
                               expires_at=now + timedelta(seconds=settings.session_max_age_s)))
    session.flush()
    return token


def authenticate_session(session: Session, token: str | None) -> Principal:
    """The principal of a live console session; 401 when unknown, expired or revoked."""
    if not token or not token.startswith(SESSION_PREFIX):
        raise Unauthorized("no console session: log in again", code=UNKNOWN_SESSION)
    row = session.scalar(select(ConsoleSession).where(ConsoleSession.token_hash == _hash(token)))
    if row is None:
        raise Unauthorized("no such console session: log in again", code=UNKNOWN_SESSION)
    if row.revoked_at is not None:
        raise Unauthorized("the console session has ended (logged out): log in again", code="session_invalid")
    if _aware(row.expires_at) <= utcnow():
        raise Unauthorized("the console session has expired: log in again", code="session_expired")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise Unauthorized("the user of this session is deactivated", code="session_invalid")
    return principal_of(user)


def revoke_session(session: Session, token: str | None) -> bool:
    if not token:
        return False
    res = session.execute(update(ConsoleSession)
                          .where(ConsoleSession.token_hash == _hash(token), ConsoleSession.revoked_at.is_(None))
                          .values(revoked_at=utcnow()))
    return bool(getattr(res, "rowcount", 0))


def revoke_user_sessions(session: Session, user_id: int) -> int:
    res = session.execute(update(ConsoleSession)
                          .where(ConsoleSession.user_id == user_id, ConsoleSession.revoked_at.is_(None))
                          .values(revoked_at=utcnow()))
    return int(getattr(res, "rowcount", 0))


def credential_id(token: str) -> str:
    """What rate limits count a session by (never the token itself)."""
    return "s:" + _hash(token)[:32]


# --------------------------------------------------------------------------- passwords


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(16))


def set_password(session: Session, name: str, password: str) -> User:
    """Set (or replace) a user's console password; ends the user's console sessions."""
    if len(password) < MIN_PASSWORD_LEN:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD_LEN} characters")
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFound(f"no user named '{name}'")
    user.password_hash = _hasher().hash(password)
    revoke_user_sessions(session, user.id)
    session.flush()
    return user


def authenticate_password(session: Session, name: str, password: str) -> Principal:
    """The principal for a user name + password; 401 (one message for every cause)."""
    user = session.scalar(select(User).where(User.name == name.strip())) if name.strip() else None
    stored = user.password_hash if user is not None else None
    try:
        ok = _hasher().verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None or not user.active:
        raise Unauthorized("wrong user name or password", code="bad_credentials")
    if _hasher().check_needs_rehash(stored or ""):
        user.password_hash = _hasher().hash(password)
    return principal_of(user)

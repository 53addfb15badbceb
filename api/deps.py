"""Request-scoped dependencies: the database session (owned by the route) and the
authenticated principal, behind the lockout and rate limits (callsight/ratelimit.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from callsight import ratelimit, sessions
from callsight.auth import Principal, authenticate, hash_key
from callsight.config import settings
from callsight.db.session import new_session
from callsight.errors import Unauthorized

# Where api/routes/ui_session.SessionAuth leaves the console cookie's session id.
SESSION_STATE = "console_session"


def get_session() -> Iterator[Session]:
    session = new_session()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def client_ip(conn: HTTPConnection) -> str:
    if settings.trust_forwarded_for:
        forwarded = conn.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return conn.client.host if conn.client else "unknown"


def console_session_id(conn: HTTPConnection) -> str | None:
    value = conn.scope.get("state", {}).get(SESSION_STATE)
    return value if isinstance(value, str) else None


def principal_for(session: Session, ip: str, key: str | None, session_id: str | None) -> Principal:
    """Authenticate an API key, else a console session id, counting failures per address
    (429 once locked out) and requests per credential."""
    ratelimit.check_ip(ip)
    try:
        if key or not session_id:
            principal = authenticate(session, key)
            credential = "k:" + hash_key(key.strip())[:32] if key else ""
        else:
            principal = sessions.authenticate_session(session, session_id)
            credential = sessions.credential_id(session_id)
    except Unauthorized as exc:
        # A request with no credential, or an expired / logged-out session, is not a guess.
        if key or (session_id and exc.code == sessions.UNKNOWN_SESSION):
            ratelimit.record_failure(ip)
        raise
    finally:
        # Authentication only reads; end that transaction so the route starts clean.
        session.rollback()
    ratelimit.check_rate(credential)
    return principal


def get_principal(
    request: Request,
    session: SessionDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    x_api_key: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Principal:
    key = x_api_key
    if authorization:
        scheme, _, value = authorization.partition(" ")
        key = value if scheme.lower() == "bearer" else None
    return principal_for(session, client_ip(request), key, console_session_id(request))


PrincipalDep = Annotated[Principal, Depends(get_principal)]

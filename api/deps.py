"""Request-scoped dependencies: the database session (owned by the route) and the
authenticated principal."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header
from sqlalchemy.orm import Session

from callsight.auth import Principal, authenticate
from callsight.db.session import new_session


def get_session() -> Iterator[Session]:
    session = new_session()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def get_principal(
    session: SessionDep,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    x_api_key: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Principal:
    key = x_api_key
    if authorization:
        scheme, _, value = authorization.partition(" ")
        key = value if scheme.lower() == "bearer" else None
    principal = authenticate(session, key)
    # Authentication only reads; end that transaction so the route starts clean.
    session.rollback()
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]

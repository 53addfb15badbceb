"""API keys, principals and data scopes.

Roles: ``admin`` (everything), ``qa`` (all calls, or only its branches when it has
any), ``manager`` (only its branches), ``agent`` (only its own calls). Personal data
is shown unmasked only to principals with ``can_see_pii``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, false, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from callsight.db.models import Branch, Call, Role, User
from callsight.errors import Forbidden, InvalidInput, Unauthorized

KEY_PREFIX = "cs_"
_S = TypeVar("_S", bound=Select[Any])


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: int
    name: str
    role: Role
    branch_ids: frozenset[int]
    agent_code: str | None
    can_see_pii: bool

    @property
    def all_branches(self) -> bool:
        return self.role is Role.admin or (self.role is Role.qa and not self.branch_ids)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def principal_of(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        name=user.name,
        role=Role(user.role),
        branch_ids=frozenset(b.id for b in user.branches),
        agent_code=user.agent_code,
        can_see_pii=user.can_see_pii or user.role == Role.admin.value,
    )


def authenticate(session: Session, key: str | None) -> Principal:
    if not key:
        raise Unauthorized("missing API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'")
    user = session.scalar(select(User).where(User.api_key_hash == hash_key(key.strip())))
    if user is None or not user.active:
        raise Unauthorized("invalid or revoked API key")
    return principal_of(user)


def require_role(principal: Principal, *roles: Role) -> None:
    if principal.role not in roles:
        allowed = ", ".join(r.value for r in roles)
        raise Forbidden(f"role '{principal.role.value}' may not do this (allowed: {allowed})")


def scope_by(stmt: _S, principal: Principal, branch_col: InstrumentedAttribute[Any],
             agent_col: InstrumentedAttribute[Any]) -> _S:
    """The one data-scope rule, for any query whose rows carry a branch and an agent:
    admin (and QA without branches) everything, an agent only its own rows, everyone
    else only their branches'."""
    if principal.all_branches:
        return stmt
    if principal.role is Role.agent:
        if not principal.agent_code:
            return stmt.where(false())
        return stmt.where(agent_col == principal.agent_code)
    return stmt.where(branch_col.in_(principal.branch_ids))


def scope_calls(stmt: Select[tuple[Call]], principal: Principal) -> Select[tuple[Call]]:
    """Restrict a query over calls to what the principal may read."""
    return scope_by(stmt, principal, Call.branch_id, Call.agent_code)


def can_read_call(principal: Principal, call: Call) -> bool:
    if principal.all_branches:
        return True
    if principal.role is Role.agent:
        return principal.agent_code is not None and call.agent_code == principal.agent_code
    return call.branch_id in principal.branch_ids


def check_can_submit(principal: Principal, branch: Branch | None) -> None:
    """Who may upload a call into which branch."""
    require_role(principal, Role.admin, Role.qa, Role.manager)
    if principal.all_branches:
        return
    if branch is None or branch.id not in principal.branch_ids:
        raise Forbidden("you may only submit calls for your own branches")


def create_user(
    session: Session,
    *,
    name: str,
    role: str,
    branch_names: list[str] | None = None,
    agent_code: str | None = None,
    can_see_pii: bool = False,
    api_key: str | None = None,
) -> tuple[User, str]:
    """Create a user and return it with its API key (shown only this once)."""
    try:
        role_enum = Role(role)
    except ValueError as exc:
        raise InvalidInput(f"unknown role '{role}' (admin, qa, manager, agent)") from exc
    if role_enum is Role.agent and not agent_code:
        raise InvalidInput("an agent user needs an agent code (its 工号)")
    if role_enum is Role.manager and not branch_names:
        raise InvalidInput("a manager needs at least one branch")
    branches: list[Branch] = []
    for bname in branch_names or []:
        branch = session.scalar(select(Branch).where((Branch.name == bname) | (Branch.code == bname)))
        if branch is None:
            raise InvalidInput(f"unknown branch '{bname}'")
        branches.append(branch)
    key = api_key or generate_key()
    user = User(
        name=name,
        role=role_enum.value,
        agent_code=agent_code,
        can_see_pii=can_see_pii,
        api_key_hash=hash_key(key),
        branches=branches,
    )
    session.add(user)
    session.flush()
    return user, key

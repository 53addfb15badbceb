from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.contract import validate_result_responses
from tests.factories import make_branch, make_user


@dataclass
class Keys:
    admin: str
    qa: str
    manager_east: str
    manager_west: str
    agent_1023: str
    agent_1024: str


@pytest.fixture
def client(db: Session) -> Iterator[TestClient]:
    from api.app import app

    with TestClient(app) as c:
        yield validate_result_responses(c)


@pytest.fixture
def keys(db: Session) -> Keys:
    make_branch(db, "城东支行", code="CD01")
    make_branch(db, "城西支行", code="CX01")
    return Keys(
        admin=make_user(db, "admin", name="admin"),
        qa=make_user(db, "qa", name="qa"),
        manager_east=make_user(db, "manager", name="mgr-east", branches=["城东支行"]),
        manager_west=make_user(db, "manager", name="mgr-west", branches=["城西支行"]),
        agent_1023=make_user(db, "agent", name="agent-1023", agent_code="A1023"),
        agent_1024=make_user(db, "agent", name="agent-1024", agent_code="A1024"),
    )

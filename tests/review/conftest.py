"""Fixtures of the review tests: the API fixtures plus senior, second and
branch-limited reviewers; sampling is off unless a test turns it on (call ids are
random, so a non-zero share would make the queue contents random)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight.config import settings
from callsight.db.models import User
from tests.api import conftest as api_fixtures
from tests.api.conftest import Keys
from tests.factories import make_user

# The API fixtures (TestClient, the standard users) are reused as they are.
client = api_fixtures.client
keys = api_fixtures.keys


@dataclass
class Team:
    keys: Keys
    lead: str  # senior qa
    lead2: str  # another senior qa
    qa2: str
    qa_west: str  # qa limited to 城西支行
    ids: dict[str, int]


@pytest.fixture(autouse=True)
def no_sampling(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "review_sample_share", 0.0)


@pytest.fixture
def team(db: Session, keys: Keys) -> Team:
    lead = make_user(db, "qa", name="qa-lead")
    lead2 = make_user(db, "qa", name="qa-lead2")
    qa2 = make_user(db, "qa", name="qa2")
    qa_west = make_user(db, "qa", name="qa-west", branches=["城西支行"])
    users = {u.name: u for u in db.scalars(select(User))}
    users["qa-lead"].is_senior = users["qa-lead2"].is_senior = True
    db.flush()
    return Team(keys, lead, lead2, qa2, qa_west, {name: u.id for name, u in users.items()})

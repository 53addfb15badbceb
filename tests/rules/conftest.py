"""Rule-development tests reuse the API fixtures (client, keys) and add a senior QA reviewer."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight.db.models import User
from tests.api.conftest import client, keys  # noqa: F401  (fixtures)
from tests.factories import make_user


@pytest.fixture
def senior_qa(db: Session) -> str:
    key = make_user(db, "qa", name="qa-lead")
    user = db.scalar(select(User).where(User.name == "qa-lead"))
    assert user is not None
    user.is_senior = True
    db.flush()
    return key

"""Tag tests: one intent model per session (training takes a few seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.intents import IntentModel, train_intents

TRAIN = Path(__file__).resolve().parents[2] / "nlp" / "corpora" / "intents" / "train"


@pytest.fixture(scope="session")
def intent_model() -> IntentModel:
    return train_intents(TRAIN)


# The API fixtures (client, keys: two branches, one user per role) shared with tests/api.
from tests.api.conftest import client, keys  # noqa: E402, F401

"""One intent model per test session: training takes a few seconds."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.intents import IntentModel, train_intents

REPO = Path(__file__).resolve().parents[2]
TRAIN = REPO / "nlp" / "corpora" / "intents" / "train"
TEST = REPO / "data" / "intents" / "test"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def intent_model() -> IntentModel:
    return train_intents(TRAIN)

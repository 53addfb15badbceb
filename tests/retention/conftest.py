"""Retention tests: the API fixtures (client, keys) shared with tests/api, and a clean
data directory per test (the database rolls back; files must go too, or one test's
recording would show up in the next test's scan)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from callsight.config import settings
from tests.api.conftest import client, keys  # noqa: F401


@pytest.fixture(autouse=True)
def _clean_files() -> Iterator[None]:
    yield
    for sub in (settings.audio_dir, settings.report_out_dir or settings.data_dir / "reports",
                settings.data_dir / "results"):
        shutil.rmtree(sub, ignore_errors=True)

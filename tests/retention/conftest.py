"""Retention tests: the API fixtures (client, keys) shared with tests/api, and the
files each test wrote removed after it (the database rolls back; files must go too, or
one test's recording would show up in the next test's scan). Files other tests left
are not touched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from callsight.config import settings
from tests.api.conftest import client, keys  # noqa: F401


def _files() -> set[Path]:
    dirs = (settings.audio_dir, settings.report_out_dir or settings.data_dir / "reports",
            settings.data_dir / "results")
    return {p for d in dirs if d.is_dir() for p in d.rglob("*") if p.is_file()}


@pytest.fixture(autouse=True)
def _remove_new_files() -> Iterator[None]:
    before = _files()
    yield
    for path in _files() - before:
        path.unlink(missing_ok=True)

"""Fixtures of the auth-hardening tests: the API (tests/api) with the limiter's
counters emptied and thresholds set per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from callsight import ratelimit
from callsight.config import Settings, settings
from tests.api.conftest import client, keys  # noqa: F401  (fixtures)


def default(name: str) -> int:
    """The shipped default of a setting (the test environment raises some of them)."""
    value = Settings.model_fields[name].default
    assert isinstance(value, int)
    return value


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The shipped thresholds and a fresh in-process counter."""
    for name in ("auth_max_failures_per_ip", "auth_max_failures_per_user", "auth_failure_window_s",
                 "auth_lockout_s", "rate_limit_per_minute"):
        monkeypatch.setattr(settings, name, default(name))
    monkeypatch.setattr(settings, "rate_limit_redis_url", "")
    ratelimit.counter.cache_clear()
    yield
    ratelimit.counter.cache_clear()

"""The Wilson intervals the quality scorers print next to each precision and recall."""

from __future__ import annotations

import pytest

from bench.intervals import fmt, wilson


def test_wilson_known_values() -> None:
    lo, hi = wilson(19, 30)
    assert lo == pytest.approx(0.455, abs=1e-3) and hi == pytest.approx(0.781, abs=1e-3)
    assert wilson(0, 10)[0] == 0.0 and wilson(10, 10)[1] == 1.0
    assert wilson(0, 0) == (0.0, 1.0)


def test_interval_narrows_with_more_data() -> None:
    a, b = wilson(9, 10), wilson(90, 100)
    assert b[1] - b[0] < a[1] - a[0]


def test_fmt() -> None:
    assert fmt(19, 30) == "0.633 [0.46–0.78]"
    assert fmt(0, 0) == "n/a"

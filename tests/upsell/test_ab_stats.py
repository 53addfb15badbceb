"""upsell/ab_stats.py: the Wilson interval against published values, and the verdicts."""

from __future__ import annotations

import pytest

from upsell.ab_stats import MIN_TRIALS, compare_variants, variant_rate, wilson_interval


@pytest.mark.parametrize(("k", "n", "low", "high"), [
    (5, 10, 0.2366, 0.7634),  # textbook example
    (8, 10, 0.4902, 0.9433),
    (0, 10, 0.0, 0.2775),  # the interval stays inside [0, 1] at the edges
    (10, 10, 0.7225, 1.0),
    (81, 263, 0.2553, 0.3662),  # Wilson (1927) style worked example used in many references
])
def test_wilson_known_values(k: int, n: int, low: float, high: float) -> None:
    lo, hi = wilson_interval(k, n)
    assert lo == pytest.approx(low, abs=1e-4) and hi == pytest.approx(high, abs=1e-4)


def test_wilson_no_trials_and_bad_counts() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_small_samples_are_not_compared() -> None:
    verdict = compare_variants([variant_rate("A", 2, 3), variant_rate("B", 40, 100)])
    assert "样本不足" in verdict and "A" in verdict
    assert not variant_rate("A", 2, 3).enough and variant_rate("B", 10, MIN_TRIALS).enough


def test_clear_difference_and_overlap() -> None:
    assert "显著高于" in compare_variants([variant_rate("A", 60, 100), variant_rate("B", 20, 100)])
    assert "不显著" in compare_variants([variant_rate("A", 22, 100), variant_rate("B", 20, 100)])
    assert "无对照" in compare_variants([variant_rate("A", 1, 100)])

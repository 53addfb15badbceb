"""Statistical tests for trend alerts. Pure: counts in, a verdict out.

Volumes are counts, so they are compared as Poisson rates: given x calls in the
current window (exposure t1 days) and y in the baseline (t0 days), under "no change"
x | x+y ~ Binomial(x+y, t1/(t0+t1)) (the conditional test, exact, which accounts for
the baseline's own noise). Rates (complaints / calls, negative calls / calls) are
compared with the exact binomial test of the current proportion against the
baseline's. Minimum volumes keep small branches from alerting on noise, and a
minimum effect size keeps huge volumes from alerting on trivial moves.
"""

from __future__ import annotations

from dataclasses import dataclass

from scipy.stats import binom


@dataclass(frozen=True, slots=True)
class Verdict:
    significant: bool
    direction: str  # up | down | none
    p_value: float
    observed: float  # current count (volume) or proportion (rate)
    expected: float  # what the baseline predicts for the current window
    reason: str  # why not significant, for debugging ("" when significant)


def _two_sided_tail(k: int, n: int, p: float) -> tuple[float, str]:
    """One tail in the direction of the deviation, doubled (capped at 1)."""
    expected = n * p
    if k >= expected:
        return min(1.0, 2.0 * float(binom.sf(k - 1, n, p))), "up"
    return min(1.0, 2.0 * float(binom.cdf(k, n, p))), "down"


def poisson_rate_test(
    current: int,
    baseline: int,
    current_days: float,
    baseline_days: float,
    *,
    alpha: float = 0.001,
    min_expected: float = 10.0,
    min_ratio: float = 1.5,
) -> Verdict:
    """Has the daily rate of events changed between the baseline and the current window?"""
    if current < 0 or baseline < 0 or current_days <= 0 or baseline_days <= 0:
        raise ValueError("counts must be >= 0 and windows > 0 days")
    expected = baseline * current_days / baseline_days
    if expected < min_expected and current < min_expected:
        return Verdict(False, "none", 1.0, current, expected, "volume below minimum")
    n = current + baseline
    p_value, direction = _two_sided_tail(current, n, current_days / (current_days + baseline_days))
    ratio = (current + 0.5) / (expected + 0.5)
    if ratio < min_ratio and ratio > 1.0 / min_ratio:
        return Verdict(False, direction, p_value, current, expected, "change below minimum effect")
    if p_value >= alpha:
        return Verdict(False, direction, p_value, current, expected, "not significant")
    return Verdict(True, direction, p_value, current, expected, "")


def proportion_test(
    hits: int,
    total: int,
    base_hits: int,
    base_total: int,
    *,
    alpha: float = 0.001,
    min_total: int = 30,
    min_base_total: int = 60,
    min_diff: float = 0.05,
) -> Verdict:
    """Has the share hits/total moved away from the baseline share?"""
    if not (0 <= hits <= total) or not (0 <= base_hits <= base_total):
        raise ValueError("hits must lie between 0 and total")
    if total < min_total or base_total < min_base_total:
        share = hits / total if total else 0.0
        return Verdict(False, "none", 1.0, share, base_hits / base_total if base_total else 0.0,
                          "volume below minimum")
    # Half a hit of smoothing keeps a baseline of zero from making any hit "impossible".
    p0 = (base_hits + 0.5) / (base_total + 1.0)
    share = hits / total
    p_value, direction = _two_sided_tail(hits, total, p0)
    if abs(share - p0) < min_diff:
        return Verdict(False, direction, p_value, share, p0, "change below minimum effect")
    if p_value >= alpha:
        return Verdict(False, direction, p_value, share, p0, "not significant")
    return Verdict(True, direction, p_value, share, p0, "")

"""Conversion per script variant, with an interval (营销话术测试). Pure: counts in.

A rate alone misleads: 2 of 3 looks better than 40 of 100. Each variant gets the
95% Wilson score interval, which stays inside [0, 1] and behaves at 0 and n
successes (the normal approximation does not), and two variants are only called
different when both have enough trials and their intervals do not overlap (a
conservative reading: non-overlapping 95% intervals imply p < 0.05).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["MIN_TRIALS", "Z95", "VariantRate", "compare_variants", "variant_rate", "wilson_interval"]

Z95 = 1.959963984540054
MIN_TRIALS = 30  # below this, a variant's rate is reported but not compared


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion; (0.0, 1.0) when there are no trials."""
    if trials < 0 or successes < 0 or successes > trials:
        raise ValueError(f"need 0 <= successes <= trials, got {successes}/{trials}")
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    z2 = z * z
    denom = 1.0 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denom
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denom
    # Clamp the rounding dust at the edges (0/n gives a tiny negative lower bound).
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True, slots=True)
class VariantRate:
    variant: str
    successes: int
    trials: int
    rate: float | None
    low: float
    high: float
    enough: bool  # trials >= MIN_TRIALS


def variant_rate(variant: str, successes: int, trials: int, min_trials: int = MIN_TRIALS) -> VariantRate:
    low, high = wilson_interval(successes, trials)
    return VariantRate(variant, successes, trials, successes / trials if trials else None, low, high,
                       trials >= min_trials)


def compare_variants(rates: Sequence[VariantRate]) -> str:
    """A short Chinese verdict for a script's variants (shown to managers as is)."""
    if len(rates) < 2:
        return "只有一个版本，无对照"
    small = [r.variant for r in rates if not r.enough]
    if small:
        return f"样本不足（版本 {'、'.join(small)} 的使用次数少于{MIN_TRIALS}），暂不宜比较"
    best = max(rates, key=lambda r: r.low)
    beaten = [r.variant for r in rates if r is not best and r.high < best.low]
    if beaten and len(beaten) == len(rates) - 1:
        return f"版本 {best.variant} 的转化率显著高于版本 {'、'.join(beaten)}（95%区间不重叠）"
    return "各版本的95%区间重叠，差异不显著"

"""95 % intervals for the proportions the quality scorers report.

A precision or recall on a few dozen violations moves by ±0.1 or more from one
sample of calls to the next: each figure is reported with its Wilson score interval
(binomial, z = 1.96), which stays inside [0, 1] and behaves at 0 and n.
"""

from __future__ import annotations

import math

Z95 = 1.96


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of k successes out of n (0..1 for n == 0)."""
    if n <= 0:
        return 0.0, 1.0
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return max(0.0, mid - half), min(1.0, mid + half)


def fmt(k: int, n: int) -> str:
    """"0.833 [0.66–0.93]": the proportion and its 95 % interval; "n/a" when n is 0."""
    if n <= 0:
        return "n/a"
    lo, hi = wilson(k, n)
    return f"{k / n:.3f} [{lo:.2f}–{hi:.2f}]"

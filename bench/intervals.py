"""95 % intervals for the proportions the quality scorers report.

A precision or recall on a few dozen violations moves by ±0.1 or more from one
sample of calls to the next: each figure is reported with its Wilson score interval
(binomial, z = 1.96), which stays inside [0, 1] and behaves at 0 and n.
"""

from __future__ import annotations

from callsight.reports.honest import wilson

Z95 = 1.96
__all__ = ["Z95", "fmt", "wilson"]  # one Wilson interval for reports and benches


def fmt(k: int, n: int) -> str:
    """"0.833 [0.66–0.93]": the proportion and its 95 % interval; "n/a" when n is 0."""
    if n <= 0:
        return "n/a"
    lo, hi = wilson(k, n)
    return f"{k / n:.3f} [{lo:.2f}–{hi:.2f}]"

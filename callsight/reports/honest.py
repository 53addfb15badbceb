"""What a report may say about small numbers. Pure: counts in, words and flags out.

Managers read "转化率100%" from one sale in one try, or "大幅下降" on 3 calls against
7, as facts. The rules here keep the prose to what the counts support:

- a rate is printed as a percentage only from ``MIN_RATE_BASE`` cases on, and then
  with its 95 % Wilson interval in plain words ("约 12%–30%"); below, as "k/n";
- branches are ranked on a rate only from ``MIN_RANK_BASE`` cases on; equal values
  share a rank ("并列第2");
- a change is described (上升/下降) only when an exact test finds it unlikely to be
  chance at ``CHANGE_ALPHA`` (a report sentence, not an alert: alerts use the much
  stricter ``report_alert_alpha``); otherwise it is "无明显变化";
- no p-values reach a manager: "偶然出现的可能性不到千分之一" instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeVar

from scipy.stats import binom, fisher_exact

MIN_RATE_BASE = 10
MIN_RANK_BASE = 30
CHANGE_ALPHA = 0.05
STABLE = "无明显变化"
T = TypeVar("T")


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of k/n (well-behaved at 0 and n, unlike k/n ± 2 SE)."""
    if n <= 0:
        return 0.0, 1.0
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _p(x: float) -> str:
    return f"{x * 100:.0f}%"


def rate_text(k: int, n: int) -> str:
    """``31.0%（约 22%–41%）``; ``1/1（样本过少，不计比率）`` below the minimum."""
    if n <= 0:
        return "无数据"
    if n < MIN_RATE_BASE:
        return f"{k}/{n}（样本过少，不计比率）"
    lo, hi = wilson(k, n)
    return f"{k / n * 100:.1f}%（约 {_p(lo)}–{_p(hi)}）"


def short_rate(k: int, n: int) -> str:
    """For a comparison in parentheses: ``50.0%``, or ``1/2`` below the minimum."""
    if n < MIN_RATE_BASE:
        return f"{k}/{n}" if n else "无数据"
    return f"{k / n * 100:.1f}%"


def enough_for_rate(n: int) -> bool:
    return n >= MIN_RATE_BASE


def count_change_real(cur: int, prev: int, cur_days: float = 1.0, prev_days: float = 1.0) -> bool:
    """Exact conditional test of two Poisson counts (cur | cur+prev is binomial)."""
    n = cur + prev
    if n == 0:
        return False
    share = cur_days / (cur_days + prev_days)
    tail = binom.sf(cur - 1, n, share) if cur >= n * share else binom.cdf(cur, n, share)
    return min(1.0, 2.0 * float(tail)) < CHANGE_ALPHA


def share_change_real(k1: int, n1: int, k0: int, n0: int) -> bool:
    """Fisher's exact test of k1/n1 against k0/n0."""
    if n1 <= 0 or n0 <= 0:
        return False
    _, p = fisher_exact([[k1, n1 - k1], [k0, n0 - k0]])
    return float(p) < CHANGE_ALPHA


def chance_words(p_value: float) -> str:
    """A p-value as a manager reads it."""
    if p_value < 0.001:
        return "偶然出现的可能性不到千分之一"
    if p_value < 0.01:
        return "偶然出现的可能性不到百分之一"
    return f"偶然出现的可能性约{max(1, round(p_value * 100))}%"


def competition_ranks(items: Sequence[T], value: Callable[[T], float], *, higher_better: bool) -> list[int]:
    """1, 2, 2, 4 …: equal values share the better rank (items in any order)."""
    vals = [round(value(i), 9) for i in items]
    sign = -1 if higher_better else 1
    return [1 + sum(1 for w in vals if sign * w < sign * v) for v in vals]


def rank_text(rank: int, tied: bool) -> str:
    return f"并列第{rank}" if tied else f"第{rank}"


def leaders(items: Sequence[T], value: Callable[[T], float]) -> list[T]:
    """Every item that shares the top value (ties named, not hidden)."""
    if not items:
        return []
    top = max(value(i) for i in items)
    return [i for i in items if value(i) == top]

"""Inter-rater agreement for QA calibration: Cohen's kappa (two reviewers) and
Fleiss' kappa (any number of reviewers rating every item). Pure functions.

Kappa is undefined when chance agreement is already 1 (every rating in one
category): the functions then return ``kappa=None`` next to the observed
agreement, rather than inventing a number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Agreement:
    method: Literal["cohen", "fleiss"]
    items: int
    raters: int
    observed: float  # P_o (Cohen) / mean per-item agreement P-bar (Fleiss)
    expected: float  # chance agreement P_e
    kappa: float | None


def _kappa(observed: float, expected: float) -> float | None:
    if expected >= 1.0 - 1e-12:
        return None
    return (observed - expected) / (1.0 - expected)


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> Agreement:
    """Cohen's kappa of two raters; ``pairs[i]`` = (rater A's label, rater B's label) for item i."""
    n = len(pairs)
    if n == 0:
        raise ValueError("cohen_kappa needs at least one item rated by both raters")
    observed = sum(1 for a, b in pairs if a == b) / n
    ca = Counter(a for a, _ in pairs)
    cb = Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    return Agreement("cohen", n, 2, observed, expected, _kappa(observed, expected))


def fleiss_kappa(counts: Sequence[Mapping[Hashable, int]]) -> Agreement:
    """Fleiss' kappa; ``counts[i]`` maps category -> how many raters put item i in it.

    Every item must have the same number of raters (at least two)."""
    n_items = len(counts)
    if n_items == 0:
        raise ValueError("fleiss_kappa needs at least one item")
    raters = sum(counts[0].values())
    if raters < 2:
        raise ValueError("fleiss_kappa needs at least two raters per item")
    if any(sum(c.values()) != raters for c in counts):
        raise ValueError("fleiss_kappa needs the same number of raters for every item")
    totals: Counter[Hashable] = Counter()
    p_items = 0.0
    for c in counts:
        totals.update(c)
        p_items += (sum(v * v for v in c.values()) - raters) / (raters * (raters - 1))
    observed = p_items / n_items
    expected = sum((t / (n_items * raters)) ** 2 for t in totals.values())
    return Agreement("fleiss", n_items, raters, observed, expected, _kappa(observed, expected))


def agreement(ratings: Sequence[Sequence[Hashable]]) -> Agreement:
    """Kappa for items each rated by the same raters, in the same rater order:
    Cohen's for two raters, Fleiss' for more."""
    if not ratings:
        raise ValueError("no items to compare")
    width = len(ratings[0])
    if width < 2 or any(len(r) != width for r in ratings):
        raise ValueError("every item needs a rating from each of the same two or more raters")
    if width == 2:
        return cohen_kappa([(r[0], r[1]) for r in ratings])
    return fleiss_kappa([Counter(r) for r in ratings])

"""The typed content of a branch report: a comparison value (``Change``: previous and
current period) and one frozen record per report section. build.py fills them from the
SQL aggregates, prose.py and suggest.py read them, and ``to_json`` (core.jsonio) turns
them into the stored report JSON at the end: field order is the JSON key order, and
``OMIT_NONE`` fields are left out while None (keys older reports never had).

Adding a report section touches: this module (its record, a field of ``Sections``),
build.py (the function that fills it), prose.py (its sentences), and, when it is shown,
the template (templates/branch.html, and render.py for a chart) and maybe suggest.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from core.jsonio import OMIT_NONE

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Change(Generic[T]):
    """One figure in the period compared with (``previous``) and in the report's period."""

    previous: T
    current: T


@dataclass(frozen=True, slots=True)
class Counts:
    """Call counts of one period (and one branch, or all of a peer group)."""

    calls: int = 0
    openings: int = 0
    taken: int = 0
    converted: int = 0
    complaints: int = 0
    high_risk: int = 0
    negative: int = 0


# --------------------------------------------------------------------------- 问询方向


@dataclass(frozen=True, slots=True)
class IntentItem:
    intent: str
    label: str
    count: int
    share: float
    prev_count: int
    prev_share: float
    trend: str
    link: str
    samples: tuple[str, ...] | None = field(default=None, metadata=OMIT_NONE)  # the top three only


@dataclass(frozen=True, slots=True)
class IntentsSection:
    items: tuple[IntentItem, ...]
    prose: tuple[str, ...]


# --------------------------------------------------------------------------- 服务营销


@dataclass(frozen=True, slots=True)
class Rank:
    rank: int | None  # None: too few cases to be ranked
    of: int
    tied: bool
    text: str
    word: str


@dataclass(frozen=True, slots=True)
class Ranks:
    taken_rate: Rank | None = field(default=None, metadata=OMIT_NONE)
    openings_per_call: Rank | None = field(default=None, metadata=OMIT_NONE)
    conversion_rate: Rank | None = field(default=None, metadata=OMIT_NONE)
    complaint_rate: Rank | None = field(default=None, metadata=OMIT_NONE)


@dataclass(frozen=True, slots=True)
class Peers:
    by: str
    value: str | None
    label: str
    size: int
    ranks: Ranks
    avg_taken_rate: float
    min_base: int
    distribution: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class AgentMarketing:
    agent: str
    calls: int
    openings: int
    taken: int
    taken_rate: float
    taken_text: str
    link: str


@dataclass(frozen=True, slots=True)
class MarketingLinks:
    openings: str
    taken: str
    converted: str


@dataclass(frozen=True, slots=True)
class MarketingSection:
    openings: int
    taken: int
    converted: int
    taken_rate: float
    conversion_rate: float
    taken_text: str
    conversion_text: str
    prev_openings: int
    prev_taken: int
    prev_taken_rate: float
    prev_converted: int
    agents: tuple[AgentMarketing, ...]
    links: MarketingLinks
    peers: Peers | None
    prose: tuple[str, ...] = ()


# --------------------------------------------------------------------------- 投诉


@dataclass(frozen=True, slots=True)
class CategoryItem:
    category: str
    count: int
    prev_count: int
    trend: str
    link: str


@dataclass(frozen=True, slots=True)
class StaffItem:
    agent: str
    count: int
    link: str


@dataclass(frozen=True, slots=True)
class StatusItem:
    state: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class ComplaintLinks:
    total: str
    high_risk: str


@dataclass(frozen=True, slots=True)
class ComplaintsSection:
    total: int
    prev_total: int
    rate: float
    rate_text: str
    change_real: bool
    categories: tuple[CategoryItem, ...]
    status: Mapping[str, int] | None  # review state -> calls; None without the review module
    staff: tuple[StaffItem, ...]
    repeat_customers: int
    repeat_calls: int
    repeat_days: int
    high_risk: int
    high_risk_calls: tuple[str, ...]
    links: ComplaintLinks
    status_items: tuple[StatusItem, ...] | None = field(default=None, metadata=OMIT_NONE)
    prose: tuple[str, ...] = ()


# --------------------------------------------------------------------------- 质检


@dataclass(frozen=True, slots=True)
class RuleRate:
    rule: str
    title: str
    applicable: int
    passed: int
    prev_applicable: int
    prev_passed: int
    link: str
    rate: float
    prev_rate: float
    rate_text: str


@dataclass(frozen=True, slots=True)
class AgentScore:
    agent: str
    calls: int
    service: float
    marketing: float | None
    prev_service: float | None
    link: str
    delta: float | None


@dataclass(frozen=True, slots=True)
class QualitySection:
    available: bool
    rules: tuple[RuleRate, ...] = ()
    agents: tuple[AgentScore, ...] = ()
    improved: tuple[AgentScore, ...] = ()
    coaching: tuple[AgentScore, ...] = ()
    overall: float = 0.0
    prev_overall: float = 0.0
    overall_change_real: bool | None = field(default=None, metadata=OMIT_NONE)  # None: no review data
    prose: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Sections:
    intents: IntentsSection
    marketing: MarketingSection
    complaints: ComplaintsSection
    quality: QualitySection

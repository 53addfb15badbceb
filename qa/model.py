"""Value types of the compliance engine: rules, packs, context and results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from core.enums import Direction
from core.result import Compliance, EvidenceSpan, FindingRecord

if TYPE_CHECKING:
    from qa.conditions import Condition

Severity = Literal["fatal", "major", "minor"]
Scope = Literal["agent", "customer", "any"]
Mode = Literal["must", "must_not"]
SEVERITIES: tuple[str, ...] = ("fatal", "major", "minor")
SCOPES: tuple[str, ...] = ("agent", "customer", "any")
MODES: tuple[str, ...] = ("must", "must_not")


@dataclass(frozen=True, slots=True)
class CallContext:
    """What is known about the call besides its transcript, flattened from meta/analysis.

    ``customer_risk_level`` is 1..5 (C1..C5) or None. ``values`` holds every
    meta and analysis key under ``meta.<key>`` / ``analysis.<path>`` for the
    generic ``meta`` operator.
    """

    direction: Direction | None = None
    intent_ids: tuple[str, ...] = ()
    customer_risk_level: int | None = None
    product_recommended: bool | None = None
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScorecardDef:
    """One scorecard (服务质量 / 营销): its items are the rules naming it."""

    id: str
    title: str
    # A failed fatal item (一票否决) sets the card to this score.
    fatal_score: float = 0.0
    # Also vetoed by a failed fatal item of any other card: the service card of a call
    # with a fatal promise must not read 100 (issue 14), while each card keeps its own items.
    any_fatal: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    severity: Severity
    scorecard: str | None
    weight: float
    scope: Scope
    mode: Mode
    condition: Condition
    applies_when: Condition | None = None
    description: str = ""
    source: str = ""
    # Helper rules (anchors such as "a product was recommended") are evaluated for
    # other rules to refer to but produce no finding.
    report: bool = True

    def deps(self) -> set[str]:
        out = set(self.condition.rule_refs())
        if self.applies_when is not None:
            out |= self.applies_when.rule_refs()
        return out


@dataclass(frozen=True, slots=True)
class RulePack:
    version: str
    rules: tuple[Rule, ...]  # in evaluation order: a rule comes after every rule it refers to
    scorecards: tuple[ScorecardDef, ...] = ()
    sources: tuple[str, ...] = ()
    # Reported rule ids in declaration order (file name, then position): findings come out in it.
    order: tuple[str, ...] = ()

    def get(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return self.order or tuple(r.id for r in self.rules if r.report)


# A finding's evidence is the result's own record: a segment, its times and its text.
Evidence = EvidenceSpan


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    title: str
    severity: Severity
    passed: bool
    applicable: bool
    evidence: tuple[Evidence, ...]
    confidence: float

    @classmethod
    def from_record(cls, r: FindingRecord) -> Finding:
        return cls(r.rule, r.title, r.severity, r.passed, r.applicable,
                   tuple(Evidence(e.segment, e.start, e.end, e.text) for e in r.evidence), r.confidence)

    def record(self) -> FindingRecord:
        return FindingRecord(self.rule, self.title, self.severity, self.passed, self.applicable,
                             self.evidence, self.confidence)


@dataclass(frozen=True, slots=True)
class ComplianceResult:
    rule_pack: str
    findings: tuple[Finding, ...]
    scores: Mapping[str, float]
    fatal: tuple[str, ...]

    def record(self) -> Compliance:
        """The result's ``compliance``."""
        return Compliance(self.rule_pack, tuple(f.record() for f in self.findings), dict(self.scores), self.fatal)

    def finding(self, rule_id: str) -> Finding:
        for f in self.findings:
            if f.rule == rule_id:
                return f
        raise KeyError(rule_id)

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(f.rule for f in self.findings if f.applicable and not f.passed)

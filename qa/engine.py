"""Evaluate a rule pack on one transcript; score findings into the two scorecards."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from core.enums import Direction, Severity
from core.jsonio import JsonObject, to_json
from core.meta import MetaFacts
from core.result import CallAnalysis, EvidenceSpan, FindingRecord
from core.types import Transcript
from nlp.spoken import parse_level
from nlp.view import TextView
from qa.conditions import MISS, EvalState, Match, walk
from qa.model import CallContext, ComplianceResult, Evidence, Finding, Rule, RulePack

# A "must" rule that found nothing is reported failed with this confidence: absence
# is weaker evidence than a hit (the phrase may be there with ASR errors we miss).
ABSENCE_CONFIDENCE = 0.8
MAX_EVIDENCE = 5
_DIRECTIONS: dict[str, Direction] = {"inbound": "inbound", "outbound": "outbound", "呼入": "inbound",
                                     "外呼": "outbound", "in": "inbound", "out": "outbound"}


def _flatten(prefix: str, value: object, out: dict[str, object]) -> None:
    if isinstance(value, Mapping):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}", v, out)
    else:
        out[prefix] = value


def build_context(meta: Mapping[str, object] | None, analysis: CallAnalysis | None) -> CallContext:
    """What rules may condition on: the call's metadata and the conversation analysis
    (``analysis.*`` paths are the result JSON's, e.g. ``analysis.complaint_risk.level``)."""
    facts = MetaFacts.of(meta)
    values: dict[str, object] = {}
    _flatten("meta", meta or {}, values)
    _flatten("analysis", to_json(analysis) if analysis is not None else {}, values)
    intents = analysis.intents if analysis is not None else None
    # The customer's risk level and whether a product was recommended come from the call's
    # metadata only: the typed analysis has neither (the old analysis.customer_risk_level /
    # analysis.upsell.product_recommended paths never existed in a result). parse_level is
    # the one risk-level parser (nlp/spoken.py).
    level = parse_level(facts.customer_risk_level) or parse_level(facts.risk_level)
    rec = facts.product_recommended if isinstance(facts.product_recommended, bool) else None
    return CallContext(
        direction=_DIRECTIONS.get(str(facts.direction).strip().lower()),
        intent_ids=tuple(dict.fromkeys((intents.primary, *intents.all))) if intents is not None else (),
        customer_risk_level=level,
        product_recommended=rec,
        values=values,
    )


def result_keys(pack: RulePack) -> tuple[str, ...]:
    """Top-level keys of a stored result the pack's operators read (see Condition.reads)."""
    keys: set[str] = set()
    for rule in pack.rules:
        for root in (rule.condition, rule.applies_when):
            for c in walk(root) if root is not None else ():
                keys |= c.result_keys()
    return tuple(sorted(keys))


def _evidence(transcript: Transcript, segs: Iterable[int]) -> tuple[Evidence, ...]:
    out = []
    for i in list(dict.fromkeys(segs))[:MAX_EVIDENCE]:
        s = transcript.segments[i]
        out.append(Evidence(i, round(s.start, 2), round(s.end, 2), s.text))
    return tuple(out)


def _judge(rule: Rule, st: EvalState, whole: tuple[int, ...]) -> tuple[Finding, Match]:
    st.scope = rule.scope
    applies = rule.applies_when.eval(st, whole) if rule.applies_when is not None else Match(True, (), 1.0)
    if not applies.hit:
        st.rule_matches[rule.id] = MISS
        return Finding(rule.id, rule.title, rule.severity, True, False, (), 1.0), MISS
    m = rule.condition.eval(st, whole)
    st.rule_matches[rule.id] = m
    # Text evidence about "the agent" is only as good as the speaker assignment.
    role = st.transcript.role_confidence if rule.scope != "any" else 1.0
    if rule.mode == "must":
        passed = m.hit
        segs = m.segments if m.hit else applies.segments
        conf = m.confidence if m.hit else ABSENCE_CONFIDENCE
    else:
        passed = not m.hit
        segs = m.segments if m.hit else ()
        conf = m.confidence if m.hit else ABSENCE_CONFIDENCE
    conf = round(max(0.0, min(1.0, conf * role)), 3)
    return Finding(rule.id, rule.title, rule.severity, passed, True, _evidence(st.transcript, segs), conf), m


def evaluate(
    transcript: Transcript,
    pack: RulePack,
    *,
    meta: Mapping[str, object] | None = None,
    analysis: CallAnalysis | None = None,
    view: TextView | None = None,
) -> ComplianceResult:
    """Run every rule of ``pack`` on ``transcript`` (pure; inputs are not touched).

    ``meta`` is the call's metadata (direction, customer_risk_level, ...);
    ``analysis`` the conversation analysis when there is one (intents, complaint risk, entities);
    ``view`` the call's normalised text when the caller built one (nlp.view).
    """
    st = EvalState(transcript, build_context(meta, analysis), view=view)
    whole = tuple(range(len(transcript.segments)))
    by_id: dict[str, Finding] = {}
    for rule in pack.rules:
        finding, _ = _judge(rule, st, whole)
        if rule.report:
            by_id[rule.id] = finding
    findings = [by_id[rid] for rid in pack.rule_ids if rid in by_id]
    scores, fatal = _score(pack, [(f, f.passed) for f in findings])
    return ComplianceResult(pack.version, tuple(findings), scores, fatal)


def _score(pack: RulePack, items: list[tuple[Finding, bool]]) -> tuple[dict[str, float], tuple[str, ...]]:
    """Weighted share of applicable items passed, 0..100 per scorecard; a failed fatal item zeroes its card
    (and every card marked ``any_fatal``)."""
    rules = {r.id: r for r in pack.rules}
    got: dict[str, float] = {c.id: 0.0 for c in pack.scorecards}
    total: dict[str, float] = {c.id: 0.0 for c in pack.scorecards}
    fatal: list[str] = []
    for f, passed in items:
        rule = rules.get(f.rule)
        if not f.applicable or rule is None:
            continue
        if not passed and rule.severity == "fatal":
            fatal.append(f.rule)
        if rule.scorecard is None:
            continue
        total[rule.scorecard] += rule.weight
        got[rule.scorecard] += rule.weight if passed else 0.0
    scores = {cid: round(100.0 * got[cid] / total[cid], 1) if total[cid] > 0 else 100.0 for cid in total}
    for card in pack.scorecards:
        if any(card.any_fatal or rules[r].scorecard == card.id for r in fatal):
            scores[card.id] = card.fatal_score
    return scores, tuple(fatal)


@dataclass(frozen=True, slots=True)
class Scores:
    scores: Mapping[str, float]
    fatal: tuple[str, ...]

    def to_json(self) -> JsonObject:
        return {"scores": dict(self.scores), "fatal": list(self.fatal)}


class _FindingDoc(BaseModel):
    """A stored finding as the review workflow has it (a finding row, no evidence needed)."""

    model_config = ConfigDict(extra="ignore")
    rule: str
    title: str | None = None
    severity: Severity = "major"
    passed: bool
    applicable: bool = True
    evidence: tuple[EvidenceSpan, ...] = ()
    confidence: float = 1.0

    def finding(self) -> Finding:
        ev = tuple(Evidence(e.segment, e.start, e.end, e.text) for e in self.evidence)
        return Finding(self.rule, self.title if self.title is not None else self.rule, self.severity, self.passed,
                       self.applicable, ev, self.confidence)


def rescore(pack: RulePack,
            findings_with_verdicts: Iterable[tuple[Finding | FindingRecord | Mapping[str, object], str | None]]
            ) -> Scores:
    """Scores and fatal ids after QA verdicts, for the review workflow.

    Each item is a finding (a Finding, its record, or its JSON) and the verdict: "confirmed",
    "dismissed" or None (not reviewed: the engine's own result stands). A dismissed
    failed finding counts as passed; a confirmed one stays failed.
    """
    items: list[tuple[Finding, bool]] = []
    for raw, verdict in findings_with_verdicts:
        if isinstance(raw, Finding):
            f = raw
        elif isinstance(raw, FindingRecord):
            f = Finding.from_record(raw)
        else:
            f = _FindingDoc.model_validate(raw).finding()
        if verdict not in (None, "confirmed", "dismissed"):
            raise ValueError(f"unknown verdict {verdict!r} for rule {f.rule} (confirmed, dismissed or None)")
        items.append((f, f.passed or verdict == "dismissed"))
    scores, fatal = _score(pack, items)
    return Scores(scores, fatal)

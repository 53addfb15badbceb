"""Evaluate a rule pack on one transcript; score findings into the two scorecards."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from core.jsonio import to_json
from core.result import CallAnalysis
from core.types import Transcript
from nlp.spoken import parse_level
from nlp.view import TextView
from qa.conditions import MISS, EvalState, Match
from qa.model import CallContext, ComplianceResult, Evidence, Finding, Rule, RulePack

# A "must" rule that found nothing is reported failed with this confidence: absence
# is weaker evidence than a hit (the phrase may be there with ASR errors we miss).
ABSENCE_CONFIDENCE = 0.8
MAX_EVIDENCE = 5
_DIRECTIONS = {"inbound": "inbound", "outbound": "outbound", "呼入": "inbound", "外呼": "outbound", "in": "inbound",
               "out": "outbound"}


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, Mapping):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}", v, out)
    else:
        out[prefix] = value




def build_context(meta: Mapping[str, Any] | None, analysis: CallAnalysis | None) -> CallContext:
    """What rules may condition on: the call's metadata and the conversation analysis
    (``analysis.*`` paths are the result JSON's, e.g. ``analysis.complaint_risk.level``)."""
    meta = meta or {}
    values: dict[str, Any] = {}
    _flatten("meta", meta, values)
    _flatten("analysis", to_json(analysis) if analysis is not None else {}, values)
    intents = analysis.intents if analysis is not None else None
    level = None
    for key in ("meta.customer_risk_level", "meta.risk_level", "analysis.customer_risk_level",
                "analysis.customer.risk_level"):
        level = level or parse_level(values.get(key))
    rec = None
    for key in ("analysis.product_recommended", "analysis.upsell.product_recommended",
                "analysis.marketing.product_recommended", "meta.product_recommended"):
        if isinstance(values.get(key), bool):
            rec = values[key]
            break
    return CallContext(
        direction=_DIRECTIONS.get(str(meta.get("direction", "")).strip().lower()),  # type: ignore[arg-type]
        intent_ids=tuple(dict.fromkeys((intents.primary, *intents.all))) if intents is not None else (),
        customer_risk_level=level,
        product_recommended=rec,
        values=values,
    )


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
    meta: Mapping[str, Any] | None = None,
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

    def to_json(self) -> dict[str, Any]:
        return {"scores": dict(self.scores), "fatal": list(self.fatal)}


def rescore(pack: RulePack, findings_with_verdicts: Iterable[tuple[Finding | Mapping[str, Any], str | None]]) -> Scores:
    """Scores and fatal ids after QA verdicts, for the review workflow.

    Each item is a finding (a Finding or its JSON) and the verdict: "confirmed",
    "dismissed" or None (not reviewed: the engine's own result stands). A dismissed
    failed finding counts as passed; a confirmed one stays failed.
    """
    items: list[tuple[Finding, bool]] = []
    for raw, verdict in findings_with_verdicts:
        f = raw if isinstance(raw, Finding) else _finding_from_json(raw)
        if verdict not in (None, "confirmed", "dismissed"):
            raise ValueError(f"unknown verdict {verdict!r} for rule {f.rule} (confirmed, dismissed or None)")
        items.append((f, f.passed or verdict == "dismissed"))
    scores, fatal = _score(pack, items)
    return Scores(scores, fatal)


def _finding_from_json(d: Mapping[str, Any]) -> Finding:
    ev = tuple(Evidence(int(e["segment"]), float(e["start"]), float(e["end"]), str(e["text"]))
               for e in d.get("evidence", ()))
    return Finding(str(d["rule"]), str(d.get("title", d["rule"])), d.get("severity", "major"), bool(d["passed"]),
                   bool(d.get("applicable", True)), ev, float(d.get("confidence", 1.0)))

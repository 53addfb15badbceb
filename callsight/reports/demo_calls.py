"""What makes a seeded call look like an analysed one (``callsight seed-demo``): a
short dialogue whose turns agree with the call's drawn findings (a failed greeting
is a bare "喂，你好", a failed forbidden-promise rule is an agent saying 保本保收益),
the findings' evidence pointing at those turns, the result JSON the call page and
``/result`` read, and the review-queue row of a flagged call. Pure: values in, rows out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from callsight import search
from core.enums import RuleId
from core.jsonio import JsonObject, to_json
from core.result import EvidenceSpan as Evidence

SCHEMA_VERSION = "1.2"
CHARS_PER_S = 4.5
SEVERITY_RANK = {"minor": 1, "major": 2, "fatal": 3}
PRODUCT_WORDS = {"wmp": "理财", "large_cd": "大额存单", "fund": "基金", "bond_fund": "债券基金", "gold": "积存金",
                 "pension_wmp": "养老理财", "structured_deposit": "结构性存款", "fund_plan": "基金定投",
                 "time_deposit": "定期存款", "insurance": "保险"}


@dataclass(frozen=True, slots=True)
class Turn:
    """One seeded dialogue turn (a segment of the result JSON; field order is its key order)."""

    speaker: str
    start: float
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class SeedFinding:
    """A drawn rule verdict as the result JSON's compliance finding."""

    rule: str
    title: str
    severity: str
    passed: bool
    applicable: bool
    confidence: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class SeedMeta:
    seeded: bool
    branch: str
    agent: str
    direction: str
    started_at: str


def product_word(product: str | None) -> str:
    return PRODUCT_WORDS.get(product or "", "理财产品")


def dialogue(*, branch: str, agent: str, customer_text: str, product: str | None, failed: frozenset[str],
             applicable: frozenset[str], high_risk: bool, taken: bool) -> tuple[list[Turn], dict[str, int]]:
    """Turns and, per rule, the index of the turn that is its evidence. ``failed``: the rules
    drawn as failed; ``applicable``: the rules that apply to the call."""
    p = product_word(product)
    turns: list[tuple[str, str, str | None]] = []  # speaker, text, rule it shows

    def say(speaker: str, text: str, rule: str | None = None) -> None:
        turns.append((speaker, text, rule))

    if RuleId.greeting not in failed:
        say("agent", f"您好，这里是{branch}理财中心，我是理财经理，工号{agent}，请问有什么可以帮您？", "greeting")
    else:
        say("agent", "喂，你好。", "greeting")
    say("customer", customer_text)
    if RuleId.identity_verification in applicable:
        if RuleId.identity_verification not in failed:
            say("agent", "为了您的账户安全，麻烦您报一下身份证后四位，我先核实一下身份。", "identity_verification")
            say("customer", "好的，后四位是****。")
        else:
            say("agent", "行，我直接帮您查一下账户。", "identity_verification")
    if high_risk:
        say("customer", "这个问题再不解决，我就打12378向金融监管总局投诉你们！", "complaint_risk")
    if RuleId.courtesy in failed:
        say("agent", "这个我已经说过好几遍了，您自己没听清楚。", "courtesy")
    else:
        say("agent", "非常理解您的心情，我马上帮您核实处理。")
    if RuleId.risk_disclosure in applicable or taken:
        promise = RuleId.forbidden_promise in failed
        disclosed = RuleId.risk_disclosure not in failed
        if promise:  # the promise is also the pitch without a disclosure when that failed too
            say("agent", f"您放心，这款{p}保本保收益，稳赚不赔。", "forbidden_promise" if disclosed else "pitch")
        if disclosed:
            say("agent", f"另外我行的{p}您可以了解一下，投资有风险，理财需谨慎，"
                         "购买前需要确认您的风险测评等级。", "risk_disclosure")
        elif not promise:
            say("agent", f"另外我行的{p}收益挺不错的，您可以考虑一下。", "risk_disclosure")
        say("customer", "好的，我考虑一下。")
    if RuleId.closing not in failed:
        say("agent", "感谢您的来电，祝您生活愉快，再见。", "closing")
    else:
        say("agent", "行，就这样吧。", "closing")
    segments: list[Turn] = []
    where: dict[str, int] = {}
    t = 0.4
    for i, (speaker, text, rule) in enumerate(turns):
        end = round(t + max(1.2, len(text) / CHARS_PER_S), 2)
        segments.append(Turn(speaker, round(t, 2), end, text))
        for r in ("forbidden_promise", "risk_disclosure") if rule == "pitch" else (rule,) if rule else ():
            where.setdefault(r, i)
        t = end + 0.7
    where.setdefault("customer", 1)
    return segments, where


def evidence(rule: str, segments: Sequence[Turn], where: Mapping[str, int]) -> tuple[Evidence, ...]:
    """The turn behind a failed rule; acoustic rules (silence, overtalk, pace) point at the
    customer's first turn, where the drawn problem is placed."""
    i = where.get(rule, where["customer"])
    s = segments[i]
    return (Evidence(i, s.start, s.end, s.text),)


def fatal_rules(findings: Sequence[SeedFinding]) -> list[str]:
    return [f.rule for f in findings if f.severity == "fatal" and f.applicable and not f.passed]


def result_doc(*, call_id: str, meta: SeedMeta, segments: Sequence[Turn], intent: str, risk: str,
               findings: Sequence[SeedFinding], scores: tuple[float, float], where: Mapping[str, int]) -> JsonObject:
    """The result JSON (docs/result-schema.md, version 1.2) of a seeded call, as an ingested
    transcript: the stored JSON column, written here at the edge."""
    risk_ev = ([{"segment": where["complaint_risk"], "text": segments[where["complaint_risk"]].text,
                 "reason": "威胁向监管部门投诉"}] if "complaint_risk" in where else [])
    return {
        "schema_version": SCHEMA_VERSION,
        "call": {"id": call_id, "meta": to_json(meta), "source": "transcript", "duration_s": segments[-1].end,
                 "channels": 0, "asr": None},
        "segments": to_json(segments), "role_confidence": 1.0, "pii_masked": True,
        "intents": {"primary": intent, "all": [intent], "turns": [{"segment": 1, "intent": intent, "score": 0.9}]},
        "complaint_risk": {"level": risk, "evidence": risk_ev},
        "compliance": {"rule_pack": "default-1.0", "findings": to_json(findings),
                       "scores": {"service": scores[0], "marketing": scores[1]}, "fatal": fatal_rules(findings)},
        "upsell_openings": [],
        "summary": f"客户来电：{segments[1].text}",
    }


def review_item(call_id: str, *, state: str, worst: int, fatal: bool, high_risk: bool,
                entered: datetime) -> tuple[Any, ...]:
    """A flagged call's queue row: (call_id, kind, fatal, severity_rank, complaint_high,
    assignee_id, assigned_at, closed_at, entered_at, updated_at)."""
    closed = entered if state == "closed" else None
    return (call_id, "flagged", fatal, worst, high_risk, None, None, closed, entered, entered)


@lru_cache(maxsize=4096)
def search_text(text: str) -> str:
    """Seeded turns repeat: tokenise each distinct text once."""
    return search.search_text(text)

"""Acoustic, metadata and risk-level operators.

Acoustic operators read segment times only, so they work on any transcript
(times of ingested turns are estimates; a transcript without gaps or overlaps
simply never hits). Metadata operators read the CallContext built from the
call's meta and the nlp analysis; when a value is unknown they miss, so a rule
can fall back to a text condition with ``any``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from qa.conditions import MISS, Condition, EvalState, Match, RuleError, fields, operator
from qa.negation import clause_end, clause_start, is_hypothetical
from qa.textfeat import phonetic

_SPOKEN_CHARS = re.compile(r"[\u4e00-\u9fff0-9a-zA-Z]")


@dataclass(frozen=True, slots=True)
class Silence(Condition):
    """A gap longer than ``min_s`` before a turn of ``before`` (who should have spoken).

    A gap announced by the agent (请您稍等, 我帮您查一下) is a hold, not dead air.
    """

    min_s: float
    before: str | None
    announced: re.Pattern[str] | None

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        segs = st.segments
        hits: list[int] = []
        last_end = 0.0
        for i in range(len(segs)):
            gap = segs[i].start - last_end
            if i > 0 and i in window and gap > self.min_s and (self.before in (None, "any", segs[i].speaker)):
                prev = segs[i - 1]
                held = self.announced is not None and prev.speaker == "agent" and self.announced.search(prev.text)
                if not held:
                    hits.extend((i - 1, i))
            last_end = max(last_end, segs[i].end)
        return Match(True, tuple(sorted(set(hits))), 1.0) if hits else MISS


@operator("silence")
def _silence(arg: Any, where: str) -> Condition:
    f = fields(arg, where, ("min_s",), ("before", "unless_announced"))
    pat = f.text("unless_announced")
    try:
        announced = re.compile(pat) if pat else None
    except re.error as exc:
        raise RuleError(f"{where}.unless_announced: invalid regular expression: {exc}") from None
    return Silence(f.number("min_s") or 0.0, f.text("before"), announced)


@dataclass(frozen=True, slots=True)
class Overtalk(Condition):
    """``by`` starts talking while the other side is speaking and overlaps them > ``min_s``."""

    min_s: float
    by: str

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        segs = st.segments
        hits: set[int] = set()
        for i in window:
            a = segs[i]
            if a.speaker != self.by:
                continue
            for j in range(i - 1, -1, -1):  # time-ordered: only earlier turns can be talked over
                c = segs[j]
                if c.speaker == self.by:
                    continue
                if c.start <= a.start < c.end and min(a.end, c.end) - a.start > self.min_s:
                    hits.update((j, i))
                    break
                if c.end < a.start - 60:
                    break
        return Match(True, tuple(sorted(hits)), 1.0) if hits else MISS


@operator("overtalk")
def _overtalk(arg: Any, where: str) -> Condition:
    f = fields(arg, where, ("min_s",), ("by",))
    return Overtalk(f.number("min_s") or 0.0, f.choice("by", ("agent", "customer"), "agent") or "agent")


@dataclass(frozen=True, slots=True)
class SpeechRate(Condition):
    """Characters per minute of ``speaker`` over turns of at least ``min_turn_s``: above/below a bound."""

    speaker: str
    above: float | None
    below: float | None
    min_speech_s: float
    min_turn_s: float

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        rates: list[tuple[float, int]] = []
        chars = 0
        secs = 0.0
        for i in window:
            s = st.segments[i]
            if s.speaker != self.speaker or s.duration < self.min_turn_s:
                continue
            n = len(_SPOKEN_CHARS.findall(s.text))
            chars += n
            secs += s.duration
            rates.append((n / s.duration * 60.0, i))
        if secs < self.min_speech_s or not rates:
            return MISS
        rate = chars / secs * 60.0
        if self.above is not None and rate > self.above:
            worst = sorted(rates, reverse=True)[:3]
        elif self.below is not None and rate < self.below:
            worst = sorted(rates)[:3]
        else:
            return MISS
        # Far past the bound is surer than just past it.
        bound = self.above if self.above is not None and rate > self.above else self.below
        conf = min(1.0, 0.6 + abs(rate - (bound or rate)) / max(bound or 1.0, 1.0) * 4)
        return Match(True, tuple(sorted(i for _, i in worst)), round(conf, 3))


@operator("speech_rate")
def _speech_rate(arg: Any, where: str) -> Condition:
    f = fields(arg, where, (), ("speaker", "above", "below", "min_speech_s", "min_turn_s"))
    if "above" not in f and "below" not in f:
        raise RuleError(f"{where}: give above and/or below (characters per minute)")
    return SpeechRate(
        f.text("speaker") or "agent", f.number("above"), f.number("below"),
        f.number("min_speech_s", 20.0) or 0.0, f.number("min_turn_s", 1.5) or 0.0,
    )


@dataclass(frozen=True, slots=True)
class Duration(Condition):
    min_s: float | None
    max_s: float | None

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        d = st.transcript.duration_s
        if (self.min_s is not None and d < self.min_s) or (self.max_s is not None and d > self.max_s):
            return MISS
        return Match(True, (), 1.0)


@operator("duration")
def _duration(arg: Any, where: str) -> Condition:
    f = fields(arg, where, (), ("min_s", "max_s"))
    return Duration(f.number("min_s"), f.number("max_s"))


@dataclass(frozen=True, slots=True)
class Turns(Condition):
    """The window holds between ``min`` and ``max`` turns of ``speaker``."""

    speaker: str | None
    min: int
    max: int | None

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        own = [i for i in window if st.speaker_ok(i, self.speaker)]
        if len(own) < self.min or (self.max is not None and len(own) > self.max):
            return MISS
        return Match(True, (), 1.0)


@operator("turns")
def _turns(arg: Any, where: str) -> Condition:
    f = fields(arg, where, (), ("speaker", "min", "max"))
    return Turns(f.text("speaker"), f.integer("min", 1) or 0, f.integer("max"))


@dataclass(frozen=True, slots=True)
class SpeechTime(Condition):
    """``speaker`` talks at least ``min_s`` seconds in turns of at least ``min_turn_s`` (enough to judge a rate)."""

    speaker: str
    min_s: float
    min_turn_s: float

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        total = sum(
            st.segments[i].duration for i in window
            if st.segments[i].speaker == self.speaker and st.segments[i].duration >= self.min_turn_s
        )
        return Match(True, (), 1.0) if total >= self.min_s else MISS


@operator("speech_time")
def _speech_time(arg: Any, where: str) -> Condition:
    f = fields(arg, where, ("min_s",), ("speaker", "min_turn_s"))
    return SpeechTime(f.text("speaker") or "agent", f.number("min_s") or 0.0, f.number("min_turn_s", 1.5) or 0.0)


@dataclass(frozen=True, slots=True)
class CallIs(Condition):
    """Recording facts: channel count, how sure the speaker roles are."""

    channels_min: int | None
    role_confidence_min: float | None

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        t = st.transcript
        if self.channels_min is not None and t.channels < self.channels_min:
            return MISS
        if self.role_confidence_min is not None and t.role_confidence < self.role_confidence_min:
            return MISS
        return Match(True, (), 1.0)


@operator("call")
def _call(arg: Any, where: str) -> Condition:
    f = fields(arg, where, (), ("channels_min", "role_confidence_min"))
    return CallIs(f.integer("channels_min"), f.number("role_confidence_min"))


@dataclass(frozen=True, slots=True)
class Direction(Condition):
    value: str

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        return Match(True, (), 1.0) if st.context.direction == self.value else MISS


@operator("direction")
def _direction(arg: Any, where: str) -> Condition:
    if arg not in ("inbound", "outbound"):
        raise RuleError(f"{where}: expected inbound|outbound, got {arg!r}")
    return Direction(str(arg))


@dataclass(frozen=True, slots=True)
class Intent(Condition):
    reads: ClassVar[frozenset[str]] = frozenset({"intents"})
    ids: frozenset[str]

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        return Match(True, (), 1.0) if self.ids & set(st.context.intent_ids) else MISS


@operator("intent")
def _intent(arg: Any, where: str) -> Condition:
    ids = [arg] if isinstance(arg, str) else arg
    if not isinstance(ids, list) or not ids:
        raise RuleError(f"{where}: expected an intent id or a list of them")
    return Intent(frozenset(str(i) for i in ids))


@dataclass(frozen=True, slots=True)
class ProductRecommended(Condition):
    value: bool

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        known = st.context.product_recommended
        return Match(True, (), 1.0) if known is not None and known == self.value else MISS


@operator("product_recommended")
def _product_recommended(arg: Any, where: str) -> Condition:
    if not isinstance(arg, bool):
        raise RuleError(f"{where}: expected true or false")
    return ProductRecommended(arg)


@dataclass(frozen=True, slots=True)
class MetaValue(Condition):
    """A value from meta / analysis by dotted path (``meta.branch``, ``analysis.sentiment.label``)."""

    path: str
    test: str
    value: Any

    def result_keys(self) -> frozenset[str]:
        return frozenset({self.path.split(".")[1]}) if self.path.startswith("analysis.") else frozenset()

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        v = st.context.values.get(self.path)
        ok = {
            "exists": lambda: v is not None,
            "equals": lambda: v == self.value,
            "in": lambda: v in self.value,
            "min": lambda: isinstance(v, int | float) and v >= self.value,
            "max": lambda: isinstance(v, int | float) and v <= self.value,
        }[self.test]()
        return Match(True, (), 1.0) if ok else MISS


@operator("meta")
def _meta(arg: Any, where: str) -> Condition:
    f = fields(arg, where, ("path",), ("exists", "equals", "in", "min", "max"))
    tests = [k for k in ("exists", "equals", "in", "min", "max") if k in f]
    if len(tests) != 1:
        raise RuleError(f"{where}: give exactly one of exists/equals/in/min/max")
    if tests[0] == "in" and not isinstance(f["in"], list):
        raise RuleError(f"{where}.in: expected a list")
    return MetaValue(str(f["path"]), tests[0], f[tests[0]])


# --- risk levels -----------------------------------------------------------------------

# Levels are read off the *phonetic* string so 高疯险 still reads 高风险 (see qa.textfeat).
_NUMS = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_R_WORDS = {"低": 1, "中低": 2, "中": 3, "中高": 4, "高": 5}
# 谨慎型 / 积极型 are the other common five-level naming (谨慎 稳健 平衡 积极/进取 激进).
_C_WORDS = {"保守": 1, "谨慎": 1, "稳健": 2, "平衡": 3, "成长": 4, "积极": 4, "进取": 5, "激进": 5}


def _alt(words: Mapping[str, int]) -> tuple[str, dict[str, int]]:
    table = {phonetic(w): v for w, v in words.items()}
    return "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)), table


_NUM_ALT, _NUM_PHO = _alt(_NUMS)
_RW_ALT, _RW_PHO = _alt(_R_WORDS)
_CW_ALT, _CW_PHO = _alt(_C_WORDS)
# Product risk: R3 / r三 / 中高风险的(产品) / 中高风险等级.
_R_LEVEL = re.compile(
    rf"r({_NUM_ALT})|({_RW_ALT}){re.escape(phonetic('风险'))}(?={re.escape(phonetic('的'))}|{re.escape(phonetic('产品'))}"
    rf"|{re.escape(phonetic('等级'))}|{re.escape(phonetic('级'))})"
)
# Customer level: C3 / 平衡型; a 稳健型产品 is a product style, so the type word counts only
# when the clause is about the customer (您/测评/等级), see _about_customer.
_C_LEVEL = re.compile(rf"c({_NUM_ALT})|({_CW_ALT}){re.escape(phonetic('型'))}")
_ABOUT_CUSTOMER = re.compile(r"您|你|测评|评估|等级|问卷|客户|投资者|属于")
_ABOUT_PRODUCT = re.compile(r"产品|理财|基金")
# A product level mentioned in a turn that goes on to reject it (…是R3的，已经超过了您的承受
#能力 / …R4，我们不能卖给您) or states the rule it needs (需要C2以上才能买) is no
# recommendation of it: the rejection may come clauses later, so the rest of the turn is read.
_REJECTED = re.compile(r"不适合|不能买|买不了|不能购买|无法购买|超出|超过|高于您|不匹配|不建议|不推荐|不能卖|卖不了"
                       r"|不能向|不能给您|才能买|才可以买|以上才|以上[^，。！？]{0,3}(?:就|才)(?:能|可以)|不让(?:您)?(?:购买|买)|不允许(?:购买|买)")
# Stating the customer's limit later in the same turn (…R4，您是稳健型，只能买R2及以下) also
# explains a refusal rather than recommending the product.
_LIMIT_STATED = re.compile(r"只能(?:买|购买|选|投|配置)|只适合|及以下|以下的产品|不符合")
# A level in a general statement (偏股基金很多是R4的 / 一般定为R5) names no product offered.
_GENERAL = re.compile(r"一般|通常|很多|大部分|大多|普遍|往往")
# A customer level supposed (如果是C2…) or set as a rule (C3或以上才能买) is nobody's result.
_LEVEL_RULE = re.compile(r"^.{0,3}?(?:以上|以下|或以上|及以上|才能|才可以|的话|的客户)")


def _level_of(m: re.Match[str], nums: Mapping[str, int], words: Mapping[str, int]) -> int:
    return nums[m.group(1)] if m.group(1) else words[m.group(2)]


def customer_level_from_text(st: EvalState) -> int | None:
    """The customer's C-level as stated in the call (您的风险等级是C3 / 测评结果是平衡型).
    A stated C number wins over a type word: banks name the levels differently (C3 稳健型
    at one, C2 稳健型 at another), the number is the level."""
    found: int | None = None
    number: int | None = None
    for i, _ in enumerate(st.segments):
        feat = st.feat(i)
        for m in _C_LEVEL.finditer(feat.pho):
            clause = feat.norm[clause_start(feat.norm, m.start(), 8) : clause_end(feat.norm, m.end(), 4)]
            if is_hypothetical(feat.norm, m.start(), m.end()) or _LEVEL_RULE.match(feat.norm, m.end()):
                continue
            if m.group(1):
                number = _level_of(m, _NUM_PHO, _CW_PHO)
            elif _ABOUT_CUSTOMER.search(clause) and not _ABOUT_PRODUCT.search(feat.norm[m.end() : m.end() + 3]):
                found = _level_of(m, _NUM_PHO, _CW_PHO)
    return number if number is not None else found


@dataclass(frozen=True, slots=True)
class RiskMismatch(Condition):
    """The agent recommends a product whose R-level is above the customer's C-level.

    The customer level comes from the context (CRM meta / analysis) or, failing
    that, from the call itself; with neither known this misses (the separate
    "did the agent refer to the assessment" check covers that case).
    """

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        cust = st.context.customer_risk_level or customer_level_from_text(st)
        if cust is None:
            return MISS
        hits: list[int] = []
        # A level the agent has turned down (这款是R4，不能向C2的客户销售) is the product the
        # customer asked for; explaining it afterwards (R4产品主要投股票…) recommends nothing.
        refused: set[int] = set()
        for i in window:
            if st.segments[i].speaker != "agent":
                continue
            feat = st.feat(i)
            norm = feat.norm
            for m in _R_LEVEL.finditer(feat.pho):
                level = _level_of(m, _NUM_PHO, _RW_PHO)
                lo, hi = clause_start(norm, m.start(), 10), clause_end(norm, m.end(), 10)
                if _REJECTED.search(norm[lo:]) or _LIMIT_STATED.search(norm[lo : hi + 30]):
                    refused.add(level)
                    continue
                if (level > cust and level not in refused and not _GENERAL.search(norm[lo:hi])
                        and not is_hypothetical(norm, m.start(), m.end())):
                    hits.append(i)
                    break
        return Match(True, tuple(hits), 0.9) if hits else MISS


@operator("risk_mismatch")
def _risk_mismatch(arg: Any, where: str) -> Condition:
    if arg not in (True, None, {}):
        raise RuleError(f"{where}: takes no arguments (write risk_mismatch: true)")
    return RiskMismatch()

"""Acoustic and metadata operators (the risk-level operator is qa.risk_levels).

Acoustic operators read segment times only, so they work on any transcript
(times of ingested turns are estimates; a transcript without gaps or overlaps
simply never hits). Metadata operators read the CallContext built from the
call's meta and the nlp analysis; when a value is unknown they miss, so a rule
can fall back to a text condition with ``any``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from qa.conditions import MISS, Condition, EvalState, Match, RuleError, fields, operator

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

"""Condition tree: combinators, position windows and the compile step.

A condition is evaluated over a *window*: a sorted tuple of segment indices
(initially the whole call). Text operators look only at the window's segments
spoken by the rule's scope (or their own ``speaker``); position operators narrow
the window for their child. Every node returns a :class:`Match`: whether it hit,
which segments are the evidence, and how sure it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, is_dataclass
from dataclasses import fields as dc_fields
from typing import Any, ClassVar

from core.types import Segment, Transcript
from nlp.view import TextView
from qa.model import CallContext
from qa.spec import SPEAKERS, RuleError, fields
from qa.textfeat import SegText


@dataclass(frozen=True, slots=True)
class Match:
    hit: bool
    segments: tuple[int, ...] = ()
    confidence: float = 1.0


MISS = Match(False, (), 1.0)


@dataclass(slots=True)
class EvalState:
    """Everything one evaluation shares; lives only for one call."""

    transcript: Transcript
    context: CallContext
    scope: str = "any"
    rule_matches: dict[str, Match] = field(default_factory=dict)
    _feats: dict[int, SegText] = field(default_factory=dict)
    # Joined runs of turns for Across, per (turns, speaker): the derived state and, per
    # pseudo-segment, the original indices it joins. Built once per call.
    _spans: dict[tuple[int, str], tuple[EvalState, tuple[tuple[int, ...], ...]]] = field(default_factory=dict)
    # The call's normalised text (nlp.view), shared with the other analysers; built
    # here when the caller has none (a joined-turns state always builds its own).
    view: TextView | None = None

    @property
    def segments(self) -> tuple[Segment, ...]:
        return self.transcript.segments

    def feat(self, i: int) -> SegText:
        f = self._feats.get(i)
        if f is None:
            if self.view is None:
                self.view = TextView.of(self.transcript)
            f = SegText(self.view[i].compact)
            self._feats[i] = f
        return f

    def speaker_ok(self, i: int, speaker: str | None) -> bool:
        who = speaker or self.scope
        return who == "any" or self.transcript.segments[i].speaker == who


class Condition:
    # Top-level keys of a stored call result that this operator reads through the
    # context's analysis: a backtest loads only these (most rules read none, and the
    # result JSON is then not read at all). An operator that reads the analysis declares
    # them here, or in ``result_keys`` when they depend on its arguments.
    reads: ClassVar[frozenset[str]] = frozenset()

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        raise NotImplementedError

    def rule_refs(self) -> set[str]:
        return set()

    def result_keys(self) -> frozenset[str]:
        return self.reads


def walk(c: Condition) -> Iterator[Condition]:
    """``c`` and every condition nested in it (any dataclass field holding conditions)."""
    yield c
    if is_dataclass(c):
        for f in dc_fields(c):
            v = getattr(c, f.name)
            for x in v if isinstance(v, tuple) else (v,):
                if isinstance(x, Condition):
                    yield from walk(x)


@dataclass(frozen=True, slots=True)
class All(Condition):
    children: tuple[Condition, ...]

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        segs: list[int] = []
        conf = 1.0
        for c in self.children:
            m = c.eval(st, window)
            if not m.hit:
                return MISS
            segs.extend(m.segments)
            conf = min(conf, m.confidence)
        return Match(True, tuple(sorted(set(segs))), conf)

    def rule_refs(self) -> set[str]:
        return set().union(*(c.rule_refs() for c in self.children))


@dataclass(frozen=True, slots=True)
class Any_(Condition):
    children: tuple[Condition, ...]

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        segs: list[int] = []
        conf = 0.0
        for c in self.children:
            m = c.eval(st, window)
            if m.hit:
                segs.extend(m.segments)
                conf = max(conf, m.confidence)
        return Match(True, tuple(sorted(set(segs))), conf) if conf > 0 else MISS

    def rule_refs(self) -> set[str]:
        return set().union(*(c.rule_refs() for c in self.children))


@dataclass(frozen=True, slots=True)
class Not(Condition):
    child: Condition

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        m = self.child.eval(st, window)
        return MISS if m.hit else Match(True, (), 0.9)

    def rule_refs(self) -> set[str]:
        return self.child.rule_refs()


def _run_ids(segs: Sequence[Segment]) -> list[int]:
    """For each segment, the index of its run of consecutive segments by one speaker."""
    out: list[int] = []
    for k, seg in enumerate(segs):
        out.append(0 if k == 0 else out[-1] + (seg.speaker != segs[k - 1].speaker))
    return out


@dataclass(frozen=True, slots=True)
class Window(Condition):
    """Narrow the window: first/last N turns or seconds, before/after an anchor."""

    child: Condition
    first_turns: int | None = None
    last_turns: int | None = None
    first_seconds: float | None = None
    last_seconds: float | None = None
    speaker: str | None = None
    before: Condition | None = None
    after: Condition | None = None
    before_rule: str | None = None
    after_rule: str | None = None
    inclusive: bool = True
    # With ``anchored``, a missing before/after anchor empties the window instead of
    # leaving it whole: "an agent turn after the customer's request" needs the request.
    anchored: bool = False
    # With ``runs``, first/last N turns count a speaker's consecutive segments as one turn:
    # ASR and diarisation split one utterance (您好，东城银行 | 工号二七一五) into several.
    runs: bool = False

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        w = list(window)
        segs = st.segments
        if self.first_seconds is not None:
            w = [i for i in w if segs[i].start < self.first_seconds]
        if self.last_seconds is not None:
            cut = st.transcript.duration_s - self.last_seconds
            w = [i for i in w if segs[i].end > cut]
        if self.first_turns is not None or self.last_turns is not None:
            own = [i for i in w if st.speaker_ok(i, self.speaker)]
            # A turn is one segment, or with ``runs`` one run of the speaker's segments.
            run = _run_ids(segs) if self.runs else list(range(len(segs)))
            ids = list(dict.fromkeys(run[i] for i in own))
            chosen = set(ids[: self.first_turns] if self.first_turns is not None else ids[-(self.last_turns or 0) :])
            keep = {i for i in own if run[i] in chosen}
            w = [i for i in w if i in keep]
        for anchor, rule, is_before in (
            (self.before, self.before_rule, True),
            (self.after, self.after_rule, False),
        ):
            if anchor is None and rule is None:
                continue
            am = anchor.eval(st, window) if anchor is not None else st.rule_matches.get(rule or "", MISS)
            if not am.hit or not am.segments:
                if self.anchored:
                    return MISS
                continue  # no anchor: nothing to be before/after, window unchanged
            pivot = min(am.segments)  # the first occurrence of the anchor
            if is_before:
                w = [i for i in w if i < pivot or (self.inclusive and i == pivot)]
            else:
                w = [i for i in w if i > pivot or (self.inclusive and i == pivot)]
        if not w:
            return MISS
        return self.child.eval(st, tuple(w))

    def rule_refs(self) -> set[str]:
        out = self.child.rule_refs()
        for r in (self.before_rule, self.after_rule):
            if r:
                out.add(r)
        for c in (self.before, self.after):
            if c is not None:
                out |= c.rule_refs()
        return out


@dataclass(frozen=True, slots=True)
class Occurrence(Condition):
    """Hit when the child hits in at least ``n`` distinct segments (the Nth occurrence)."""

    child: Condition
    n: int

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        hits: list[int] = []
        conf = 1.0
        for i in window:
            m = self.child.eval(st, (i,))
            if m.hit:
                hits.append(i)
                conf = min(conf, m.confidence)
        if len(hits) < self.n:
            return MISS
        return Match(True, tuple(hits[self.n - 1 :]), conf)

    def rule_refs(self) -> set[str]:
        return self.child.rule_refs()


@dataclass(frozen=True, slots=True)
class RuleHit(Condition):
    """Another rule's condition hit (evaluated earlier in dependency order)."""

    rule: str

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        m = st.rule_matches.get(self.rule, MISS)
        if not m.hit:
            return MISS
        segs = tuple(i for i in m.segments if i in set(window))
        return Match(True, segs, m.confidence)

    def rule_refs(self) -> set[str]:
        return {self.rule}


@dataclass(frozen=True, slots=True)
class Across(Condition):
    """The child evaluated on runs of up to ``turns`` consecutive turns joined into one text.

    ``speaker: agent`` joins consecutive agent turns (the customer's replies in between
    are skipped), so an offer spread over turns (the product in one, 我帮您办一份 in the
    next) reads as one; ``speaker: any`` joins consecutive turns of the call, so a
    product the customer names and the agent's 好的我帮您办 read together. A joined
    text counts as spoken by its last turn's speaker; a hit reports every turn it joins.
    """

    child: Condition
    turns: int
    speaker: str

    def _state(self, st: EvalState) -> tuple[EvalState, tuple[tuple[int, ...], ...]]:
        key = (self.turns, self.speaker)
        got = st._spans.get(key)
        if got is None:
            segs = st.segments
            own = [i for i in range(len(segs)) if self.speaker == "any" or segs[i].speaker == self.speaker]
            runs = tuple(tuple(own[k : k + n]) for n in range(2, self.turns + 1) for k in range(len(own) - n + 1))
            pseudo = tuple(
                Segment(segs[r[-1]].speaker, segs[r[0]].start, segs[r[-1]].end, "。".join(segs[i].text for i in r))
                for r in runs
            )
            sub = EvalState(Transcript(pseudo, st.transcript.duration_s, st.transcript.channels), st.context, st.scope,
                            st.rule_matches)
            got = (sub, runs)
            st._spans[key] = got
        got[0].scope = st.scope
        return got

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        sub, runs = self._state(st)
        inside = set(window)
        m = self.child.eval(sub, tuple(k for k, r in enumerate(runs) if inside.issuperset(r)))
        if not m.hit:
            return MISS
        return Match(True, tuple(sorted({i for k in m.segments for i in runs[k]})), m.confidence)

    def rule_refs(self) -> set[str]:
        return self.child.rule_refs()


# --- compile ---------------------------------------------------------------------------

Builder = Callable[[Any, str], Condition]
OPERATORS: dict[str, Builder] = {}


def operator(name: str) -> Callable[[Builder], Builder]:
    def deco(fn: Builder) -> Builder:
        OPERATORS[name] = fn
        return fn

    return deco


def compile_condition(spec: Any, where: str) -> Condition:
    if not isinstance(spec, Mapping) or len(spec) == 0:
        raise RuleError(f"{where}: a condition must be a mapping with one operator, got {spec!r}")
    if len(spec) != 1:
        raise RuleError(f"{where}: a condition has exactly one operator, got {sorted(spec)} (wrap them in all:/any:)")
    (op, arg), *_ = spec.items()
    if op in ("all", "any"):
        if not isinstance(arg, list) or not arg:
            raise RuleError(f"{where}.{op}: expected a non-empty list of conditions")
        kids = tuple(compile_condition(c, f"{where}.{op}[{k}]") for k, c in enumerate(arg))
        return All(kids) if op == "all" else Any_(kids)
    if op == "not":
        return Not(compile_condition(arg, f"{where}.not"))
    if op == "rule_hit":
        if not isinstance(arg, str):
            raise RuleError(f"{where}.rule_hit: expected a rule id")
        return RuleHit(arg)
    if op == "occurrence":
        f = fields(arg, f"{where}.occurrence", ("n", "of"), ())
        if not isinstance(f["n"], int) or f["n"] < 1:
            raise RuleError(f"{where}.occurrence.n: expected a positive integer")
        return Occurrence(compile_condition(f["of"], f"{where}.occurrence.of"), f["n"])
    if op == "window":
        return _window(arg, f"{where}.window")
    if op == "across":
        f = fields(arg, f"{where}.across", ("turns", "of"), ("speaker",))
        if isinstance(f["turns"], bool) or not isinstance(f["turns"], int) or not 2 <= f["turns"] <= 6:
            raise RuleError(f"{where}.across.turns: expected an integer from 2 to 6")
        sp = f.choice("speaker", SPEAKERS, "agent") or "agent"
        return Across(compile_condition(f["of"], f"{where}.across.of"), f["turns"], sp)
    builder = OPERATORS.get(op)
    if builder is None:
        known = sorted([*OPERATORS, "all", "any", "not", "window", "occurrence", "rule_hit", "across"])
        raise RuleError(f"{where}: unknown operator {op!r}; known: {known}")
    return builder(arg, f"{where}.{op}")


def _window(arg: Any, where: str) -> Window:
    f = fields(
        arg, where, ("of",),
        ("first_turns", "last_turns", "first_seconds", "last_seconds", "speaker", "before", "after", "inclusive",
         "anchored", "runs"),
    )
    turns = {k: f.integer(k, low=1) for k in ("first_turns", "last_turns")}
    secs: dict[str, float | None] = {}
    for k in ("first_seconds", "last_seconds"):
        v = f.node(k)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int | float) or v <= 0):
            raise RuleError(f"{where}.{k}: expected a positive number of seconds")
        secs[k] = v
    # An anchor is a condition, or {rule: id}: another rule's hit.
    conds: dict[str, Condition | None] = {"before": None, "after": None}
    rules: dict[str, str | None] = {"before": None, "after": None}
    for k in ("before", "after"):
        a = f.node(k)
        if isinstance(a, Mapping) and set(a) == {"rule"}:
            rules[k] = str(a["rule"])
        elif a is not None:
            conds[k] = compile_condition(a, f"{where}.{k}")
    return Window(
        child=compile_condition(f["of"], f"{where}.of"),
        first_turns=turns["first_turns"], last_turns=turns["last_turns"],
        first_seconds=secs["first_seconds"], last_seconds=secs["last_seconds"],
        speaker=f.choice("speaker", SPEAKERS), inclusive=f.flag("inclusive", True), anchored=f.flag("anchored", False),
        runs=f.flag("runs", False),
        before=conds["before"], after=conds["after"], before_rule=rules["before"], after_rule=rules["after"],
    )

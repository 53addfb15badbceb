"""Text operators: keywords / phrases with proximity, regex, similar sentences.

All of them look at the window's segments spoken by the operator's ``speaker``
(default: the rule's scope). Terms are matched on the *phonetic* string by default
(see qa.textfeat), so 李财 matches 理财 and 保笨 matches 保本; ``phonetic: false``
matches the characters. Each hit is then filtered by context: ``negation``,
``hypothesis`` and ``question`` are ``exclude`` (drop negated / supposed / asked
hits: the default for must_not rules' promises), ``ignore`` (keep every hit) or
``require`` (keep only such hits).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nlp.text import normalize
from qa import negation
from qa.conditions import MISS, Condition, EvalState, Match, operator
from qa.spec import SPEAKERS, RuleError, Spec, fields
from qa.textfeat import PUNCT, SegText, bigrams, compact_pattern, phonetic, phonetic_pattern

_FILTER_KEYS = ("negation", "hypothesis", "question")
_FILTER_MODES = ("exclude", "ignore", "require")
EXCLUDE_BEFORE = 16
_COMMON = ("speaker", "negation", "hypothesis", "question", "exclude", "exclude_turn", "phonetic", "word")


@dataclass(frozen=True, slots=True)
class Filters:
    negation: str = "ignore"
    hypothesis: str = "ignore"
    question: str = "ignore"
    # Looked for (homophone-tolerant, over the phonetic text) around the hit: from
    # EXCLUDE_BEFORE characters before it to the end of its clause, so the subject
    # of a previous clause counts (大额存单受存款保险保护，本金是安全的).
    exclude: re.Pattern[str] | None = None
    # Looked for anywhere in the hit's turn: a turn that refuses what it names
    # (这只是R4的，超出了您的承受能力) is no offer, whatever the punctuation.
    exclude_turn: re.Pattern[str] | None = None

    def keep(self, norm: str, start: int, end: int, pho: str | None = None) -> bool:
        for mode, check in (
            (self.negation, negation.is_negated),
            (self.hypothesis, negation.is_hypothetical),
            (self.question, negation.is_question),
        ):
            if mode == "ignore":
                continue
            if check(norm, start, end) != (mode == "require"):
                return False
        if self.exclude is not None:
            lo, hi = max(0, start - EXCLUDE_BEFORE), negation.clause_end(norm, end)
            if self.exclude.search((pho if pho is not None else norm)[lo:hi]):
                return False
        return self.exclude_turn is None or self.exclude_turn.search(pho if pho is not None else norm) is None


def _filters(f: Spec, where: str) -> Filters:
    modes: dict[str, str] = {}
    for k in _FILTER_KEYS:
        v = f.node(k)
        if v is None or v is False:
            v = "ignore"
        if v not in _FILTER_MODES:
            raise RuleError(f"{where}.{k}: expected one of {list(_FILTER_MODES)}, got {v!r}")
        modes[k] = v
    pats: dict[str, re.Pattern[str] | None] = {}
    for key in ("exclude", "exclude_turn"):
        raw = f.node(key)
        if raw is None:
            pats[key] = None
            continue
        if isinstance(raw, list):
            raw = "|".join(re.escape(normalize(str(t), compact=True)) for t in raw)
        # Report syntax errors against the pattern as written.
        pats[key] = _regex(phonetic_pattern(_regex(raw, f"{where}.{key}").pattern), f"{where}.{key}")
    return Filters(modes["negation"], modes["hypothesis"], modes["question"], pats["exclude"], pats["exclude_turn"])


def _regex(pattern: Any, where: str) -> re.Pattern[str]:
    """A rule's regex compiled for the compact text it reads (full-width ，？ → , ?:
    qa.textfeat.compact_pattern); errors name the pattern as written."""
    if not isinstance(pattern, str) or not pattern:
        raise RuleError(f"{where}: expected a regular expression string")
    try:
        return re.compile(compact_pattern(pattern))
    except re.error as exc:
        raise RuleError(f"{where}: invalid regular expression {pattern!r}: {exc}") from None


def _terms(raw: Any, where: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(t, str | int) for t in raw):
        raise RuleError(f"{where}: expected a non-empty list of strings")
    out = tuple(n for n in (normalize(str(t), compact=True) for t in raw) if n)
    if not out:
        raise RuleError(f"{where}: every term is empty after normalisation")
    return out


@dataclass(frozen=True, slots=True)
class TermSet:
    """A list of terms compiled into one alternation over the phonetic (or plain) text."""

    pattern: re.Pattern[str]
    phonetic: bool
    word: bool

    @classmethod
    def build(cls, terms: tuple[str, ...], use_phonetic: bool, word: bool) -> TermSet:
        forms = sorted({phonetic(t) if use_phonetic else t for t in terms}, key=len, reverse=True)
        return cls(re.compile("|".join(re.escape(f) for f in forms)), use_phonetic, word)

    def spans(self, feat: SegText) -> list[tuple[int, int]]:
        text = feat.pho if self.phonetic else feat.norm
        out = [(m.start(), m.end()) for m in self.pattern.finditer(text)]
        if self.word and out:
            b = feat.bounds
            out = [(s, e) for s, e in out if s in b and e in b]
        return out


@dataclass(frozen=True, slots=True)
class Phrase(Condition):
    """Terms of every group, each within ``within`` characters of the previous group's hit.

    One group is a plain keyword list; the filters apply to the first group's hit
    (the term that carries the meaning, e.g. 保本 in [保本] near [保证, 承诺]).
    """

    groups: tuple[TermSet, ...]
    within: int
    ordered: bool
    filters: Filters
    speaker: str | None

    def _hit(self, feat: SegText) -> bool:
        heads = [s for s in self.groups[0].spans(feat) if self.filters.keep(feat.norm, *s, feat.pho)]
        if not heads:
            return False
        if len(self.groups) == 1:
            return True
        for head in heads:
            anchor = head
            ok = True
            for g in self.groups[1:]:
                found = None
                for s, e in g.spans(feat):
                    gap = s - anchor[1] if s >= anchor[1] else anchor[0] - e
                    if self.ordered and s < anchor[1]:
                        continue
                    if gap <= self.within:
                        found = (s, e)
                        break
                if found is None:
                    ok = False
                    break
                anchor = found
            if ok:
                return True
        return False

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        hits = tuple(i for i in window if st.speaker_ok(i, self.speaker) and self._hit(st.feat(i)))
        return Match(True, hits, 1.0) if hits else MISS


def _build_phrase(groups_raw: list[Any], f: Spec, where: str) -> Phrase:
    use_pho = f.flag("phonetic", True)
    word = f.flag("word", False)
    groups = tuple(TermSet.build(_terms(g, f"{where}[{k}]"), use_pho, word) for k, g in enumerate(groups_raw))
    within = f.integer("within", 12) or 0  # characters between groups
    return Phrase(groups, within, f.flag("ordered", False), _filters(f, where), f.choice("speaker", SPEAKERS))


@operator("keywords")
def _keywords(arg: Any, where: str) -> Condition:
    if isinstance(arg, list):
        arg = {"terms": arg}
    f = fields(arg, where, ("terms",), (*_COMMON, "near", "within"))
    groups: list[Any] = [f["terms"]]
    if "near" in f:
        groups.append(f["near"])
    return _build_phrase(groups, f, where)


@operator("phrase")
def _phrase(arg: Any, where: str) -> Condition:
    f = fields(arg, where, ("groups",), (*_COMMON, "within", "ordered"))
    if not isinstance(f["groups"], list) or len(f["groups"]) < 2:
        raise RuleError(f"{where}.groups: expected at least two term lists")
    return _build_phrase(f["groups"], f, f"{where}.groups")


@dataclass(frozen=True, slots=True)
class Regex(Condition):
    """A regular expression over the normalised text (Simplified, no spaces/fillers).

    With ``phonetic`` the pattern's Chinese characters are read as sounds and it runs
    over the phonetic string, so 收意稳稳当当 meets a pattern written 收益稳稳当当 (the
    offsets are the same, so the filters still read the surface text). Character
    ranges such as [\u4e00-\u9fff] do not match there: spell the characters out.
    """

    pattern: re.Pattern[str]
    filters: Filters
    speaker: str | None
    phonetic: bool = False

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        hits: list[int] = []
        for i in window:
            if not st.speaker_ok(i, self.speaker):
                continue
            norm = st.feat(i).norm
            pho = st.feat(i).pho
            text = pho if self.phonetic else norm
            if any(self.filters.keep(norm, m.start(), m.end(), pho) for m in self.pattern.finditer(text)):
                hits.append(i)
        return Match(True, tuple(hits), 1.0) if hits else MISS


@operator("regex")
def _regex_op(arg: Any, where: str) -> Condition:
    if isinstance(arg, str):
        arg = {"pattern": arg}
    f = fields(arg, where, ("pattern",),
               ("speaker", "negation", "hypothesis", "question", "exclude", "exclude_turn", "phonetic"))
    use_pho = f.boolean("phonetic", False)
    pattern = _regex(f["pattern"], f"{where}.pattern")  # syntax errors name the pattern as written
    if use_pho:
        pattern = _regex(phonetic_pattern(f["pattern"]), f"{where}.pattern")
    return Regex(pattern, _filters(f, where), f.choice("speaker", SPEAKERS), use_pho)


@dataclass(frozen=True, slots=True)
class Similar(Condition):
    """Best local match of any example sentence, by phonetic-bigram coverage.

    Coverage = distinct example bigrams found inside one stretch of the segment no
    longer than the example (+ slack), over the example's bigram count. Phonetic
    bigrams make it robust to homophone errors; using a local stretch keeps long
    turns from collecting an example's bigrams from all over the place.
    """

    examples: tuple[tuple[str, ...], ...]
    index: Mapping[str, tuple[int, ...]]  # bigram → examples holding it
    threshold: float
    filters: Filters
    speaker: str | None

    def score(self, feat: SegText) -> float:
        grams = feat.grams
        counts: dict[int, int] = {}
        for g in grams:
            for k in self.index.get(g, ()):
                counts[k] = counts.get(k, 0) + 1
        best = 0.0
        for k, c in counts.items():
            ex = self.examples[k]
            if c < self.threshold * len(ex) or c / len(ex) <= best:
                continue
            cov, start = self._local(grams, ex)
            if cov >= self.threshold and cov > best:
                norm_start = feat.bare_index[start] if start < len(feat.bare_index) else 0
                if self.filters.keep(feat.norm, norm_start, norm_start + 1, feat.pho):
                    best = cov
        return best

    @staticmethod
    def _local(grams: Mapping[str, list[int]], ex: tuple[str, ...]) -> tuple[float, int]:
        pts = sorted((p, g) for g in ex for p in grams.get(g, ()))
        width = len(ex) + 4
        seen: dict[str, int] = {}
        best, best_start, lo = 0, 0, 0
        for hi in range(len(pts)):
            seen[pts[hi][1]] = seen.get(pts[hi][1], 0) + 1
            while pts[hi][0] - pts[lo][0] > width:
                g = pts[lo][1]
                seen[g] -= 1
                if not seen[g]:
                    del seen[g]
                lo += 1
            if len(seen) > best:
                best, best_start = len(seen), pts[lo][0]
        return best / len(ex), best_start

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        hits: list[int] = []
        conf = 0.0
        for i in window:
            if st.speaker_ok(i, self.speaker):
                s = self.score(st.feat(i))
                if s > 0:
                    hits.append(i)
                    conf = max(conf, s)
        return Match(True, tuple(hits), round(conf, 3)) if hits else MISS


@operator("similar")
def _similar(arg: Any, where: str) -> Condition:
    f = fields(arg, where, ("examples",),
               ("speaker", "negation", "hypothesis", "question", "exclude", "exclude_turn", "threshold"))
    raw = f["examples"]
    if not isinstance(raw, list) or not raw or not all(isinstance(x, str) for x in raw):
        raise RuleError(f"{where}.examples: expected a non-empty list of sentences")
    examples = []
    for k, x in enumerate(raw):
        grams = bigrams(x)
        if len(grams) < 2:
            raise RuleError(f"{where}.examples[{k}]: {x!r} is too short (need at least 3 characters)")
        examples.append(grams)
    th = f.node("threshold", 0.7)
    if not isinstance(th, int | float) or not 0 < th <= 1:
        raise RuleError(f"{where}.threshold: expected a number in (0, 1]")
    index: dict[str, list[int]] = {}
    for k, ex in enumerate(examples):
        for g in ex:
            index.setdefault(g, []).append(k)
    return Similar(tuple(examples), {g: tuple(v) for g, v in index.items()}, float(th), _filters(f, where),
                   f.choice("speaker", SPEAKERS))


__all__ = ["PUNCT", "Filters", "Phrase", "Regex", "Similar", "TermSet"]

"""Domain terms corrected by sound: 李财 → 理财, 营航 → 银行, 风显 → 风险, 新泰营航 → 鑫泰银行.

A recogniser on 8 kHz phone audio writes a finance word it does not know as some other
characters with (nearly) the same sound; analysts writing ASR-style text do the same.
Rather than listing the misspellings seen so far, every window of the text is compared
by sound with a vocabulary of terms (the built-in finance lexicon plus what a deployment
configures: its products, institution and branch names), and a window is replaced by the
term it sounds like when

- the term has at least two syllables, and the window matches it syllable by syllable
  (toneless; z/zh, c/ch, s/sh, n/l, f/h and -n/-ng merged: the usual confusions of phone
  audio and southern accents: 营航 for 银行, ying ~ yin), exactly; only a term of four or
  more syllables may have one syllable that is merely near (手机云航 for 手机银行: yun ~ yin),
  the other syllables, all exact, anchoring it, so a short window of unrelated characters
  never becomes a term on one exact syllable alone;
- the window is not itself an ordinary word (一行, 受益, 奉献 stay), and it does not cut
  an ordinary word of its sentence in two (转到其他 is 转到 | 其他: no 到期 there). "Ordinary"
  is jieba's own dictionary, so the guard knows every common word, not a list of ours.

Replacements are the same length as the window (one syllable per character), so an
offset found in the corrected text indexes the original: evidence and display keep the
words as said. Pure: the vocabulary comes in as an argument.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pypinyin import Style, lazy_pinyin

from nlp.phonetic import reading
from nlp.spoken import SPOKEN_DIGITS

__all__ = ["BUILTIN_TERMS", "Correction", "TermCorrector", "default_corrector", "syllable_key"]

_FINANCE_DICT = Path(__file__).resolve().parent / "finance_dict.txt"
# Words every bank call uses that the finance dictionary (a tokenizer's dictionary of
# compounds) leaves to jieba's own; the corrector needs them as terms too.
_CORE_TERMS = (
    "银行", "风险", "收益", "利息", "利率", "存款", "存单", "账户", "贷款", "理财", "基金", "测评", "养老", "分红",
    "保单", "投保", "退保", "理赔", "证券", "股票", "债券", "余额", "黄金", "积存金", "年金", "重疾险", "医疗险",
    "身份证", "手机号", "验证码", "营业厅", "网点", "柜台", "客户经理", "银保监会", "定期", "活期", "本金", "亏损",
    "净值型", "业绩", "收益率", "风险等级", "承受能力", "投资", "产品", "开户", "额度", "冻结", "解冻", "还款",
)
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c",
             "s", "y", "w")
# Initials merged outright (phone audio, southern accents) ...
_SAME_INITIAL = {"zh": "z", "ch": "c", "sh": "s", "n": "l", "f": "h"}
# ... and pairs that are only "near" (aspiration, place of articulation).
_NEAR_INITIALS = {frozenset(p) for p in (("b", "p"), ("d", "t"), ("g", "k"), ("j", "q"), ("z", "c"), ("r", "l"))}
# A near syllable is allowed only in a term this long: the other syllables, all exact, anchor it.
_NEAR_MIN_SYLLABLES = 4
# A window that is a word of jieba's dictionary this common is an ordinary word, not an error.
_COMMON_FREQ = 20


@lru_cache(maxsize=4096)
def _split(syl: str) -> tuple[str, str]:
    for ini in _INITIALS:
        if syl.startswith(ini) and len(syl) > len(ini):
            return ini, syl[len(ini):]
    return "", syl


@lru_cache(maxsize=4096)
def syllable_key(syl: str) -> str:
    """A toneless syllable with the merged confusions folded: shi → si, ying → yin, fu → hu."""
    ini, fin = _split(syl)
    ini = _SAME_INITIAL.get(ini, ini)
    if fin.endswith("ng") and fin != "ng":
        fin = fin[:-1]
    return ini + "|" + fin


@lru_cache(maxsize=65536)
def _near(a: str, b: str) -> bool:
    """Two folded keys one small step apart: same initial and finals one edit apart
    (yun ~ yin, ju ~ ji), or same final and a near initial (bao ~ pao)."""
    ia, fa = a.split("|")
    ib, fb = b.split("|")
    if ia == ib:
        return _one_edit(fa, fb)
    return fa == fb and frozenset((ia, ib)) in _NEAR_INITIALS


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@lru_cache(maxsize=32768)
def _char_key(ch: str) -> str:
    # The character's usual reading only: a recogniser writes what it heard with the
    # character's common sound, and the rare readings (期 ji, 见 xian) match half the lexicon.
    syl = reading(ch)
    return syllable_key(syl) if syl else ""


@dataclass(frozen=True, slots=True)
class Correction:
    """``text[start:end]`` (``heard``) read as the term ``term``."""

    start: int
    end: int
    heard: str
    term: str


def _load_builtin() -> tuple[str, ...]:
    words = list(_CORE_TERMS)
    if _FINANCE_DICT.exists():
        words += [line.split()[0] for line in _FINANCE_DICT.read_text(encoding="utf-8").splitlines() if line.strip()]
    return tuple(dict.fromkeys(words))


BUILTIN_TERMS: tuple[str, ...] = _load_builtin()


class TermCorrector:
    """Corrects a text's windows that sound like one of ``terms`` into that term."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        vocab: dict[str, tuple[str, ...]] = {}
        for raw in (*BUILTIN_TERMS, *terms):
            term = raw.strip()
            # Only all-Chinese terms of two or more syllables: a single syllable matches
            # half the language, and Latin codes (R3, APP) are not misheard as characters.
            if len(term) < 2 or not _CJK.fullmatch(term) or term in vocab:
                continue
            vocab[term] = tuple(syllable_key(s) for s in lazy_pinyin(term, style=Style.NORMAL, v_to_u=False))
        self.terms = tuple(vocab)
        self._keys = vocab
        # syllable key → (term, position in the term). A window is found from its first
        # syllable; a long term, which may have one near syllable, from its second too
        # (手机云航 has the first right, 云航手机 would have the second).
        index: dict[str, list[tuple[str, int]]] = {}
        for term, keys in vocab.items():
            for k, key in enumerate(keys[:2] if len(keys) >= _NEAR_MIN_SYLLABLES else keys[:1]):
                index.setdefault(key, []).append((term, k))
        self._index = {k: tuple(v) for k, v in index.items()}

    def _match(self, text: str, heard: list[str], start: int, term: str) -> bool:
        near = len(term) < _NEAR_MIN_SYLLABLES  # a short term allows no near syllable
        for i, (want, key) in enumerate(zip(term, self._keys[term], strict=True), start):
            if text[i] == want or heard[i] == key:
                continue
            if near or not heard[i] or not _near(heard[i], key):
                return False
            near = True
        return True

    def candidates(self, text: str) -> list[Correction]:
        """Every window that sounds like a term, before the ordinary-word guards."""
        heard = [_char_key(ch) if "\u4e00" <= ch <= "\u9fff" else "" for ch in text]
        found: dict[tuple[int, str], Correction] = {}
        for j, key in enumerate(heard):
            for term, k in self._index.get(key, ()) if key else ():
                i = j - k
                if i < 0 or i + len(term) > len(text) or (i, term) in found:
                    continue
                if self._match(text, heard, i, term):
                    found[(i, term)] = Correction(i, i + len(term), text[i:i + len(term)], term)
        return list(found.values())

    def corrections(self, text: str) -> list[Correction]:
        """The corrections applied to ``text``, in order, non-overlapping."""
        cands = self.candidates(text)
        todo = [c for c in cands if c.heard != c.term]
        if not todo:
            return []
        exact = [c for c in cands if c.heard == c.term]
        freq = _jieba_freq()
        work = text
        chosen: list[Correction] = []
        # Longer terms first (鑫泰银行 over 银行), then the one closer in characters; each
        # is judged on the text with the corrections before it applied (鸡金风显: 基金, then 风险).
        todo.sort(key=lambda c: (-len(c.term), -sum(a == b for a, b in zip(c.heard, c.term, strict=True)), c.start))
        for c in todo:
            if freq.get(c.heard, 0) >= _COMMON_FREQ:
                continue  # an ordinary word as heard (一行, 受益): not an error
            changed = [i for i in range(c.start, c.end) if text[i] != c.term[i - c.start]]
            if any(_kept(text, i) for i in changed):
                continue
            # A term already spelt right keeps its characters (投资存款 is no 通知存款), and
            # wins over a correction cutting into it.
            if any(e.start <= i < e.end for e in exact for i in changed) or any(_cuts(c, e) for e in exact):
                continue
            if any(c.start < o.end and o.start < c.end for o in chosen):
                continue
            if _cuts_word(work, c):
                continue
            fixed = work[:c.start] + c.term + work[c.end:]
            if _gain(work, fixed, c) <= _CHANNEL_COST:
                continue
            work = fixed
            chosen.append(c)
        return sorted(chosen, key=lambda c: c.start)

    def correct(self, text: str) -> str:
        """``text`` with every correction applied; same length as ``text``."""
        if not _CJK.search(text):
            return text
        fixes = self.corrections(text)
        if not fixes:
            return text
        out, pos = [], 0
        for c in fixes:
            out += [text[pos:c.start], c.term]
            pos = c.end
        out.append(text[pos:])
        return "".join(out)


def _kept(text: str, i: int) -> bool:
    """``text[i]`` is read as written: one of the commonest characters (你 我 是 也 到 人:
    function words a recogniser writes from grammar, not from a term's sound; jieba's
    counts decide), or a numeral among numbers (四点五到七, not 到期)."""
    ch = text[i]
    if _jieba_freq().get(ch, 0) >= _FUNCTION_FREQ:
        return True
    if ch in SPOKEN_DIGITS:
        around = text[max(0, i - 2):i] + text[i + 1:i + 3]
        return any(a in SPOKEN_DIGITS or a.isdigit() or a in _NUMBER_WORDS for a in around)
    return False


def _cuts(c: Correction, exact: Correction) -> bool:
    """``c`` overlaps the correctly spelt term ``exact`` without containing it."""
    overlaps = c.start < exact.end and exact.start < c.end
    return overlaps and not (c.start <= exact.start and exact.end <= c.end)


# The noisy channel: a correction is taken when the sentence read with the term is more
# likely, as words, than as heard, by more than the cost of assuming a misrecognition
# (ln 10: the recogniser is right far more often than not). 转到其他 reads better as
# 转到 | 其他 than as 转 | 到期 | 他; 鸡金风显 better as 基金 | 风险 than as 鸡 | 金风 | 显.
_CHANNEL_COST = math.log(10)
_CONTEXT = 6
# A word this common (jieba's count) that a window cuts in two keeps its characters; rarer
# ones (金风 in 鸡金风显) are no evidence against the term.
_STRADDLE_FREQ = 50
# A character at least this common (jieba's count: 也 308k, 到 205k; 好 and 会 are under
# 100k) is a function word: never the misheard part of a term.
_FUNCTION_FREQ = 150000
_NUMBER_WORDS = frozenset("点十百千万亿两")  # characters either side of the window that the comparison reads
_TERM_FREQ = 5000  # a term of the bank's vocabulary is a common word in a bank call, whatever its rank in jieba
_BREAK = re.compile(r"[^\u4e00-\u9fff]")


def _context(text: str, start: int, end: int) -> tuple[int, int]:
    s = start
    while s > 0 and start - s < _CONTEXT and not _BREAK.match(text[s - 1]):
        s -= 1
    e = end
    while e < len(text) and e - end < _CONTEXT and not _BREAK.match(text[e]):
        e += 1
    return s, e


def _cuts_word(text: str, c: Correction) -> bool:
    """The window cuts in two a common word of its sentence as jieba splits it (鲍先生:
    鲍 | 先生; 五到七个: 五 | 到 | 七个): the characters belong to that word, not to a term."""
    s, e = _context(text, c.start, c.end)
    pos = s
    freq = _jieba_freq()
    for word in _tokenizer().lcut(text[s:e], HMM=False):
        a, b = pos, pos + len(word)
        pos = b
        if b - a >= 2 and (a < c.start < b or a < c.end < b) and freq.get(word, 0) >= _STRADDLE_FREQ:
            return True
    return False


def _gain(before: str, after: str, c: Correction) -> float:
    s, e = _context(before, c.start, c.end)
    extra = {c.term: max(_jieba_freq().get(c.term, 0), _TERM_FREQ)}
    return _best_route(after[s:e], extra) - _best_route(before[s:e], {})


def _best_route(sentence: str, extra: dict[str, int]) -> float:
    """jieba's unigram score of the most likely split of ``sentence`` into words (its DAG
    route, with ``extra`` words added): the sum of ln(freq / total) over the words."""
    freq = _jieba_freq()
    log_total = math.log(_tokenizer().total)
    n = len(sentence)
    route = [0.0] * (n + 1)
    for i in range(n - 1, -1, -1):
        best = -math.inf
        for j in range(i + 1, min(n, i + _MAX_WORD) + 1):
            word = sentence[i:j]
            f = extra.get(word) or freq.get(word, 0)
            if not f:
                if j > i + 1:
                    continue
                f = 1
            best = max(best, math.log(f) - log_total + route[j])
        route[i] = best
    return route[0]


_MAX_WORD = 8
_lock = threading.Lock()
_tok: Any = None


def _tokenizer() -> Any:
    # jieba's own dictionary and nothing of ours: the guard asks what an ordinary reader
    # takes as words, and a deployment's words must not make its own errors look ordinary.
    global _tok
    if _tok is None:
        with _lock:
            if _tok is None:
                from nlp.text import bare_tokenizer

                _tok = bare_tokenizer(())
    return _tok


def _jieba_freq() -> dict[str, int]:
    freq: dict[str, int] = _tokenizer().FREQ
    return freq


@lru_cache(maxsize=1)
def default_corrector() -> TermCorrector:
    """The built-in finance lexicon alone (callers without a deployment's vocabulary)."""
    return TermCorrector()

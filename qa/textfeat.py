"""Per-segment text features the operators share.

Every segment is normalised once per call (nlp.view.SegmentText.compact) and encoded into a "phonetic
string": each Chinese character is replaced by one private-use code point that
stands for its toneless pinyin syllable (with zh/ch/sh and -ng merged, the usual
ASR confusions). The phonetic string has exactly the same length as the
normalised text, so a plain ``str.find`` / regex over it matches homophones
(李财 = 理财, 鸡金 = 基金, 工好 = 工号) and every offset maps straight back to the
surface text for negation checks and evidence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from pypinyin.pinyin_dict import pinyin_dict

from nlp.text import bare_tokenizer, normalize

_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")
_SYLLABLES: dict[str, str] = {}
_SYLLABLE_NAMES: dict[str, str] = {}  # phonetic code → its syllable
_PUA = 0xE000
PUNCT = set("，。！？；：、,.!?;:…—-~～（）()“”\"'《》【】[]")


def _fuzzy(syl: str) -> str:
    for hard, soft in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if syl.startswith(hard):
            syl = soft + syl[2:]
            break
    if syl.endswith("ng") and len(syl) > 2:
        syl = syl[:-1]
    return syl


# Readings chosen over pypinyin's first one where this domain reads a character the
# other way (银行, 支行, 分行): the first reading 行 xing would make 支行 match 值型.
# 你 reads as 您: agents are rude (您自己没看吧) and polite (你好) with either, and ASR
# swaps them, so a term written with one must match the other.
_READING_OVERRIDES = {"行": "hang", "你": "nin"}


@lru_cache(maxsize=65536)
def phonetic_char(ch: str) -> str:
    """One code point standing for the character's (first, most common) toneless syllable."""
    syl = _READING_OVERRIDES.get(ch)
    if syl is None:
        reading = pinyin_dict.get(ord(ch))
        if reading is None:
            return ch.lower()
        syl = reading.split(",", 1)[0].translate(_TONES)
    # Overrides go through the same fuzzing, or 银行 (hang) would not meet 银航 (han).
    syl = _fuzzy(syl)
    code = _SYLLABLES.get(syl)
    if code is None:
        code = chr(_PUA + len(_SYLLABLES))
        _SYLLABLES[syl] = code
        _SYLLABLE_NAMES[code] = syl
    return code


def phonetic(text: str) -> str:
    return "".join(phonetic_char(c) for c in text)


def syllables(text: str) -> list[str]:
    """The fuzzy toneless syllable of each character (the character itself when it has
    none): the readable, process-independent form of ``phonetic`` for model features."""
    return [_SYLLABLE_NAMES.get(code, c) for c, code in zip(text, map(phonetic_char, text), strict=True)]


@lru_cache(maxsize=1024)
def _ascii_punct(ch: str) -> str | None:
    """The ASCII punctuation mark NFKC turns ``ch`` into (， → ,  ？ → ?), else None.
    。 、 “ ” 「 」 have no such form and stay as they are in the compact text."""
    out = unicodedata.normalize("NFKC", ch)
    if out == ch or len(out) != 1 or not out.isascii() or out.isalnum() or out.isspace():
        return None
    return out


def _class_end(pattern: str, start: int) -> int:
    """Index just past the character class opening at ``pattern[start] == "["``; -1 when
    the class is never closed."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":  # a leading ] is a literal
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1 if i < len(pattern) else -1


# A negated class is a window (``[^，。！？]{0,8}``): it gains the ASCII form of each mark it
# stops at, the comma included, so a window written to stay within a clause does in the
# compact text too (以上，您就可以 is two clauses). A window meant to run over a comma (one
# statement over two clauses: 很稳的，跟存款差不多 / 做过测评，是平衡型) leaves the comma out
# of its class (``[^。！？]``); ！？；： end a sentence in the compact text too.
def _compact_class(body: str) -> str:
    """A class body with the ASCII form of each full-width mark added at its end (the
    full-width one kept, so the class still reads text that was not compacted). Added at
    the end, never beside the mark, so a range such as ！-～ is left whole."""
    present: set[str] = set()
    i = 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            present.add(body[i + 1])
            i += 2
        else:
            present.add(body[i])
            i += 1
    add = {a for c in present if (a := _ascii_punct(c)) is not None and a not in present}
    return body + "".join(re.escape(a) for a in sorted(add))


def compact_pattern(pattern: str) -> str:
    """A rule regex rewritten for the compact text it runs on (normalize(compact=True)).

    NFKC turns full-width ，！？；：（） into ASCII there, so a pattern written with them
    would run across clauses (``[^，。！？]{0,8}`` passes a ``,`` and a ``?``) and its literal ，
    would never match. Inside a character class the ASCII form is added (a window stops at
    the comma it names); outside one the mark is replaced by its ASCII form, escaped where
    it is a metacharacter (？ → ``\\?``), one atom for one, so quantifiers and fixed-width
    lookbehinds keep their meaning.
    Idempotent: a rewritten pattern comes back unchanged.
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            a = _ascii_punct(pattern[i + 1])
            out.append(re.escape(a) if a is not None else pattern[i : i + 2])
            i += 2
        elif c == "[":
            end = _class_end(pattern, i)
            if end < 0:  # unterminated: left for re.compile to report
                out.append(pattern[i:])
                break
            head = i + 1 + (pattern[i + 1] == "^")
            out.append(pattern[i:head] + _compact_class(pattern[head : end - 1]) + "]")
            i = end
        else:
            a = _ascii_punct(c)
            out.append(re.escape(a) if a is not None else c)
            i += 1
    return "".join(out)


def phonetic_pattern(pattern: str) -> str:
    """A regex whose Chinese characters are replaced by their phonetic codes (syntax untouched),
    to run over ``SegText.pho`` so 村款 still meets a pattern written with 存款. Full-width
    punctuation is rewritten as in ``compact_pattern``: the phonetic string keeps the compact
    text's punctuation."""
    return "".join(phonetic_char(c) if "\u4e00" <= c <= "\u9fff" else c for c in compact_pattern(pattern))


@dataclass(slots=True)
class SegText:
    """Lazily computed features of one segment, cached for one evaluation."""

    norm: str
    _pho: str | None = None
    _bounds: frozenset[int] | None = None
    _grams: dict[str, list[int]] | None = field(default=None)
    _bare: list[int] | None = None

    @property
    def pho(self) -> str:
        if self._pho is None:
            self._pho = phonetic(self.norm)
        return self._pho

    @property
    def bounds(self) -> frozenset[int]:
        """Word boundaries (offsets) from jieba; only computed when a word-mode term hits."""
        if self._bounds is None:
            out = {0}
            pos = 0
            for tok in bare_tokenizer(_FINANCE_WORDS).cut(self.norm, HMM=False):
                pos += len(tok)
                out.add(pos)
            self._bounds = frozenset(out)
        return self._bounds

    @property
    def grams(self) -> dict[str, list[int]]:
        """Phonetic character bigrams of the text with punctuation removed → start offsets
        in that bare text; unpunctuated ASR and punctuated examples then share bigrams."""
        if self._grams is None:
            grams: dict[str, list[int]] = {}
            p = self.bare_pho
            for i in range(len(p) - 1):
                grams.setdefault(p[i : i + 2], []).append(i)
            self._grams = grams
        return self._grams

    @property
    def bare_index(self) -> list[int]:
        """Offset in ``norm`` of each character of the punctuation-free text."""
        if self._bare is None:
            self._bare = [i for i, c in enumerate(self.norm) if c not in PUNCT]
        return self._bare

    @property
    def bare_pho(self) -> str:
        pho = self.pho
        return "".join(pho[i] for i in self.bare_index)


def bigrams(text: str) -> tuple[str, ...]:
    """Distinct phonetic bigrams of ``text`` without punctuation, in order."""
    pho = phonetic("".join(c for c in normalize(text, compact=True) if c not in PUNCT))
    seen: dict[str, None] = {}
    for i in range(len(pho) - 1):
        seen.setdefault(pho[i : i + 2], None)
    return tuple(seen)


_FINANCE_WORDS = (
    "保本", "保息", "保收益", "本金", "理财", "基金", "定投", "风险测评", "风险评估", "稳赚不赔",
    "零风险", "大额存单", "净值型", "工号", "确保", "担保", "保本金",
)



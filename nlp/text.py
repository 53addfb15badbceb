"""Text preparation shared by nlp/ and qa/.

ASR output of phone calls is unpunctuated or badly punctuated, mixes Traditional
characters in, carries filler words and reads numbers out digit by digit. Every
function here is pure and cheap; the heavy objects (OpenCC converter, jieba
tokenizer) are module-level singletons built lazily on first use so importing
this module costs nothing.

Offsets: ``is_negated`` / ``is_hypothetical`` / ``find_digit_runs`` work on the
text they are given (no normalisation inside), so a caller's spans stay valid.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlp.spoken import SPOKEN_DIGITS, spoken_digit
from nlp.terms import TermCorrector, default_corrector

__all__ = [
    "FINANCE_DICT",
    "DigitRun",
    "bare_tokenizer",
    "find_digit_runs",
    "fix_asr_terms",
    "is_conditional",
    "is_hypothetical",
    "is_negated",
    "is_question",
    "load_user_dict",
    "normalize",
    "split_sentences",
    "spoken_digits_to_arabic",
    "strip_fillers",
    "to_simplified",
    "tokenize",
    "tokenizer",
]

FINANCE_DICT = Path(__file__).resolve().parent / "finance_dict.txt"

_lock = threading.Lock()
_t2s: Any = None
_tokenizer: Any = None


# --------------------------------------------------------------------------- normalise

def to_simplified(text: str) -> str:
    """Traditional → Simplified (OpenCC t2s, character-for-character in practice)."""
    global _t2s
    if _t2s is None:
        with _lock:
            if _t2s is None:
                import opencc

                _t2s = opencc.OpenCC("t2s")
    return str(_t2s.convert(text))


# Full-width ASCII letters/digits (U+FF10.. / U+FF21.. / U+FF41..) and the ideographic
# space → ASCII; Chinese punctuation (，。？) is kept on purpose: sentence splitting
# and the negation checks read it.
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH[0x3000] = 0x20
_SPACES = re.compile(r"\s+")
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff，。！？、；：]) (?=[\u4e00-\u9fff，。！？、；：])")


# The compact form's fillers: the hesitation sounds anywhere, 额/哦 (content inside
# 余额, 金额) only at the start of a clause, so "保呃本" still reads 保本. 唔 is a filler
# only where no word follows it: in Cantonese 唔 is the negation (唔知 = 不知, 唔会蚀 =
# 不会亏), and dropping it would turn "don't know" into "know".
_HESITATION = r"[嗯呃]+|唔+(?![\u4e00-\u9fff])"
_COMPACT_FILLERS = re.compile(_HESITATION + r"|(?:^|(?<=[，。！？,.!?\s]))[额哦噢]+")


def normalize(text: str, *, compact: bool = False) -> str:
    """Simplified, half-width letters/digits, lower-case Latin, collapsed spaces.

    Spaces between two Chinese characters are dropped (ASR word joins); spaces
    between Latin words or digits collapse to one.

    ``compact``: the form the compliance rules match on (qa.textfeat): NFKC (so
    full-width punctuation too: ， → ,), fillers out, every space dropped. Not the
    same length as the input: evidence quotes the segment's own text, never
    offsets into this string.
    """
    if compact:
        out = unicodedata.normalize("NFKC", to_simplified(text))
        out = _COMPACT_FILLERS.sub("", out)
        return _SPACES.sub("", out).lower()
    if not text:
        return ""
    out = to_simplified(text).translate(_FULLWIDTH).lower()
    out = _SPACES.sub(" ", out).strip()
    return _CJK_SPACE.sub("", out)


# Spellings of a term that are words of their own in jieba's dictionary (older or
# Taiwan forms), so the sound corrector leaves them alone; read as the term.
_VARIANTS = {"帐户": "账户", "身分证": "身份证"}
_VARIANT_RE = re.compile("|".join(_VARIANTS))


def fix_asr_terms(text: str, corrector: TermCorrector | None = None) -> str:
    """Finance terms a recogniser wrote with the wrong characters, read back by sound
    (李财 → 理财, 营航 → 银行, 到其 → 到期 but not 转到其他: nlp.terms). ``corrector``
    carries a deployment's vocabulary; None: the built-in finance lexicon.

    Same-length replacements only, so offsets computed on the result hold for
    the input too.
    """
    out = (corrector or default_corrector()).correct(text)
    return _VARIANT_RE.sub(lambda m: _VARIANTS[m.group()], out)


# Fillers: only the unambiguous hesitation sounds go everywhere; multi-character
# discourse fillers go only where they cannot be content (clause start, or before a
# pause). 额 is never touched alone (金额, 大额), 那个/这个 only before a pause or
# doubled, since 那个产品 is content.
_FILLER_CHARS = re.compile(_HESITATION)
_FILLER_PHRASES = re.compile(r"就是说|怎么说呢|然后呢|你知道吧|对吧对吧|那个那个|这个这个")
_FILLER_PAUSE = re.compile(r"(?:^|(?<=[，。！？、,.!?\s]))(?:那个|这个|然后|就是|额|啊|哦|噢)(?=[，。！？、,.!?\s]|$)")
_FILLER_LEAD = re.compile(r"(?:^|(?<=[，。！？,.!?\s]))(?:额|啊|哦|噢)+(?=[\u4e00-\u9fff])")
_EMPTY_PUNCT = re.compile(r"([，,、])\s*(?:[，,、]\s*)+")
_LEADING_PUNCT = re.compile(r"^[，,、\s]+")


def strip_fillers(text: str) -> str:
    """Drop hesitation fillers (嗯/呃/就是说/然后呢 ...) conservatively."""
    out = _FILLER_CHARS.sub("", text)
    out = _FILLER_PHRASES.sub("", out)
    out = _FILLER_LEAD.sub("", out)
    out = _FILLER_PAUSE.sub("", out)
    out = _EMPTY_PUNCT.sub(r"\1", out)
    out = _LEADING_PUNCT.sub("", out)
    return _SPACES.sub(" ", out).strip()


# --------------------------------------------------------------------------- digits

_DIGIT_CHARS = "".join(SPOKEN_DIGITS) + "0123456789０１２３４５６７８９"
# A run: digit characters, optionally separated by single spaces/hyphens (ASR word
# boundaries, "138 0013 8888"). Units (万, 十, 百, 块) end a run, so 五万 stays.
_RUN_RE = re.compile(rf"[{_DIGIT_CHARS}](?:[ \-]?[{_DIGIT_CHARS}])*")


@dataclass(frozen=True, slots=True)
class DigitRun:
    """A run of digits in the original text: ``text[start:end]`` reads ``digits``."""

    start: int
    end: int
    digits: str
    spoken: bool  # at least one digit was a Chinese numeral


def find_digit_runs(text: str, min_digits: int = 3) -> list[DigitRun]:
    """Digit strings (Arabic, spoken Chinese, or mixed, split by spaces) with spans.

    Runs of fewer than ``min_digits`` digits are skipped; a run of spoken digits
    next to a unit (五万, 三十) never gets that long, and 一 alone is a word.
    """
    runs: list[DigitRun] = []
    for m in _RUN_RE.finditer(text):
        digits = "".join(spoken_digit(c) for c in m.group() if c not in " -")
        if len(digits) < min_digits:
            continue
        s, e = m.start(), m.end()
        spoken = any(c in SPOKEN_DIGITS for c in m.group())
        # 十/百/千/万/亿 right after a spoken run means a quantity (一九九八十 ...): skip.
        if spoken and e < len(text) and text[e] in "十百千万亿" and not any(c.isdigit() for c in m.group()):
            continue
        runs.append(DigitRun(s, e, digits, spoken))
    return runs


def spoken_digits_to_arabic(text: str) -> str:
    """幺三八零零 → 13800; runs of ≥ 3 digits joined across spaces. 五万, 五十万元 stay."""
    runs = find_digit_runs(text, 3)
    if not runs:
        return text
    parts: list[str] = []
    pos = 0
    for r in runs:
        parts.append(text[pos : r.start])
        parts.append(r.digits)
        pos = r.end
    parts.append(text[pos:])
    return "".join(parts)


# --------------------------------------------------------------------------- sentences

_SENT_END = re.compile(r"(?<=[。！？!?；;…\n])")
_COMMA_SPLIT = re.compile(r"(?<=[，,])")
# Discourse markers that start a new thought in unpunctuated speech.
_MARKERS = ("然后", "但是", "不过", "所以", "还有就是", "还有", "另外", "对了", "请问", "而且", "可是", "因为",
            "那我", "我想问", "我想", "麻烦你", "顺便问", "就是说")
_MARKER_RE = re.compile("|".join(sorted(_MARKERS, key=len, reverse=True)))


def _split_long(piece: str, max_len: int) -> list[str]:
    if len(piece) <= max_len:
        return [piece]
    out: list[str] = []
    cuts = [m.start() for m in _MARKER_RE.finditer(piece) if m.start() >= 4]
    start = 0
    for c in cuts:
        if c - start >= 4 and len(piece) - c >= 2:
            out.append(piece[start:c])
            start = c
    out.append(piece[start:])
    final: list[str] = []
    for p in out:
        while len(p) > max_len * 2:  # no marker at all: hard cut keeps features local
            final.append(p[:max_len])
            p = p[max_len:]
        final.append(p)
    return final


def split_sentences(text: str, max_len: int = 30) -> list[str]:
    """Sentences by end punctuation; long unpunctuated stretches are cut before
    discourse markers (然后/但是/还有/请问 ...), then by commas, then by length."""
    out: list[str] = []
    for sent in _SENT_END.split(text):
        sent = sent.strip()
        if not sent:
            continue
        pieces = [sent]
        if len(sent) > max_len:
            pieces = [p for p in _COMMA_SPLIT.split(sent) if p.strip()] if "，" in sent or "," in sent else [sent]
            merged: list[str] = []
            for p in pieces:  # re-join very short comma pieces (嗯，好，) with the next
                if merged and len(merged[-1]) < 6:
                    merged[-1] += p
                else:
                    merged.append(p)
            pieces = merged
        for p in pieces:
            out.extend(s.strip() for s in _split_long(p.strip(), max_len) if s.strip())
    return out


# --------------------------------------------------------------------------- tokens

def tokenizer() -> Any:
    """The package's jieba tokenizer: jieba's dictionary, the finance dictionary and any
    deployment dictionary (load_user_dict). Analysis and search split alike with it."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                tok = _new_tokenizer()
                if FINANCE_DICT.exists():
                    tok.load_userdict(str(FINANCE_DICT))
                _tokenizer = tok
    return _tokenizer


@lru_cache(maxsize=4)
def bare_tokenizer(words: tuple[str, ...], freq: int = 20000) -> Any:
    """jieba's dictionary plus only ``words`` (at ``freq``): the compliance rules' word
    boundaries were tuned on this one, without the finance dictionary's other words."""
    tok = _new_tokenizer()
    for word in words:
        tok.add_word(word, freq=freq)
    return tok


def _new_tokenizer() -> Any:
    # A private Tokenizer each: loading words never mutates jieba's global one.
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def load_user_dict(path: str | Path) -> None:
    """Add a deployment's words (jieba user-dict format: word [freq] [tag]) to
    this package's tokenizer; the global jieba instance is left alone."""
    tok = tokenizer()
    with _lock:
        tok.load_userdict(str(path))


def tokenize(text: str, *, hmm: bool = True) -> list[str]:
    """jieba words (finance dictionary loaded), whitespace dropped.

    ``hmm=False`` skips jieba's HMM guessing of unknown words: three times
    faster and steadier on ASR text, where "unknown words" are mostly errors.
    """
    return [w for w in tokenizer().lcut(text, HMM=hmm) if w.strip()]


# --------------------------------------------------------------------------- negation

_CLAUSE_BREAK = set("，。！？；,.!?;…\n")
# Longest first so 没有 is one negator, not 没 + 有.
_NEGATORS = ("并没有", "从来没", "从没", "没有", "并不", "不是", "不会", "不能", "不用", "不要", "不想", "不打算",
             "不必", "无法", "无需", "绝不", "别", "未", "没", "不", "甭", "非")
_NEG_RE = re.compile("|".join(_NEGATORS))
# Words that contain 不/没/未/非 but do not negate what follows.
_NOT_NEG = re.compile(r"不满|不行|不好|不错|不过|不少|不断|不到|不了|不然|不停|不管|不知道|不对|不见|不舒服"
                      r"|不公平|不合理|差不多|要不|不得不|没完|没用|没法|未来|未到期|非常|是非|并非常|不可能")
_SCOPE_CUT = re.compile(r"就|的话|否则|那么|那我")
_POST_NEG = re.compile(r"^.{0,3}?(?:就不用了|就算了|不至于|倒不必|没必要|就不必了|不需要|先不|算了)")
_HYPO_RE = re.compile(r"如果|假如|万一|要是|假设|倘若|若是|若|是不是|会不会|能不能|可不可以|有没有|是否|难道|要不要"
                      r"|万一要")
_Q_END = re.compile(r"[吗嘛么呢][？?。！!]?$|[？?]$")


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    s = start
    while s > 0 and text[s - 1] not in _CLAUSE_BREAK:
        s -= 1
    e = end
    while e < len(text) and text[e] not in _CLAUSE_BREAK:
        e += 1
    return s, e


def _sentence_end(text: str, end: int) -> int:
    e = end
    while e < len(text) and text[e] not in "。！？!?；;\n":
        e += 1
    return e


def is_question(text: str, start: int, end: int) -> bool:
    """The sentence holding text[start:end] is a question (…吗 / …？)."""
    e = _sentence_end(text, end)
    tail = text[max(end, e - 3) : e + 1].strip()
    return bool(_Q_END.search(tail)) or (e < len(text) and text[e] in "？?")


def is_negated(text: str, start: int, end: int, window: int = 6) -> bool:
    """Is the term at ``text[start:end]`` negated?

    Looks back up to ``window`` characters inside the clause for a negator
    (不/没/没有/并不/不是/不会/不能/无法/别/未 ...), skipping words that merely
    contain one (不满, 不了, 未来); an even number of negators cancels (不是不能).
    Also catches a dismissal right after the term (投诉就算了, 监管倒不至于).
    The rhetorical 不是…吗 (你们不是说保本吗) affirms the term: not negated.
    """
    cs, ce = _clause_bounds(text, start, end)
    left = text[max(cs, start - window) : start]
    # 再不处理我就打12378: a negator before 就/的话 belongs to the condition, not the term.
    scope = _SCOPE_CUT.split(left)
    left = scope[-1]
    masked = _NOT_NEG.sub(lambda m: "_" * len(m.group()), left)
    hits = _NEG_RE.findall(masked)
    negated = len(hits) % 2 == 1
    if negated and hits and hits[0] == "不是" and is_question(text, start, end):
        return False
    if not negated and _POST_NEG.search(text[end:ce]):
        return True
    return negated


def is_hypothetical(text: str, start: int, end: int, window: int = 12) -> bool:
    """Is the term asked about or supposed rather than asserted?

    True for a conditional (如果/假如/万一/要是 … before it in the sentence), a
    yes/no form (是不是/会不会/能不能/有没有 …) or a question ending (…吗 / ？).
    Callers decide what a conditional means: complaint risk counts a conditional
    threat (再不处理我就打12378) as a threat, qa treats 如果 … as no promise.
    """
    ss = start
    while ss > 0 and text[ss - 1] not in "。！？!?；;\n" and start - ss < window:
        ss -= 1
    if _HYPO_RE.search(text[ss:start]):
        return True
    return is_question(text, start, end)


def is_conditional(text: str, start: int, end: int, window: int = 12) -> bool:
    """Only the conditional part of is_hypothetical (如果/万一/要是/再不…就)."""
    ss = start
    while ss > 0 and text[ss - 1] not in "。！？!?；;\n" and start - ss < window:
        ss -= 1
    left = text[ss:start]
    return bool(re.search(r"如果|假如|万一|要是|假设|倘若|若是|再不|再这样|不然|否则", left))

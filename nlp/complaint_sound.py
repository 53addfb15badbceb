"""Complaint words as a recogniser hears them (used by nlp/complaint.py).

A threat is said with words a phone-audio recogniser rarely knows in context: 律师 comes out
绿师, 起诉 气诉, 销户 消户, 曝光 报光, 总行 宗行, 金融监管总局 金融间管总局, and a hotline is
read digit by digit (幺二三七八, 1 2 3 7 8, 要二三七八). Two readings put them back:

- ``heard_as_said``: the complaint vocabulary below through the same noisy-channel term
  corrector as the finance lexicon (nlp.terms): a window is read as a complaint word only
  when it sounds like it syllable by syllable, is no ordinary word itself (保管 stays, 律诗
  stays), cuts no common word in two, and the sentence reads better with the word. Same
  length, so offsets hold. Words whose sound is an everyday phrase are left out: 记者 (记着,
  几折), 媒体 (没提): the corrector would turn 你给我记着 into a reporter.
- ``hotlines``: a regulator's or a public hotline number read out, in digits or numerals,
  grouped, or with a digit heard as a same-sounding character (要 for 幺, 期 for 七): five
  digit sounds in a row that spell the number, at least three of them written as numerals,
  no numeral either side (a card or phone number that contains 12378 is no hotline) and
  not named as some account's number (尾号, 工号).

The corrected text is the complaint detector's alone: other analysers read the call as
nlp.view corrects it, so a complaint word never becomes a term elsewhere.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.phonetic import reading
from nlp.terms import TermCorrector

__all__ = ["COMPLAINT_TERMS", "heard_as_said", "hotlines"]

# Where a complaint goes and what it does: regulators, courts and lawyers, the media, the
# bank's own top, closing the account. Two syllables or more (the corrector's minimum).
COMPLAINT_TERMS: tuple[str, ...] = (
    "投诉", "举报", "监管", "监管局", "监管部门", "金融监管", "监管总局", "人民银行", "银保监", "消协", "上访",
    "律师", "律师函", "起诉", "法院", "打官司", "仲裁",
    "曝光", "抖音", "小红书", "电视台", "报社",
    "行长", "总行", "销户",
    # Four syllables or more, so one may be merely near (走行 for 总行: zou ~ zong), the rest
    # anchoring it (nlp.terms): the bank's top as the customer names it, the regulators in full.
    "你们总行", "你们行长", "金融监管局", "金融监管总局", "消费者协会", "监督管理局",
)


@lru_cache(maxsize=1)
def _corrector() -> TermCorrector:
    return TermCorrector(COMPLAINT_TERMS)


def heard_as_said(text: str) -> str:
    """``text`` with its misheard complaint words read back; same length."""
    return _corrector().correct(text)


# 12345 (the city hotline) is also what a customer types as a password or counts: written
# as digits it is matched by nlp.complaint's own pattern, read out it is no evidence here.
HOTLINES = ("12378", "12363", "12315")
# A number that is some account's, card's or person's (尾号一二三七八, 工号12378): no hotline.
_ITS_NUMBER = re.compile(r"号|码|编号|尾数|后五位")
_NUMERALS = dict(zip("0123456789０１２３４５６７８９零〇洞一幺二两三四五六七八九",
                     "0123456789" "0123456789" "000" "11" "22" "3456789", strict=True))
_SOUNDS = {"yi": "1", "yao": "1", "er": "2", "liang": "2", "san": "3", "si": "4", "wu": "5", "liu": "6", "qi": "7",
           "ba": "8", "jiu": "9", "ling": "0", "dong": "0"}
_SEPARATORS = frozenset(" -—、")  # a number read in groups: 123 78, 1-2-3-7-8


def _digit(ch: str) -> tuple[str, bool] | None:
    """The digit ``ch`` is or sounds like, and whether it is written as a numeral."""
    if ch in _NUMERALS:
        return _NUMERALS[ch], True
    d = _SOUNDS.get(reading(ch)) if "\u4e00" <= ch <= "\u9fff" else None
    return (d, False) if d else None


def hotlines(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that read out a hotline number (HOTLINES)."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for i in range(n):
        first = _digit(text[i])
        if first is None:
            continue
        digits, written, j = [first[0]], int(first[1]), i + 1
        while len(digits) < 5 and j < n:
            if text[j] in _SEPARATORS and j + 1 < n and _digit(text[j + 1]) is not None:
                j += 1
                continue
            d = _digit(text[j])
            if d is None:
                break
            digits.append(d[0])
            written += d[1]
            j += 1
        if len(digits) < 5 or "".join(digits) not in HOTLINES or written < 3:
            continue
        if _numeral_beside(text, i, -1) or _numeral_beside(text, j, 1) or _ITS_NUMBER.search(text, max(0, i - 4), i):
            continue
        out.append((i, j))
    return out


def _numeral_beside(text: str, pos: int, step: int) -> bool:
    """A written numeral just before ``pos`` (step -1) or at / after it (step 1), across separators."""
    k = pos - 1 if step < 0 else pos
    while 0 <= k < len(text) and text[k] in _SEPARATORS:
        k += step
    return 0 <= k < len(text) and text[k] in _NUMERALS

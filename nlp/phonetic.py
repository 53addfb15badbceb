"""Phonetic strings: toneless pinyin with zh/z ch/c sh/s and -ng/-n merged, one code
point per character (same offsets as the text), so cue regexes written in Chinese
match ASR homophones (到其 / 倒期 for 到期, 鸡金 for 基金). Used by the complaint
detector (nlp/complaint.py) and the upsell cue tables (upsell/cues.py).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from pypinyin.pinyin_dict import pinyin_dict

__all__ = ["pho", "reading", "readings", "rx"]

_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")
_READINGS = {"行": "hang", "重": "zhong", "长": "chang", "还": "hai"}
_codes: dict[str, str] = {}
_codes_lock = threading.Lock()


@lru_cache(maxsize=32768)
def readings(ch: str) -> frozenset[str]:
    """Every toneless pinyin reading of a character (empty when it has none)."""
    if ch in _READINGS:
        return frozenset((_READINGS[ch],))
    reading = pinyin_dict.get(ord(ch)) if "\u4e00" <= ch <= "\u9fff" else None
    return frozenset(r.translate(_TONES) for r in reading.split(",")) if reading else frozenset()


@lru_cache(maxsize=32768)
def reading(ch: str) -> str:
    """A character's usual toneless reading (行 hang, 长 chang; empty when it has none):
    what a recogniser that wrote this character most likely heard."""
    if ch in _READINGS:
        return _READINGS[ch]
    entry = pinyin_dict.get(ord(ch)) if "\u4e00" <= ch <= "\u9fff" else None
    return entry.split(",", 1)[0].translate(_TONES) if entry else ""


@lru_cache(maxsize=32768)
def _pho_char(ch: str) -> str:
    if not "\u4e00" <= ch <= "\u9fff":
        return ch
    syl = _READINGS.get(ch)
    if syl is None:
        reading = pinyin_dict.get(ord(ch))
        if reading is None:
            return ch
        syl = reading.split(",", 1)[0].translate(_TONES)
    for hard in ("zh", "ch", "sh"):  # the usual ASR / southern-accent confusions
        if syl.startswith(hard):
            syl = syl[0] + syl[2:]
    if syl.endswith("ng"):
        syl = syl[:-1]
    with _codes_lock:
        return _codes.setdefault(syl, chr(0xF0000 + len(_codes)))


def pho(text: str) -> str:
    """The phonetic string of ``text``: one code per character, same offsets."""
    return "".join(_pho_char(c) for c in text)


def rx(pattern: str) -> re.Pattern[str]:
    """A regex written in Chinese, compiled to run over phonetic strings (same offsets)."""
    return re.compile(pho(pattern))

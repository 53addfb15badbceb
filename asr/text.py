"""Cleaning Whisper's text: Simplified characters, no stray spaces, no known
hallucinations.

The multilingual base model writes about half its Chinese output in Traditional
characters; everything downstream (jieba, rules, search) expects Simplified.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Whisper was trained on subtitled video: on noise or music it sometimes "hears"
# subtitle credits. These whole-segment phrases are never said in a bank call.
_HALLUCINATIONS = re.compile(
    r"^(请不吝点赞.*|.*字幕(由|制作|提供).*|.*Amara\.org.*|.*明镜与点点.*|.*订阅.*转发.*|谢谢观看|感谢观看)$"
)
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_FULL_WIDTH = str.maketrans({",": "，", "?": "？", "!": "！", ";": "；", ":": "："})
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


@lru_cache(maxsize=1)
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return str(_converter().convert(text)) if text else text


def clean_text(text: str) -> str:
    """Simplified, trimmed; a space between Chinese phrases becomes a comma (Whisper
    marks pauses that way); known hallucinated credits become empty."""
    # U+FFFD: a multi-byte character cut at a token boundary.
    out = to_simplified(text.replace("\ufffd", "").strip())
    out = _CJK_GAP.sub("，", out)
    if _HALLUCINATIONS.match(out):
        return ""
    if _HAS_CJK.search(out):
        # Whisper writes ASCII punctuation in Chinese text; display and sentence
        # splitting expect the full-width forms. A piece cut at a pause keeps no
        # dangling comma.
        out = out.translate(_FULL_WIDTH).rstrip("，、")
    return out

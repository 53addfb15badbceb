"""Character error rate, the usual ASR measure for Chinese."""

from __future__ import annotations

import re
import unicodedata

_DROP = re.compile(r"[\s\W_]+", re.UNICODE)


def strip_punct(text: str) -> str:
    """Remove whitespace and punctuation (scoring ignores them), fold width."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text)).lower()


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def cer(reference: str, hypothesis: str) -> float:
    """Edits / reference characters, after removing punctuation on both sides."""
    ref, hyp = strip_punct(reference), strip_punct(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return edit_distance(ref, hyp) / len(ref)

"""Masking of personal numbers in what leaves the system (API, exports, CLI).

The detection itself lives in nlp/pii.py (pure); this module applies it to stored
shapes: segment texts, word lists and the result JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nlp.pii import mask_text, mask_turns

__all__ = ["mask_result", "mask_segment_texts", "mask_segments", "mask_text", "mask_words"]


def mask_words(words: list[Any] | None) -> list[Any] | None:
    if not words:
        return words
    # A number spoken across several words only shows as a whole: mask the joined
    # text, then hand each word back its own slice of the masked string.
    joined = "".join(w.get("text", "") for w in words)
    masked = mask_text(joined)
    if masked == joined or len(masked) != len(joined):
        return words if masked == joined else [{**w, "text": "*" * len(w.get("text", ""))} for w in words]
    return _slice_words(words, masked)


def _slice_words(words: list[Any], masked: str) -> list[Any]:
    out, pos = [], 0
    for w in words:
        n = len(w.get("text", ""))
        out.append({**w, "text": masked[pos : pos + n]})
        pos += n
    return out


def mask_segment_texts(segments: Sequence[tuple[str | None, str]]) -> list[str]:
    """The masked text of each (speaker, text) in time order, a number split over two
    turns of one speaker included (nlp.pii.mask_turns)."""
    return mask_turns(segments)


def mask_segments(segments: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Masked copies of segment dicts (``speaker``, ``text``, optional ``words``), masked
    together so that a number split across two consecutive turns is masked in both."""
    texts = mask_turns([(s.get("speaker"), s.get("text", "")) for s in segments])
    word_texts = mask_turns([(s.get("speaker"), "".join(w.get("text", "") for w in s.get("words") or []))
                             for s in segments])
    out = []
    for seg, text, wtext in zip(segments, texts, word_texts, strict=True):
        seg = {**seg, "text": text}
        if seg.get("words"):
            seg["words"] = _slice_words(seg["words"], wtext)
        out.append(seg)
    return out


# Identifiers and metadata are ours, not something a customer said.
_KEEP = frozenset({"call", "id", "rule", "rule_pack", "schema_version"})


def _mask_any(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, list):
        return [_mask_any(v) for v in value]
    if isinstance(value, dict):
        return {k: (v if k in _KEEP else _mask_any(v)) for k, v in value.items()}
    return value


def mask_result(result: dict[str, Any]) -> dict[str, Any]:
    """A masked copy of a result document: every text a person said, wherever a
    later stage quotes it (segments, evidence, summary), goes through mask_text."""
    masked = {k: (v if k in _KEEP else _mask_any(v)) for k, v in result.items() if k != "segments"}
    if "segments" in result:
        masked["segments"] = mask_segments(result["segments"])
    masked["pii_masked"] = True
    return masked

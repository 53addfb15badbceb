"""Masking of personal numbers in what leaves the system (API, exports, CLI).

The detection itself lives in nlp/pii.py (pure); this module applies it to stored
shapes: segment texts, word lists and the result JSON.
"""

from __future__ import annotations

from typing import Any

from nlp.pii import mask_text

__all__ = ["mask_result", "mask_text", "mask_words"]


def mask_words(words: list[Any] | None) -> list[Any] | None:
    if not words:
        return words
    # A number spoken across several words only shows as a whole: mask the joined
    # text, then hand each word back its own slice of the masked string.
    joined = "".join(w.get("text", "") for w in words)
    masked = mask_text(joined)
    if masked == joined or len(masked) != len(joined):
        return words if masked == joined else [{**w, "text": "*" * len(w.get("text", ""))} for w in words]
    out, pos = [], 0
    for w in words:
        n = len(w.get("text", ""))
        out.append({**w, "text": masked[pos : pos + n]})
        pos += n
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
    segments = []
    for seg in result.get("segments", []):
        seg = dict(seg)
        seg["text"] = mask_text(seg.get("text", ""))
        if "words" in seg:
            seg["words"] = mask_words(seg["words"])
        segments.append(seg)
    if "segments" in result:
        masked["segments"] = segments
    masked["pii_masked"] = True
    return masked

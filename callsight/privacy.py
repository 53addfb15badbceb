"""Masking of personal numbers in what leaves the system (API, exports, CLI).

The detection itself lives in nlp/pii.py (pure); this module applies it to what is
shown: typed word records, and — at the JSON edge, where the API and the CLI hand out
a stored result or transcript rows — JSON documents. The edge functions read the
document's structure through the typed records (core/result.py) and change nothing
but texts, so a masked document keeps every other key and value as stored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from core.jsonio import JsonObject, parse
from core.result import SegmentRecord, WordRecord
from nlp.pii import known_numbers, mask_known, mask_text, mask_turns

__all__ = ["mask_result", "mask_segment_texts", "mask_segments", "mask_text", "mask_words"]


def _slice_words(texts: Sequence[str], masked: str) -> list[str]:
    """Each word's slice of the masked joined text: a number spoken across several words
    only shows as a whole, so the joined text is masked and handed back word by word."""
    out, pos = [], 0
    for t in texts:
        out.append(masked[pos : pos + len(t)])
        pos += len(t)
    return out


def mask_words(words: Sequence[WordRecord]) -> tuple[WordRecord, ...]:
    """Masked copies of one turn's words."""
    texts = [w.text for w in words]
    joined = "".join(texts)
    masked = mask_text(joined)
    if masked == joined:
        return tuple(words)
    # A masking that changed the length cannot be sliced back: every word is starred.
    shown = _slice_words(texts, masked) if len(masked) == len(joined) else ["*" * len(t) for t in texts]
    return tuple(dataclasses.replace(w, text=t) for w, t in zip(words, shown, strict=True))


def mask_segment_texts(segments: Sequence[tuple[str | None, str]]) -> list[str]:
    """The masked text of each (speaker, text) in time order, a number split over two
    turns of one speaker included (nlp.pii.mask_turns)."""
    return mask_turns(segments)


def _masked_turns(turns: Sequence[tuple[str | None, str, Sequence[str]]]) -> list[tuple[str, list[str]]]:
    """(speaker, text, word texts) of each turn → its masked text and word texts; turns are
    masked together so that a number split across two consecutive turns is masked in both."""
    texts = mask_turns([(speaker, text) for speaker, text, _ in turns])
    joined = mask_turns([(speaker, "".join(words)) for speaker, _, words in turns])
    return [(text, _slice_words(words, wtext) if words else [])
            for (_, _, words), text, wtext in zip(turns, texts, joined, strict=True)]


def mask_segments(segments: Sequence[JsonObject]) -> list[JsonObject]:
    """Masked copies of transcript rows as the API builds them (``speaker``, ``text``,
    ``words``: a list of word objects or None)."""
    turns = [(s["speaker"], s["text"], [w["text"] for w in s["words"] or ()]) for s in segments]
    out = []
    for seg, (text, words) in zip(segments, _masked_turns(turns), strict=True):
        out.append({**seg, "text": text,
                    "words": [{**w, "text": t} for w, t in zip(seg["words"], words, strict=True)] if words
                    else seg["words"]})
    return out


# Identifiers and metadata are ours, not something a customer said.
_KEEP = frozenset({"call", "id", "rule", "rule_pack", "schema_version"})


def _mask_any(value: Any, known: dict[str, tuple[int, int]]) -> Any:
    """``known``: the numbers found in the call's turns, masked here whatever surrounds
    them: a keyword or a quoted clause has lost the label that made them a number."""
    if isinstance(value, str):
        return mask_known(mask_text(value), known)
    if isinstance(value, list):
        return [_mask_any(v, known) for v in value]
    if isinstance(value, dict):
        return {k: (v if k in _KEEP else _mask_any(v, known)) for k, v in value.items()}
    return value


def mask_result(result: JsonObject) -> JsonObject:
    """A masked copy of a result document: every text a person said, wherever a
    later stage quotes it (segments, evidence, summary, keywords), goes through mask_text,
    and the numbers found in the turns are masked wherever they are quoted."""
    docs: list[JsonObject] = result.get("segments") or []
    records = parse(tuple[SegmentRecord, ...], docs)
    known = {**known_numbers([(r.speaker, r.text) for r in records]),
             **known_numbers([(r.speaker, "".join(w.text for w in r.words) or r.text) for r in records])}
    masked = {k: (v if k in _KEEP else _mask_any(v, known)) for k, v in result.items() if k != "segments"}
    if "segments" in result:
        turns = _masked_turns([(r.speaker, r.text, [w.text for w in r.words]) for r in records])
        masked["segments"] = [
            {**doc, "text": text, **({"words": [{**w, "text": t} for w, t in zip(doc["words"], words, strict=True)]}
                                     if r.words else {})}
            for doc, r, (text, words) in zip(docs, records, turns, strict=True)]
    masked["pii_masked"] = True
    return masked

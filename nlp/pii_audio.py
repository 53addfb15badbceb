"""Where personal numbers were said, in seconds of audio (for the bleeped copy):
detection is nlp.pii's, on each segment's text and across turns of one speaker."""

from __future__ import annotations

from collections.abc import Sequence

from core.types import Segment
from nlp.pii import crossing, find_pii, leads, pieces_positions

__all__ = ["pii_time_spans"]


def _merge(spans: list[tuple[float, float]], gap: float = 0.05) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + gap:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def pii_time_spans(segments: Sequence[Segment], *, pad: float = 0.1) -> list[tuple[float, float]]:
    """Seconds of audio to silence: where each personal number was said.

    With word timestamps the span runs from the first to the last word that holds
    a digit of the number (numbers split across words are found on the joined
    words). Without them the segment's time is spread evenly over its characters,
    an estimate, so the span is padded by ``pad`` seconds each side either way.
    A number split over turns of one speaker (``mask_turns``) is silenced in each.
    Sorted, overlapping spans merged.
    """
    spans: list[tuple[float, float]] = []
    texts = [_spoken_text(seg) for seg in segments]
    turns = [(seg.speaker, t) for seg, t in zip(segments, texts, strict=True)]
    for seg, text, lead in zip(segments, texts, leads(turns), strict=True):
        for hit in find_pii(text, lead):
            spans.append(_time_span(seg, text, hit.start, hit.end, pad))
    for pieces, found in crossing(turns):
        for c in found:
            by_turn: dict[int, list[int]] = {}
            for k, p in pieces_positions(turns, pieces, c.positions):
                by_turn.setdefault(k, []).append(p)
            for k, ps in by_turn.items():
                spans.append(_time_span(segments[k], texts[k], ps[0], ps[-1] + 1, pad))
    return _merge(spans)


def _spoken_text(seg: Segment) -> str:
    """What detection runs on: the joined words when there are word timestamps."""
    return "".join(w.text for w in seg.words) if seg.words else seg.text


def _time_span(seg: Segment, text: str, start: int, end: int, pad: float) -> tuple[float, float]:
    """Seconds of ``text[start:end]`` in the segment: from its words' timestamps, else
    the segment's time spread evenly over its characters (an estimate)."""
    if seg.words:
        owner: list[int] = [k for k, w in enumerate(seg.words) for _ in w.text]
        ws = [seg.words[owner[p]] for p in range(start, end)]
        return (max(seg.start, min(w.start for w in ws) - pad) if ws else seg.start,
                max(w.end for w in ws) + pad if ws else seg.end)
    per_char = seg.duration / max(1, len(seg.text))
    s = seg.start + start * per_char - pad
    e = seg.start + end * per_char + pad
    return (max(seg.start, s), min(seg.end, e) if seg.end > seg.start else e)

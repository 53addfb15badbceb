"""Small builders for compliance tests."""

from __future__ import annotations

from core.types import Segment, Transcript


def call(*turns: tuple[str, str], channels: int = 2, gap: float = 0.5, cps: float = 4.5) -> Transcript:
    """Turns as (speaker, text) in order; times at ``cps`` characters per second."""
    segs = []
    t = 0.0
    for speaker, text in turns:
        d = max(0.8, len(text) / cps)
        segs.append(Segment(speaker, t, t + d, text))  # type: ignore[arg-type]
        t += d + gap
    return Transcript(tuple(segs), t, channels)


def timed(*turns: tuple[str, float, float, str], channels: int = 2) -> Transcript:
    segs = tuple(Segment(s, a, b, x) for s, a, b, x in turns)  # type: ignore[arg-type]
    return Transcript(segs, max(s.end for s in segs), channels)

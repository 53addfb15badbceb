"""Small builders for compliance tests."""

from __future__ import annotations

from functools import lru_cache

from core.types import Segment, Transcript
from qa import RulePack, evaluate, load_pack


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


# A call framed by a compliant greeting and close, for tests of one rule in between.
GREET = ("agent", "您好，这里是城东银行，我是客户经理小王")
CLOSE = ("agent", "好的，感谢您的来电，再见")


@lru_cache(maxsize=1)
def _default_pack() -> RulePack:
    return load_pack()


def identity_of(*turns: tuple[str, str], first: tuple[str, str] = GREET) -> tuple[bool, bool]:
    """(applicable, passed) of identity_verification on ``turns`` between a greeting and a close."""
    f = evaluate(call(first, *turns, CLOSE), _default_pack()).finding("identity_verification")
    return f.applicable, f.passed


def verdict(rule: str, *turns: tuple[str, str], first: tuple[str, str] = GREET,
            pack: RulePack | None = None) -> str:
    """``rule``'s verdict ("na", "pass" or "fail") on ``turns`` between ``first`` and a close."""
    f = evaluate(call(first, *turns, CLOSE), pack or _default_pack()).finding(rule)
    return "na" if not f.applicable else ("pass" if f.passed else "fail")

"""Pure streaming parts: PCM de-interleaving, the energy segmenter, the live conversation."""

from __future__ import annotations

import numpy as np
import pytest

from asr.stream import EnergySegmenter, deinterleave_pcm16, resample
from core.result import OpeningRecord
from upsell.during_call import LiveConversation
from upsell.scripts import load_library

RATE = 8000


def _tone(seconds: float, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amp * np.sin(2 * np.pi * 300 * t)).astype(np.float32)


def _quiet(seconds: float) -> np.ndarray:
    return (np.random.default_rng(0).standard_normal(int(seconds * RATE)) * 0.001).astype(np.float32)


def test_deinterleave_and_bad_frames() -> None:
    pcm = np.array([1000, -2000, 3000, -4000], dtype="<i2").tobytes()
    a, b = deinterleave_pcm16(pcm, 2)
    assert a.tolist() == pytest.approx([1000 / 32768, 3000 / 32768]) and b.tolist() == pytest.approx(
        [-2000 / 32768, -4000 / 32768])
    with pytest.raises(ValueError, match="not a whole number"):
        deinterleave_pcm16(pcm[:-2], 2)


def test_segmenter_cuts_at_pauses_in_any_frame_size() -> None:
    audio = np.concatenate([_quiet(1.0), _tone(1.5), _quiet(0.3), _tone(0.5), _quiet(1.0), _tone(1.0), _quiet(1.0)])
    for chunk in (160, 800, 1234):
        seg = EnergySegmenter(1, RATE, pause_s=0.5)
        utts = [u for i in range(0, len(audio), chunk) for u in seg.feed(audio[i : i + chunk])] + seg.flush()
        # The 0.3 s gap is inside one utterance; the 1 s gaps end one.
        assert [(round(u.start, 1), round(u.end, 1)) for u in utts] == [(1.0, 3.3), (4.3, 5.3)], chunk
        assert all(u.channel == 1 and not u.cut for u in utts)
        assert len(utts[0].audio) >= int(2.3 * RATE)  # the words, with lead-in and tail


def test_segmenter_drops_clicks_and_cuts_long_speech() -> None:
    seg = EnergySegmenter(0, RATE, pause_s=0.5, max_s=2.0)
    click = np.concatenate([_quiet(1.0), _tone(0.06), _quiet(1.0)])
    assert seg.feed(click) == [] and seg.flush() == []
    seg = EnergySegmenter(0, RATE, pause_s=0.5, max_s=2.0)
    utts = seg.feed(np.concatenate([_quiet(0.5), _tone(5.0), _quiet(1.0)]))
    assert len(utts) >= 2 and utts[0].cut and utts[0].end - utts[0].start == pytest.approx(2.0, abs=0.05)


def test_resample_doubles_8k() -> None:
    out = resample(_tone(1.0), RATE, 16000)
    assert abs(len(out) - 16000) <= 64 and out.dtype == np.float32


def test_live_conversation_suggests_once_then_reports_taken() -> None:
    conv = LiveConversation(load_library(), {"customer_risk_level": "C3"})
    assert conv.add_turn("agent", "您好恒信银行理财经理小王", 0, 2) == ()
    events = conv.add_turn("customer", "我那个李财下个月十五号到其了三十万", 2.5, 6)
    assert [e.kind for e in events] == ["suggestion"]
    ev = events[0].to_json()
    assert ev["opening"]["type"] == "maturity" and ev["opening"]["taken"] is False and ev["scripts"]
    assert all(int(s["risk_level"][1]) <= 3 for s in ev["scripts"] if s["risk_level"])
    assert conv.add_turn("customer", "对三十万下个月到期", 6.5, 8) == ()  # same opening, not repeated
    taken = conv.add_turn("agent", "到期以后可以考虑转存我们的大额存单", 8.5, 11)
    assert [e.kind for e in taken] == ["taken"]
    opening = taken[0].opening
    assert isinstance(opening, OpeningRecord) and opening.evidence.agent is not None
    assert opening.evidence.agent.kind == "offer"
    # A late agent turn that belongs earlier in time does not repeat the suggestion.
    assert conv.add_turn("agent", "好的", 1.0, 1.2) == ()
    with pytest.raises(ValueError):
        conv.add_turn("robot", "x", 0, 1)  # type: ignore[arg-type]


def test_live_conversation_without_library_or_unknown_level() -> None:
    ev = LiveConversation(None).add_turn("customer", "孩子明年要上大学学费得准备一下", 0, 3)
    assert ev[0].to_json()["scripts"] == []
    unknown = LiveConversation(load_library()).add_turn("customer", "孩子明年要上大学学费得准备一下", 0, 3)
    assert all(not s["investment"] for s in unknown[0].to_json()["scripts"])  # level unknown: no investment

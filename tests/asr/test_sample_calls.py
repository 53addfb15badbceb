"""The bundled two-channel sample calls through the real ASR engine: turns come
back interleaved in the right order with the right speakers, close to the script."""

from __future__ import annotations

import json
from typing import Any

import pytest

from asr.metrics import cer
from tests.conftest import SAMPLE_CALLS


@pytest.mark.asr
def test_sample_call_turns_speakers_and_cer(asr_engine: Any) -> None:
    audio = SAMPLE_CALLS / "01_dingtou_inquiry.opus"
    if not audio.exists():
        pytest.skip("sample calls not present")
    ref = json.loads(audio.with_suffix(".json").read_text(encoding="utf-8"))
    tr = asr_engine.transcribe(audio)
    assert tr.channels == 2 and tr.role_confidence == 1.0
    assert [s.speaker for s in tr.segments] == [t["speaker"] for t in ref["turns"]]
    for seg, turn in zip(tr.segments, ref["turns"], strict=True):
        assert abs(seg.start - turn["start"]) < 1.5
    assert all(a.start <= b.start for a, b in zip(tr.segments, tr.segments[1:], strict=False))
    for speaker in ("agent", "customer"):
        hyp = "".join(s.text for s in tr.segments if s.speaker == speaker)
        gold = "".join(t["text"] for t in ref["turns"] if t["speaker"] == speaker)
        assert cer(gold, hyp) < 0.35, (speaker, hyp)

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


@pytest.mark.asr
def test_mono_downmix_gets_roles_from_the_text(asr_engine: Any, tmp_path: Any) -> None:
    from asr.audio import load_channels
    from tests.audio_helpers import write_wav

    audio = SAMPLE_CALLS / "07_cd_large_deposit.opus"
    if not audio.exists():
        pytest.skip("sample calls not present")
    ref = json.loads(audio.with_suffix(".json").read_text(encoding="utf-8"))["turns"]
    ch = load_channels(audio, sample_rate=8000)
    mono = write_wav(tmp_path / "mono.wav", [(ch[0] + ch[1]) * 0.7], 8000)
    tr = asr_engine.transcribe(mono)
    assert tr.channels == 1 and 0.5 < tr.role_confidence < 1.0
    assert tr.segments[0].speaker == "agent"
    # Speech time attributed to the right speaker, judged against the script's turn times.
    right = total = 0.0
    for seg in tr.segments:
        for w in seg.words:
            mid = (w.start + w.end) / 2
            truth = [t["speaker"] for t in ref if t["start"] - 0.3 <= mid <= t["end"] + 0.3]
            if len(truth) == 1:
                total += w.end - w.start
                right += (w.end - w.start) * (truth[0] == seg.speaker)
    assert right / total > 0.7, right / total

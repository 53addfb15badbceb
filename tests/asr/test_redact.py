"""The bleeped copy: spans replaced by a tone on every channel, the rest untouched."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from asr.audio import load_channels, probe
from asr.redact import bleep
from tests.audio_helpers import tone, write_wav


def test_bleep_replaces_only_the_spans(tmp_path: Path) -> None:
    src = write_wav(tmp_path / "call.wav", [tone(4.0, 300), tone(4.0, 500)], 8000)
    out = tmp_path / "call.bleeped.flac"
    assert bleep(src, [(1.0, 2.0)], out) == 1
    info = probe(out)
    assert info.channels == 2 and info.sample_rate == 8000
    before = load_channels(src, sample_rate=8000)
    after = load_channels(out, sample_rate=8000)
    for b, a in zip(before, after, strict=True):
        assert np.allclose(a[:7900], b[:7900], atol=2e-4)  # untouched before the span
        assert np.allclose(a[16100:31900], b[16100:31900], atol=2e-4)  # and after it
        spectrum = np.abs(np.fft.rfft(a[8000:16000]))
        assert abs(np.argmax(spectrum) * 8000 / 8000 - 1000) < 3  # the span is the 1 kHz tone
    assert not list(tmp_path.glob(".*.part"))

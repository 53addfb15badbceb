"""Make small audio files for tests (stdlib wave + numpy; PyAV for other codecs)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np


def write_wav(path: Path, channels: list[np.ndarray], rate: int = 8000) -> Path:
    n = max(len(c) for c in channels)
    data = np.zeros((n, len(channels)), dtype=np.int16)
    for i, c in enumerate(channels):
        data[: len(c), i] = np.clip(c * 32767, -32768, 32767).astype(np.int16)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(len(channels))
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data.tobytes())
    return path


def silence(seconds: float, rate: int = 8000) -> np.ndarray:
    return np.zeros(int(seconds * rate), dtype=np.float32)


def read_mono(path: Path, rate: int = 16000) -> np.ndarray:
    from asr.audio import load_channels

    chans = load_channels(path, sample_rate=rate)
    return chans[0]


def two_speaker_call(path: Path, agent_clip: Path, customer_clip: Path, rate: int = 16000, gap: float = 0.8) -> Path:
    """Channel 0 speaks first, channel 1 answers after it: a minimal two-channel call."""
    a = read_mono(agent_clip, rate)
    c = read_mono(customer_clip, rate)
    g = int(gap * rate)
    total = len(a) + g + len(c) + g
    ch0 = np.zeros(total, dtype=np.float32)
    ch1 = np.zeros(total, dtype=np.float32)
    ch0[: len(a)] = a
    ch1[len(a) + g : len(a) + g + len(c)] = c
    return write_wav(path, [ch0, ch1], rate)

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


def tone(seconds: float, freq: float = 440.0, rate: int = 8000, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


_LAYOUTS = {1: "mono", 2: "stereo", 6: "5.1"}


def encode(path: Path, channels: list[np.ndarray], rate: int, codec: str) -> Path:
    """Encode planar float channels with PyAV (mp3, aac in m4a, opus, flac, vorbis ...)."""
    import av

    n = max(len(c) for c in channels)
    data = np.zeros((len(channels), n), dtype=np.float32)
    for i, c in enumerate(channels):
        data[i, : len(c)] = c
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout=_LAYOUTS[len(channels)])  # type: ignore[call-overload]
        fmt = stream.codec_context.codec.audio_formats[0].name
        frame_size = stream.codec_context.frame_size or 1024
        for pos in range(0, n, frame_size):
            block = data[:, pos : pos + frame_size]
            layout = _LAYOUTS[len(channels)]
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(block), format="fltp", layout=layout)
            frame.sample_rate = rate
            frame.pts = pos
            if fmt != "fltp":
                frame = av.AudioResampler(format=fmt, layout=_LAYOUTS[len(channels)], rate=rate).resample(frame)[0]
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path

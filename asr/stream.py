"""Streaming audio for live suggestions: split interleaved PCM into channels, and cut
each channel into utterances at pauses, as the audio arrives.

Pure (no I/O, no model): bytes and arrays in, ``Utterance`` values out. The
segmenter is a small energy VAD with an adaptive noise floor, enough for the
two-channel telephone case where each channel holds one speaker and silence
between their turns; an utterance ends after ``pause_s`` of quiet (that pause is
the floor of the live latency), or is cut at ``max_s`` so that ASR latency stays
bounded on a long monologue.
"""

from __future__ import annotations

from dataclasses import dataclass

import av
import numpy as np

from asr.audio import WHISPER_RATE

__all__ = ["EnergySegmenter", "Utterance", "deinterleave_pcm16", "resample"]


def deinterleave_pcm16(data: bytes, channels: int) -> list[np.ndarray]:
    """Interleaved little-endian 16-bit PCM → one float32 array per channel, in [-1, 1)."""
    if channels < 1:
        raise ValueError("channels must be at least 1")
    frame = 2 * channels
    if len(data) % frame:
        raise ValueError(f"a frame of {len(data)} bytes is not a whole number of {channels}-channel 16-bit samples "
                         f"({frame} bytes each)")
    pcm = np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0
    return [np.ascontiguousarray(pcm[c::channels]) for c in range(channels)]


def resample(audio: np.ndarray, rate: int, target: int = WHISPER_RATE) -> np.ndarray:
    """One utterance to Whisper's rate (FFmpeg's resampler, as for recordings)."""
    audio = np.asarray(audio, dtype=np.float32).reshape(-1)
    if rate == target or audio.size == 0:
        return audio.copy()
    frame = av.AudioFrame.from_ndarray(audio.reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="flt", layout="mono", rate=target)
    out = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    out += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(out).astype(np.float32, copy=False) if out else np.zeros(0, np.float32)


@dataclass(frozen=True, slots=True)
class Utterance:
    channel: int
    start: float  # seconds from the start of the stream
    end: float  # end of the last voiced frame
    audio: np.ndarray  # float32 at the stream's rate, with a little lead-in and tail
    cut: bool = False  # cut at max_s rather than ended by a pause


class EnergySegmenter:
    """Cut one channel into utterances as audio arrives (``feed``), ``flush`` at the end."""

    FRAME_S = 0.02
    MIN_RMS = 0.004  # about -48 dBFS: quieter is never speech on a phone line
    SNR = 3.0  # speech is this many times the noise floor's RMS

    def __init__(self, channel: int, sample_rate: int, *, pause_s: float = 0.5, max_s: float = 12.0,
                 min_voiced_s: float = 0.2, lead_s: float = 0.2) -> None:
        self.channel = channel
        self.rate = sample_rate
        self.frame = max(1, round(sample_rate * self.FRAME_S))
        self.pause_frames = max(1, round(pause_s / self.FRAME_S))
        self.max_frames = round(max_s / self.FRAME_S)
        self.min_voiced = max(1, round(min_voiced_s / self.FRAME_S))
        self.lead = round(lead_s * sample_rate)
        self._pending = np.zeros(0, np.float32)  # samples not yet a whole frame
        self._history: list[np.ndarray] = []  # recent frames (lead-in of the next utterance)
        self._buf: list[np.ndarray] = []  # frames of the current utterance
        self._frames = 0  # frames consumed so far
        self._noise: float | None = None
        self._start_frame = -1  # first voiced frame of the current utterance; -1: none open
        self._last_voiced = -1
        self._voiced = 0
        self._lead_n = 0  # lead-in frames at the head of _buf

    @property
    def in_speech(self) -> bool:
        return self._start_frame >= 0

    def _emit(self, upto_frame: int, cut: bool) -> Utterance | None:
        """Close the open utterance after frame ``upto_frame`` (inclusive)."""
        start, voiced = self._start_frame, self._voiced
        n_keep = upto_frame - start + 1 + round(0.1 / self.FRAME_S)  # a 100 ms tail
        frames = self._buf[: max(0, n_keep + self._lead_n)]
        self._start_frame, self._voiced, self._buf = -1, 0, []
        if voiced < self.min_voiced:
            return None  # a click or a breath
        audio = np.concatenate(frames) if frames else np.zeros(0, np.float32)
        return Utterance(self.channel, start * self.FRAME_S, (self._last_voiced + 1) * self.FRAME_S, audio, cut)

    @property
    def _lead_frames(self) -> int:
        return self.lead // self.frame

    def _step(self, frame: np.ndarray) -> Utterance | None:
        idx = self._frames
        self._frames += 1
        rms = float(np.sqrt(np.mean(frame * frame)))
        if self._noise is None:
            self._noise = rms
        voiced = rms > max(self.MIN_RMS, self._noise * self.SNR)
        if not voiced and not self.in_speech:
            # The floor follows quiet frames; it never learns from speech.
            self._noise = 0.95 * self._noise + 0.05 * rms
        out = None
        if self.in_speech:
            self._buf.append(frame)
            if voiced:
                self._last_voiced = idx
                self._voiced += 1
            if idx - self._last_voiced >= self.pause_frames:
                out = self._emit(self._last_voiced, cut=False)
            elif idx - self._start_frame + 1 >= self.max_frames:
                out = self._emit(idx, cut=True)
                self._last_voiced = idx
        elif voiced:
            lead = self._history[-self._lead_frames:] if self._lead_frames else []
            self._buf = [*lead, frame]
            self._lead_n = len(lead)
            self._start_frame = self._last_voiced = idx
            self._voiced = 1
        self._history.append(frame)
        if len(self._history) > self._lead_frames + 1:
            del self._history[0]
        return out

    def feed(self, samples: np.ndarray) -> list[Utterance]:
        data = np.concatenate([self._pending, np.asarray(samples, dtype=np.float32).reshape(-1)])
        n = len(data) // self.frame
        out = []
        for i in range(n):
            u = self._step(data[i * self.frame : (i + 1) * self.frame])
            if u is not None:
                out.append(u)
        self._pending = data[n * self.frame :]
        return out

    def flush(self) -> list[Utterance]:
        """End of stream: close an open utterance."""
        if not self.in_speech:
            return []
        u = self._emit(self._last_voiced, cut=False)
        return [u] if u is not None else []

    @property
    def position_s(self) -> float:
        return self._frames * self.FRAME_S

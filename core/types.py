"""The pipeline's own value types.

Every stage (asr/, nlp/, qa/) takes and returns these frozen dataclasses, so no
third-party type (faster-whisper's Segment, an ORM row) leaks across a package
boundary. This module imports nothing but the standard library on purpose: the
pure packages depend on it and must stay cheap to import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Speaker = Literal["agent", "customer"]
SPEAKERS: tuple[Speaker, ...] = ("agent", "customer")


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word (for Chinese, usually one or a few characters)."""

    text: str
    start: float
    end: float
    probability: float


@dataclass(frozen=True, slots=True)
class Segment:
    """One turn: who said what, when. Times are seconds from the call start."""

    speaker: Speaker
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    channel: int | None = None

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True, slots=True)
class AsrInfo:
    """How a transcript was produced; absent for ingested transcripts."""

    model: str
    compute_type: str
    device: str
    seconds: float
    language: str = "zh"
    hotwords: bool = False


@dataclass(frozen=True, slots=True)
class Transcript:
    """A whole call, time-ordered segments of both speakers."""

    segments: tuple[Segment, ...]
    duration_s: float
    channels: int
    role_confidence: float = 1.0
    asr: AsrInfo | None = None
    sample_rate: int | None = None

    def by_speaker(self, speaker: Speaker) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.speaker == speaker)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass(frozen=True, slots=True)
class AudioInfo:
    """What probing a recording found, before any transcription."""

    format: str
    codec: str
    sample_rate: int
    channels: int
    duration_s: float
    size_bytes: int
    extra: dict[str, str] = field(default_factory=dict)

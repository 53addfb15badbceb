"""Reading recordings: probe what a file is, decode it channel by channel.

PyAV (FFmpeg) reads every container and codec a call centre produces (wav, mp3,
m4a/aac, ogg/opus, flac, amr ...). Every failure becomes an ``AudioError`` with a
machine-readable ``code`` and a message a user can act on; callers map the code to
an HTTP status or a failed call status. Decoding streams in chunks so that a
three-hour recording never sits in memory whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

from core.types import AudioInfo

WHISPER_RATE = 16000


class AudioError(ValueError):
    """A recording that cannot be processed, with the reason."""

    code = "bad_audio"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class EmptyAudioError(AudioError):
    code = "empty_audio"


class UnreadableAudioError(AudioError):
    code = "unreadable_audio"


class AudioTooLongError(AudioError):
    code = "audio_too_long"


def _open(path: Path) -> av.container.InputContainer:
    try:
        return av.open(str(path), mode="r", metadata_errors="ignore")
    except FileNotFoundError as exc:
        raise AudioError("the recording file does not exist", code="missing_audio") from exc
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise UnreadableAudioError(f"not a readable audio file ({_reason(exc)})") from exc


def _reason(exc: Exception) -> str:
    """FFmpeg's reason without the file name it appends: error messages reach API
    clients, and a server path (a temp file in the data dir) is none of their business."""
    if isinstance(exc, av.error.FFmpegError) and exc.strerror:
        return f"{exc.__class__.__name__}: {exc.strerror}"
    return exc.__class__.__name__


def _too_long(seconds: float, limit: float, *, stated: float | None = None, partial: bool = False) -> AudioTooLongError:
    """``partial``: reading stopped at the limit, the recording is at least this long."""
    claim = f" although its header states {stated / 60:.1f} min" if stated is not None else ""
    return AudioTooLongError(
        f"the recording lasts {'more than ' if partial else ''}{seconds / 60:.1f} min{claim}, "
        f"over the limit of {limit / 60:.0f} min"
    )


def _decoded_duration(
    container: av.container.InputContainer, stream: av.audio.stream.AudioStream, max_duration_s: float | None
) -> float:
    """Count decoded samples when the container does not state a duration; stop once
    past the limit (a long headerless file must not be decoded in full just to refuse it)."""
    samples = 0
    rate = stream.rate or 1
    for frame in container.decode(stream):
        samples += frame.samples
        if max_duration_s is not None and samples / rate > max_duration_s:
            break
    return samples / rate


def _demuxed_duration(path: Path, max_duration_s: float | None) -> float | None:
    """The length the packets really hold, read without decoding (cheap: no codec
    work, one pass over the file). A header can lie (a FLAC whose STREAMINFO says 60 s
    over 6 h of frames); the packets cannot. None when the packets carry no timing."""
    end = 0.0
    with _open(path) as container:
        stream = container.streams.audio[0]
        base = stream.time_base
        if base is None:
            return None
        for packet in container.demux(stream):
            if packet.pts is None or packet.duration is None:
                if packet.size:
                    return None
                continue
            end = max(end, float((packet.pts + packet.duration) * base))
            if max_duration_s is not None and end > max_duration_s:
                break
    return end or None


def probe(path: str | Path, *, max_duration_s: float | None = None) -> AudioInfo:
    """What the file is, without transcribing it. Raises AudioError."""
    p = Path(path)
    if not p.exists():
        raise AudioError("the recording file does not exist", code="missing_audio")
    size = p.stat().st_size
    if size == 0:
        raise EmptyAudioError("the file is empty (0 bytes)")
    with _open(p) as container:
        streams = container.streams.audio
        if not streams:
            raise UnreadableAudioError("the file has no audio stream")
        stream = streams[0]
        if stream.codec_context is None or not stream.rate:
            raise UnreadableAudioError("the audio stream has no sample rate; the file is damaged")
        duration: float | None = None
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / av.time_base
        stated = duration
        try:
            if duration is None or duration <= 0:
                stated = None
                duration = _decoded_duration(container, stream, max_duration_s)
            else:
                # Decode the first frames: a header that parses over garbage data
                # (a truncated or corrupt file) must fail here, at upload time.
                for i, _frame in enumerate(container.decode(stream)):
                    if i >= 3:
                        break
        except av.error.FFmpegError as exc:
            raise UnreadableAudioError(f"the audio data cannot be decoded ({_reason(exc)})") from exc
        fmt, codec = container.format.name, stream.codec_context.name
        rate, channels = int(stream.rate), int(stream.codec_context.channels or 1)
    if stated is not None:
        try:
            real = _demuxed_duration(p, max_duration_s)
        except av.error.FFmpegError as exc:
            raise UnreadableAudioError(f"the audio data cannot be read ({_reason(exc)})") from exc
        if real is not None and abs(real - stated) > 1.0:
            if max_duration_s is not None and real > max_duration_s:
                raise _too_long(real, max_duration_s, stated=stated, partial=True)
            duration = real
    info = AudioInfo(format=fmt, codec=codec, sample_rate=rate, channels=channels,
                     duration_s=float(duration), size_bytes=size)
    if info.duration_s <= 0.01:
        raise EmptyAudioError("the recording contains no audio (zero length)")
    if max_duration_s is not None and info.duration_s > max_duration_s:
        raise _too_long(info.duration_s, max_duration_s)
    return info


def iter_chunks(
    path: str | Path, *, sample_rate: int = WHISPER_RATE, chunk_s: float = 1800.0,
    max_duration_s: float | None = None,
) -> Iterator[tuple[float, list[np.ndarray]]]:
    """Yield ``(offset_s, [channel arrays])`` of float32 audio resampled to
    ``sample_rate``, ``chunk_s`` seconds at a time (the last chunk shorter).

    Decoding stops with ``AudioTooLongError`` as soon as the decoded audio passes
    ``max_duration_s``: what the header states was checked at upload, but only the
    decoded samples say how long the recording really is."""
    chunk_len = int(chunk_s * sample_rate) if chunk_s != float("inf") else None
    max_samples = None if max_duration_s is None else max_duration_s * sample_rate
    with _open(Path(path)) as container:
        if not container.streams.audio:
            raise UnreadableAudioError("the file has no audio stream")
        stream = container.streams.audio[0]
        resampler: av.AudioResampler | None = None
        pending: list[np.ndarray] = []  # each (channels, n)
        pending_n = 0
        offset = 0
        try:
            for frame in container.decode(stream):
                if resampler is None:
                    # Planar float keeps channels apart: each plane is one channel.
                    resampler = av.AudioResampler(format="fltp", layout=frame.layout, rate=sample_rate)
                for out in resampler.resample(frame):
                    block = out.to_ndarray().astype(np.float32, copy=False)
                    pending.append(block)
                    pending_n += block.shape[1]
                    if max_samples is not None and offset + pending_n > max_samples:
                        raise _too_long((offset + pending_n) / sample_rate, max_duration_s or 0.0, partial=True)
                    while chunk_len is not None and pending_n >= chunk_len:
                        data = np.concatenate(pending, axis=1)
                        yield offset / sample_rate, list(data[:, :chunk_len])
                        offset += chunk_len
                        rest = data[:, chunk_len:]
                        pending, pending_n = [rest], rest.shape[1]
            if resampler is not None:
                for out in resampler.resample(None):
                    block = out.to_ndarray().astype(np.float32, copy=False)
                    pending.append(block)
                    pending_n += block.shape[1]
        except av.error.FFmpegError as exc:
            raise UnreadableAudioError(f"the audio data cannot be decoded ({_reason(exc)})") from exc
        if pending_n or offset == 0:
            if not pending:
                channels = int(stream.codec_context.channels or 1)
                yield offset / sample_rate, [np.zeros(0, dtype=np.float32) for _ in range(channels)]
            else:
                data = np.concatenate(pending, axis=1)
                yield offset / sample_rate, list(data)


def load_channels(path: str | Path, *, sample_rate: int = WHISPER_RATE) -> list[np.ndarray]:
    """The whole recording, one float32 array per channel."""
    for _offset, channels in iter_chunks(path, sample_rate=sample_rate, chunk_s=float("inf")):
        return channels
    return []


def is_duplicated_mono(channels: list[np.ndarray]) -> bool:
    """A mono call stored as identical channels must be treated as mono, or every
    turn would be transcribed twice and attributed to both speakers."""
    if len(channels) < 2:
        return False
    a, b = channels[0], channels[1]
    if a.size == 0 or a.size != b.size:
        return False
    energy = float(np.dot(a, a)) + float(np.dot(b, b))
    if energy == 0.0:
        return False
    return float(np.dot(a - b, a - b)) / energy < 1e-4

"""Probing and decoding recordings of every format, rate and layout a call centre
sends, and the clear errors for what cannot be processed."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from asr.audio import (
    AudioTooLongError,
    EmptyAudioError,
    UnreadableAudioError,
    is_duplicated_mono,
    iter_chunks,
    load_channels,
    probe,
)
from tests.audio_helpers import encode, silence, tone, write_wav

FORMATS = [("wav", "pcm_s16le"), ("mp3", "libmp3lame"), ("m4a", "aac"), ("ogg", "libopus"),
           ("opus", "libopus"), ("flac", "flac")]


@pytest.mark.parametrize(("ext", "codec"), FORMATS)
def test_every_container_probes_and_decodes(tmp_path: Path, ext: str, codec: str) -> None:
    rate = 48000 if codec == "libopus" else 16000
    path = encode(tmp_path / f"call.{ext}", [tone(2.0, 440, rate), tone(2.0, 880, rate)], rate, codec)
    info = probe(path)
    assert info.channels == 2
    assert info.duration_s == pytest.approx(2.0, abs=0.15)
    chans = load_channels(path)
    assert len(chans) == 2 and all(c.dtype == np.float32 for c in chans)
    assert len(chans[0]) == pytest.approx(32000, rel=0.08)


@pytest.mark.parametrize("rate", [8000, 16000, 44100, 48000])
def test_sample_rates_are_resampled_to_16k(tmp_path: Path, rate: int) -> None:
    path = write_wav(tmp_path / "r.wav", [tone(1.5, 300, rate)], rate)
    info = probe(path)
    assert info.sample_rate == rate and info.channels == 1
    (chan,) = load_channels(path)
    assert len(chan) == pytest.approx(24000, abs=50)
    # The tone survives resampling: energy at 300 Hz dominates.
    spectrum = np.abs(np.fft.rfft(chan))
    assert abs(np.argmax(spectrum) * 16000 / len(chan) - 300) < 5


def test_six_channels_stay_apart(tmp_path: Path) -> None:
    chans = [tone(1.0, 200 + 100 * i, 8000) * (i == 3) for i in range(6)]
    path = write_wav(tmp_path / "six.wav", chans, 8000)
    out = load_channels(path)
    assert len(out) == 6
    energy = [float(np.sum(c**2)) for c in out]
    assert int(np.argmax(energy)) == 3 and sorted(energy)[-2] < 1e-6


def test_duplicated_mono_is_detected(tmp_path: Path) -> None:
    t = tone(1.0)
    assert is_duplicated_mono([t, t.copy()])
    assert not is_duplicated_mono([t, tone(1.0, 660)])
    assert not is_duplicated_mono([silence(1.0), silence(1.0)])


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "empty.wav"
    p.write_bytes(b"")
    with pytest.raises(EmptyAudioError, match="empty"):
        probe(p)


def test_header_only_wav_has_no_audio(tmp_path: Path) -> None:
    p = tmp_path / "zero.wav"
    with wave.open(str(p), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
    with pytest.raises((EmptyAudioError, UnreadableAudioError)) as exc:
        probe(p)
    assert exc.value.code in ("empty_audio", "unreadable_audio")


def test_text_renamed_wav_and_random_bytes(tmp_path: Path) -> None:
    p = tmp_path / "notes.wav"
    p.write_text("这是一份会议纪要，不是录音。\n" * 40, encoding="utf-8")
    with pytest.raises(UnreadableAudioError) as exc:
        probe(p)
    assert exc.value.code == "unreadable_audio"
    q = tmp_path / "noise.mp3"
    q.write_bytes(np.random.default_rng(0).integers(0, 256, 20000, dtype=np.uint8).tobytes())
    with pytest.raises(UnreadableAudioError):
        probe(q)


def test_three_hour_recording_probes_fast_and_limit_applies(tmp_path: Path) -> None:
    # Three hours of 8 kHz 8-bit mono PCM (86 MB, written in a second): probing reads
    # the header, it does not decode three hours of audio.
    path = tmp_path / "long.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(8000)
        block = bytes([128]) * 8000 * 600
        for _ in range(18):
            w.writeframes(block)
    info = probe(path, max_duration_s=4 * 3600)
    assert info.duration_s == pytest.approx(3 * 3600, rel=0.001)
    with pytest.raises(AudioTooLongError, match="over the limit"):
        probe(path, max_duration_s=2 * 3600)


def test_chunks_cover_the_recording_with_offsets(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "c.wav", [tone(5.0), tone(5.0, 600)], 8000)
    chunks = list(iter_chunks(path, chunk_s=2.0))
    assert [round(o, 3) for o, _ in chunks] == [0.0, 2.0, 4.0]
    assert sum(len(c[0]) for _, c in chunks) == pytest.approx(80000, abs=50)
    assert all(len(c) == 2 for _, c in chunks)

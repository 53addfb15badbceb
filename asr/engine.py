"""Recording in, per-speaker ``Transcript`` out.

One ``AsrEngine`` per process holds the Whisper model (loading it costs ~0.5 s and
hundreds of MB, so never per call). Each channel of a call goes through ONE
faster-whisper ``transcribe`` call with VAD on: VAD drops the other party's turns
(silence on this channel), and faster-whisper's fixed cost per call (~1 s) is paid
once per channel rather than once per turn. faster-whisper's own types stay inside
this module; callers get ``core.types`` dataclasses.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from asr.audio import WHISPER_RATE, AudioError, is_duplicated_mono, iter_chunks, probe
from asr.hotwords import hotword_prompt
from asr.model import ModelRef
from asr.roles import assign_roles
from asr.text import clean_text, to_simplified
from core.types import AsrInfo, Segment, Speaker, Transcript, Word

ROLES = ("agent", "customer")
SPLIT_GAP_S = 0.8  # a pause this long inside one channel's Whisper segment ends a piece
MONO_SPLIT_GAP_S = 0.35
MERGE_GAP_S = 1.0  # same-speaker pieces closer than this form one turn
CHUNK_S = 1800.0  # long recordings are decoded and transcribed 30 min at a time


@dataclass(frozen=True, slots=True)
class _Piece:
    start: float
    end: float
    text: str
    words: tuple[Word, ...]
    channel: int | None


def resolve_device(device: str, compute_type: str) -> tuple[str, str]:
    """int8 on CPU, float16 on CUDA, unless configured otherwise."""
    if device == "auto":
        import ctranslate2

        device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
    if compute_type in ("auto", "default", ""):
        compute_type = "float16" if device == "cuda" else "int8"
    return device, compute_type


class AsrEngine:
    def __init__(
        self,
        model: ModelRef,
        *,
        device: str = "auto",
        compute_type: str = "auto",
        cpu_threads: int = 0,
        beam_size: int = 5,
        hotwords: tuple[str, ...] = (),
    ) -> None:
        from faster_whisper import WhisperModel

        self.model_ref = model
        self.device, self.compute_type = resolve_device(device, compute_type)
        self.beam_size = beam_size
        self.hotwords = hotwords
        self._whisper = WhisperModel(
            model.path,
            device=self.device,
            compute_type=self.compute_type,
            cpu_threads=cpu_threads,
            local_files_only=model.local_files_only,
        )

    # -- one channel ------------------------------------------------------------
    def transcribe_array(
        self,
        audio: np.ndarray,
        *,
        offset: float = 0.0,
        channel: int | None = None,
        use_hotwords: bool = True,
        mono: bool = False,
        beam_size: int | None = None,
        word_timestamps: bool = True,
    ) -> list[_Piece]:
        """``beam_size``/``word_timestamps`` override the engine's settings for one call:
        live suggestions trade a little accuracy for latency (greedy, no word times)."""
        if audio.size < WHISPER_RATE // 10:
            return []
        prompt = hotword_prompt(self.hotwords) if use_hotwords else None
        segments, _info = self._whisper.transcribe(
            audio,
            language="zh",
            task="transcribe",
            beam_size=beam_size or self.beam_size,
            vad_filter=True,
            word_timestamps=word_timestamps,
            # With a hotword prompt, conditioning on the previous window let a misheard
            # window seed a repetition loop in the next one, so it is off then (the
            # hotwords still go into every window's prompt). Without a prompt,
            # faster-whisper's default (on) was as accurate or better on held-out audio
            # (bench/asr_heldout.py: voiced calls, agent CER 18.8 % -> 18.0 %).
            condition_on_previous_text=prompt is None,
            hotwords=prompt,
        )
        pieces: list[_Piece] = []
        for seg in segments:
            if seg.no_speech_prob > 0.6 and seg.avg_logprob < -1.0:
                continue  # Whisper's own "probably not speech" verdict
            if seg.compression_ratio > 2.4:
                continue  # a repetition loop that survived temperature fallback
            raw_words = [w for w in (seg.words or ()) if w.word.strip()]
            # Words with no acoustic extent (a run stamped at one instant, at the end of
            # the audio): the decoder looping on a token (剧剧剧剧) after the speech
            # ended, seen with hotwords in the prompt. Not speech: cut the run.
            n_zero = 0
            while n_zero < len(raw_words) and raw_words[-1 - n_zero].end - raw_words[-1 - n_zero].start < 0.02:
                n_zero += 1
            if n_zero >= 2:
                loop_token = raw_words[-1].word.strip()
                # The loop's first token usually got a real duration: it goes too.
                while n_zero < len(raw_words) and raw_words[-1 - n_zero].word.strip() == loop_token:
                    n_zero += 1
                cut = "".join(w.word for w in raw_words[-n_zero:]).strip()
                raw_words = raw_words[:-n_zero]
                seg_text = seg.text.rstrip()
                text_wo = seg_text[: len(seg_text) - len(cut)] if seg_text.endswith(cut) else seg_text
                if not raw_words:
                    continue
            else:
                text_wo = seg.text
            text, end = text_wo, (raw_words[-1].end if raw_words else seg.end)
            # With hotwords in the prompt the base model sometimes appends one junk
            # token (a stray full-width digit, a broken byte) stretched over the
            # trailing silence, with near-zero probability: drop it.
            while raw_words and raw_words[-1].probability < 0.1 and not _CJK.search(raw_words[-1].word):
                junk = raw_words.pop()
                text = text.rstrip()
                if text.endswith(junk.word.strip()):
                    text = text[: len(text) - len(junk.word.strip())]
                end = raw_words[-1].end if raw_words else seg.start
            if not raw_words:
                text = clean_text(text)
                if text:
                    pieces.append(_Piece(seg.start + offset, end + offset, text, (), channel))
                continue
            words = [
                Word(to_simplified(w.word.strip()), round(w.start + offset, 3), round(w.end + offset, 3),
                     float(w.probability))
                for w in raw_words
            ]
            if mono:
                # One channel holds both speakers: cut finer (short pauses and sentence
                # ends) so that a piece rarely spans a change of speaker.
                pieces.extend(split_at_pauses(words, channel, gap_s=MONO_SPLIT_GAP_S, at_sentence_end=True))
            else:
                pieces.extend(split_at_pauses(words, channel))
        return pieces

    # -- a whole call -----------------------------------------------------------
    def transcribe(
        self,
        path: str | Path,
        *,
        channel_map: Sequence[str | None] = ROLES,
        max_duration_s: float | None = None,
        use_hotwords: bool = True,
    ) -> Transcript:
        for role in channel_map:
            if role is not None and role not in ROLES:
                raise AudioError(f"unknown speaker {role!r} in the channel layout", code="bad_channel_layout")
        info = probe(path, max_duration_s=max_duration_s)
        t0 = time.perf_counter()
        labelled: list[tuple[Speaker, _Piece]] = []
        mono_pieces: list[_Piece] = []
        mono = info.channels == 1
        fixed_role: Speaker | None = None
        roles_in_map = [r for r in channel_map if r is not None]
        if mono and len(channel_map) == 1 and roles_in_map:
            fixed_role = roles_in_map[0]  # type: ignore[assignment]
        first = True
        for offset, channels in iter_chunks(path, chunk_s=CHUNK_S, max_duration_s=max_duration_s):
            if first:
                # A mono call stored as two identical channels is decided once.
                mono = mono or is_duplicated_mono(channels)
                first = False
            if mono:
                pieces = self.transcribe_array(
                    channels[0], offset=offset, use_hotwords=use_hotwords, mono=fixed_role is None
                )
                if fixed_role is not None:
                    labelled.extend((fixed_role, p) for p in pieces)
                else:
                    mono_pieces.extend(pieces)
                continue
            for idx, audio in enumerate(channels):
                role = channel_map[idx] if idx < len(channel_map) else None
                if role is None:
                    continue
                for p in self.transcribe_array(audio, offset=offset, channel=idx, use_hotwords=use_hotwords):
                    labelled.append((role, p))  # type: ignore[arg-type]
        confidence = 1.0
        if mono_pieces:
            mono_pieces.sort(key=lambda p: p.start)
            gaps = [0.0] + [b.start - a.end for a, b in itertools.pairwise(mono_pieces)]
            speakers, confidence = assign_roles([p.text for p in mono_pieces], gaps)
            labelled = [(s, p) for s, p in zip(speakers, mono_pieces, strict=True)]  # type: ignore[misc]
        segments = merge_turns(labelled)
        asr = AsrInfo(
            model=self.model_ref.label,
            compute_type=self.compute_type,
            device=self.device,
            seconds=time.perf_counter() - t0,
            hotwords=bool(self.hotwords) and use_hotwords,
        )
        return Transcript(
            segments=tuple(segments),
            duration_s=info.duration_s,
            channels=info.channels,
            role_confidence=confidence,
            asr=asr,
            sample_rate=info.sample_rate,
        )


_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE_END = re.compile(r"[。？！?!]$")
_ENDS_CLAUSE = re.compile(r"[，。！？、,.!?；;：:]$")


def split_at_pauses(
    words: list[Word], channel: int | None, gap_s: float = SPLIT_GAP_S, *, at_sentence_end: bool = False
) -> list[_Piece]:
    """VAD glues one channel's speech chunks together before decoding, so a single
    Whisper segment can span several turns with the other party speaking in
    between. Word timestamps are mapped back to the call's timeline: cut wherever
    this speaker paused, then merge_turns interleaves the two channels correctly."""
    groups: list[list[Word]] = [[words[0]]]
    for w in words[1:]:
        prev = groups[-1][-1]
        if w.start - prev.end >= gap_s or (at_sentence_end and _SENTENCE_END.search(prev.text)):
            groups.append([w])
        else:
            groups[-1].append(w)
    out = []
    for g in groups:
        text = clean_text("".join(w.text for w in g))
        if text:
            out.append(_Piece(g[0].start, g[-1].end, text, tuple(g), channel))
    return out


def merge_turns(labelled: list[tuple[Speaker, Any]]) -> list[Segment]:
    """Time-order the pieces of both speakers and join a speaker's consecutive
    pieces into one turn (so segment i is one turn, as for ingested transcripts)."""
    ordered = sorted(labelled, key=lambda sp: (sp[1].start, sp[1].end))
    out: list[Segment] = []
    for speaker, p in ordered:
        prev = out[-1] if out else None
        if prev is not None and prev.speaker == speaker and p.start - prev.end <= MERGE_GAP_S:
            sep = "" if _ENDS_CLAUSE.search(prev.text) else "，"
            out[-1] = Segment(
                speaker=speaker,
                start=prev.start,
                end=max(prev.end, p.end),
                text=prev.text + sep + p.text,
                words=prev.words + p.words,
                channel=prev.channel,
            )
        else:
            out.append(Segment(speaker, round(p.start, 3), round(p.end, 3), p.text, p.words, p.channel))
    return out

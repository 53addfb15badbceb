"""CER of the default ASR settings against bare faster-whisper on audio that was not
used to choose them, per speaker, with 95 % intervals.

    .venv/bin/python -m bench.asr_heldout                          # shared clips + voiced calls in var/voiced
    .venv/bin/python -m bench.asr_heldout --voiced DIR --no-shared

Sets:
- the shared real Mandarin clips (../shared/asr-samples, adult speech), original and
  simulated-telephone versions (one speaker each, counted as "customer" speech: the
  side we do not script);
- two-channel 8 kHz calls voiced offline from dialogues written by other people
  (tools/voice_calls.py; default folder var/voiced): agent and customer scored apart.

Variants, all from ONE decoder run per channel and prompt (the engine's own model):
- bare: faster-whisper as a user would call it (beam 5, VAD, word times; every other
  argument at faster-whisper's default), per channel, then Traditional→Simplified
  (without that, half of the output is Traditional and bare looks far worse than it is);
- engine, no prompt: our engine (Simplified, junk and hallucination cleaning, pieces cut
  at pauses) without the hotword prompt. Its decoder arguments are bare's exactly, so
  the two share one decoding (keyed on the complete argument set, audio included) and
  differ only by what the engine does to Whisper's output: a difference here is ours;
- engine, hotword prompt: the same with the hotword list in every window's prompt (and
  no conditioning on the previous window, as the engine does then).
Bare reads the audio through the engine's loader (asr.audio), so both see the same samples.
Which of the two engine variants is the default is printed (Settings.asr_use_hotwords).
CER = edits / reference characters over a set, punctuation removed. Intervals: paired
bootstrap over files (2,000 resamples), so the difference between two variants gets
its own interval. ``--cache DIR`` keeps every decoding on disk: a rerun after a change
to the engine's post-processing costs no decoding.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import pickle
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bench.asr_bench import CHILD, SHARED

REPO = Path(__file__).resolve().parent.parent
VARIANTS = ("bare", "off", "hotwords")
BARE_ARGS: dict[str, Any] = {"language": "zh", "beam_size": 5, "vad_filter": True, "word_timestamps": True}
# per file: speaker -> variant -> (edits, reference chars)
FileScore = dict[str, dict[str, tuple[int, int]]]


class SharedDecoder:
    """Stands in for the engine's WhisperModel: one decoding per distinct (audio, complete
    argument set), faster-whisper's defaults filled in, so bare and the engine without a
    prompt share a decoding exactly when they ask for the same thing; kept on disk under
    ``cache`` when given."""

    def __init__(self, model: Any, label: str, cache: Path | None) -> None:
        self._model, self._label, self._cache = model, label, cache
        self._sig = inspect.signature(type(model).transcribe)
        self._memo: dict[str, list[Any]] = {}
        self.decoded = 0
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)

    def _key(self, audio: Any, kwargs: dict[str, Any]) -> str:
        bound = self._sig.bind(self._model, audio, **kwargs)
        bound.apply_defaults()
        args = {k: v for k, v in bound.arguments.items() if k not in ("self", "audio")}
        h = hashlib.sha256(self._label.encode())
        h.update(audio.tobytes())
        h.update(json.dumps(args, sort_keys=True, default=repr).encode())
        return h.hexdigest()

    def transcribe(self, audio: Any, **kwargs: Any) -> tuple[Iterator[Any], None]:
        key = self._key(audio, kwargs)
        path = self._cache / f"{key}.pkl" if self._cache is not None else None
        if key not in self._memo:
            if path is not None and path.exists():
                self._memo[key] = pickle.loads(path.read_bytes())
            else:
                segments, _info = self._model.transcribe(audio, **kwargs)
                self._memo[key] = list(segments)
                self.decoded += 1
                if path is not None:
                    path.write_bytes(pickle.dumps(self._memo[key]))
        return iter(self._memo[key]), None


def _score(ref: str, hyp: str) -> tuple[int, int]:
    from asr.metrics import edit_distance, strip_punct

    r = strip_punct(ref)
    return edit_distance(r, strip_punct(hyp)), len(r)


def _bare(decoder: SharedDecoder, audio: Any) -> str:
    from asr.text import to_simplified

    segments, _ = decoder.transcribe(audio, **BARE_ARGS)
    return to_simplified("".join(s.text for s in segments))


def shared_files() -> list[tuple[Path, str]]:
    if not (SHARED / "manifest.tsv").exists():
        return []
    rows = [line.split("\t") for line in (SHARED / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    out = []
    for name, ref, *_ in rows:
        if name in CHILD:
            continue
        for path in (SHARED / name, SHARED / "tel8k" / (Path(name).stem + "_tel8k.wav")):
            if path.exists():
                out.append((path, ref))
    return out


def _with_terms(engine: Any, terms: tuple[str, ...], path: Path, layout: tuple[str, ...]) -> Any:
    """One transcription with the given hotword list (empty: no prompt)."""
    saved = engine.hotwords
    engine.hotwords = terms
    try:
        return engine.transcribe(path, channel_map=layout, use_hotwords=bool(terms))
    finally:
        engine.hotwords = saved


def score_clip(path: Path, ref: str, decoder: SharedDecoder, engine: Any, terms: tuple[str, ...]) -> FileScore:
    from asr.audio import load_channels

    def eng(t: tuple[str, ...]) -> str:
        return "".join(s.text for s in _with_terms(engine, t, path, ("customer",)).segments)

    # The engine transcribes a one-speaker recording's first channel.
    hyp = {"off": eng(()), "hotwords": eng(terms), "bare": _bare(decoder, load_channels(path)[0])}
    return {"customer": {v: _score(ref, hyp[v]) for v in VARIANTS}}


def score_call(wav: Path, decoder: SharedDecoder, engine: Any, terms: tuple[str, ...]) -> FileScore:
    from asr.audio import load_channels

    ref = json.loads(wav.with_suffix(".json").read_text(encoding="utf-8"))
    layout = ("agent", "customer")
    runs = {"off": _with_terms(engine, (), wav, layout), "hotwords": _with_terms(engine, terms, wav, layout)}
    channels = load_channels(wav)
    out: FileScore = {}
    for ch, speaker in enumerate(layout):
        gold = "".join(t["text"] for t in ref["turns"] if t["speaker"] == speaker)
        out[speaker] = {"bare": _score(gold, _bare(decoder, channels[ch]))}
        for v, tr in runs.items():
            out[speaker][v] = _score(gold, "".join(s.text for s in tr.segments if s.speaker == speaker))
    return out


def _cer(files: Sequence[FileScore], speaker: str, variant: str, idx: Sequence[int]) -> float:
    e = sum(files[i][speaker][variant][0] for i in idx if speaker in files[i])
    n = sum(files[i][speaker][variant][1] for i in idx if speaker in files[i])
    return e / n if n else 0.0


def _diff_ci(files: Sequence[FileScore], speaker: str, variant: str, boots: Sequence[Sequence[int]],
             point: float) -> str:
    d = sorted(_cer(files, speaker, variant, b) - _cer(files, speaker, "bare", b) for b in boots)
    lo, hi = d[int(0.025 * len(d))], d[int(0.975 * len(d)) - 1]
    return f"{point:+.1%} ({lo:+.1%} to {hi:+.1%})"


def table(title: str, files: Sequence[FileScore]) -> list[str]:
    rng = random.Random(11)
    n = len(files)
    boots = [[rng.randrange(n) for _ in range(n)] for _ in range(2000)]
    lines = [f"### {title} ({n} files)", "",
             "| speaker | bare + Simplified | engine, no prompt | − bare (95 % CI) | engine, hotword prompt | "
             "− bare (95 % CI) |", "|---|---:|---:|---|---:|---|"]
    for speaker in ("agent", "customer"):
        if not any(speaker in f for f in files):
            continue
        idx = list(range(n))
        cer = {v: _cer(files, speaker, v, idx) for v in VARIANTS}

        ci = {v: _diff_ci(files, speaker, v, boots, cer[v] - cer["bare"]) for v in ("off", "hotwords")}
        lines.append(f"| {speaker} | {cer['bare']:.1%} | {cer['off']:.1%} | {ci['off']} | "
                     f"{cer['hotwords']:.1%} | {ci['hotwords']} |")
    return [*lines, ""]


def main() -> None:
    import sys

    from asr.hotwords import DEFAULT_HOTWORDS_FILE, load_hotwords
    from callsight import runtime
    from callsight.config import settings

    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--voiced", type=Path, action="append", default=[],
                    help="a folder of voiced calls (repeatable; default var/voiced)")
    ap.add_argument("--no-shared", action="store_true")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--cache", type=Path, default=None, help="keep decodings here (outside the repository)")
    args = ap.parse_args()
    engine = runtime.asr_engine()
    decoder = SharedDecoder(engine._whisper, f"{engine.model_ref.path}|{engine.compute_type}", args.cache)
    engine._whisper = decoder
    terms = load_hotwords(settings.asr_hotwords_file or DEFAULT_HOTWORDS_FILE)
    out = [f"Default: asr_use_hotwords={settings.asr_use_hotwords}; hotword prompt under test: {'，'.join(terms)}.", ""]
    if not args.no_shared:
        clips = shared_files()
        if clips:
            out += table("Shared real clips (original + simulated telephone)",
                         [score_clip(p, r, decoder, engine, terms) for p, r in clips])
    for folder in args.voiced or [REPO / "var" / "voiced"]:
        calls = sorted(folder.glob("*.wav")) if folder.is_dir() else []
        if args.limit:
            calls = calls[: args.limit]
        scores = []
        for n, w in enumerate(calls, 1):
            scores.append(score_call(w, decoder, engine, terms))
            print(f"{folder.name}: {n}/{len(calls)} scored", file=sys.stderr)
        if scores:
            out += table(f"Voiced two-channel 8 kHz calls ({folder.name})", scores)
    print("\n".join(out))
    print(f"({decoder.decoded} decodings run, the rest from the cache)", file=sys.stderr)


if __name__ == "__main__":
    main()

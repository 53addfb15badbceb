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

Variants, on the same model and decoder settings (beam 5, VAD, word times):
- bare: faster-whisper as a user would call it, per channel, then Traditional→Simplified
  (without that, half of the output is Traditional and bare looks far worse than it is);
- engine, no prompt: our engine (VAD and decoder settings, Simplified, junk and
  hallucination cleaning) without the hotword prompt;
- engine, hotword prompt: the same with the hotword list in every window's prompt.
Which of the two is the default is printed (Settings.asr_use_hotwords).
CER = edits / reference characters over a set, punctuation removed. Intervals: paired
bootstrap over files (2,000 resamples), so the difference between two variants gets
its own interval.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.asr_bench import CHILD, SHARED, _bare_model, _bare_transcribe

REPO = Path(__file__).resolve().parent.parent
VARIANTS = ("bare", "off", "hotwords")
# per file: speaker -> variant -> (edits, reference chars)
FileScore = dict[str, dict[str, tuple[int, int]]]


def _score(ref: str, hyp: str) -> tuple[int, int]:
    from asr.metrics import edit_distance, strip_punct

    r = strip_punct(ref)
    return edit_distance(r, strip_punct(hyp)), len(r)


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


def score_clip(path: Path, ref: str, bare: Any, engine: Any, terms: tuple[str, ...]) -> FileScore:
    from asr.text import to_simplified

    def eng(t: tuple[str, ...]) -> str:
        return "".join(s.text for s in _with_terms(engine, t, path, ("customer",)).segments)

    hyp = {"bare": to_simplified(_bare_transcribe(bare, str(path))), "off": eng(()), "hotwords": eng(terms)}
    return {"customer": {v: _score(ref, hyp[v]) for v in VARIANTS}}


def score_call(wav: Path, bare: Any, engine: Any, terms: tuple[str, ...]) -> FileScore:
    from faster_whisper import decode_audio

    from asr.text import to_simplified

    ref = json.loads(wav.with_suffix(".json").read_text(encoding="utf-8"))
    left, right = decode_audio(str(wav), split_stereo=True)
    bare_text = {"agent": to_simplified(_bare_transcribe(bare, left)),
                 "customer": to_simplified(_bare_transcribe(bare, right))}
    layout = ("agent", "customer")
    runs = {"off": _with_terms(engine, (), wav, layout), "hotwords": _with_terms(engine, terms, wav, layout)}
    out: FileScore = {}
    for speaker in ("agent", "customer"):
        gold = "".join(t["text"] for t in ref["turns"] if t["speaker"] == speaker)
        out[speaker] = {"bare": _score(gold, bare_text[speaker])}
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
    from asr.hotwords import DEFAULT_HOTWORDS_FILE, load_hotwords
    from callsight import runtime
    from callsight.config import settings

    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--voiced", type=Path, default=REPO / "var" / "voiced")
    ap.add_argument("--no-shared", action="store_true")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    bare, engine = _bare_model(), runtime.asr_engine()
    terms = load_hotwords(settings.asr_hotwords_file or DEFAULT_HOTWORDS_FILE)
    out = [f"Default: asr_use_hotwords={settings.asr_use_hotwords}; hotword prompt under test: {'，'.join(terms)}.", ""]
    if not args.no_shared:
        clips = shared_files()
        if clips:
            out += table("Shared real clips (original + simulated telephone)",
                         [score_clip(p, r, bare, engine, terms) for p, r in clips])
    calls = sorted(args.voiced.glob("*.wav")) if args.voiced.is_dir() else []
    if args.limit:
        calls = calls[: args.limit]
    if calls:
        out += table(f"Voiced two-channel 8 kHz calls ({args.voiced.name})",
                     [score_call(w, bare, engine, terms) for w in calls])
    print("\n".join(out))


if __name__ == "__main__":
    main()

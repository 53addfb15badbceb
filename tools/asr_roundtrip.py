"""The ASR round trip: labelled dialogues, voiced offline (tools/voice_calls.py), come
back through our own engine, so training and evaluation see the errors Whisper base
really makes on 8 kHz calls, not only the ones we imagined.

    .venv/bin/python -m tools.asr_roundtrip DIALOGUES.jsonl VOICED_DIR OUT.jsonl

For each dialogue with a voiced ``<id>.wav`` in VOICED_DIR, the recording is
transcribed by the default engine and each recognised segment is given to the
written turn of the same speaker it overlaps most in time (``<id>.json`` holds the
times each turn was voiced at). The output record is the input record with each
turn's text replaced by what the engine heard (an empty string when it heard
nothing), ``style`` set to ``"asr-roundtrip"`` and the written text kept in
``written``; every label stays as written, turn indices included. Nothing about the
content is printed, so blind sets can pass through it unread.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def assign(turns: list[dict[str, Any]], segments: list[tuple[str, float, float, str]]) -> list[str]:
    """Recognised text per written turn: each segment goes to the same speaker's turn it
    overlaps most (or the nearest one when it overlaps none)."""
    heard: list[list[str]] = [[] for _ in turns]
    for speaker, start, end, text in segments:
        best, best_key = -1, (0.0, float("-inf"))
        for i, t in enumerate(turns):
            if t["speaker"] != speaker:
                continue
            overlap = min(end, t["end"]) - max(start, t["start"])
            key = (max(overlap, 0.0), -abs((start + end) / 2 - (t["start"] + t["end"]) / 2))
            if key > best_key:
                best, best_key = i, key
        if best >= 0:
            heard[best].append(text)
    return ["".join(h) for h in heard]


def roundtrip(row: dict[str, Any], wav: Path, engine: Any) -> dict[str, Any]:
    voiced = json.loads(wav.with_suffix(".json").read_text(encoding="utf-8"))
    tr = engine.transcribe(wav, channel_map=("agent", "customer"))
    texts = assign(voiced["turns"], [(s.speaker, s.start, s.end, s.text) for s in tr.segments])
    segments = [{**seg, "text": text, "written": seg["text"], "start": v["start"], "end": v["end"]}
                for seg, v, text in zip(row["segments"], voiced["turns"], texts, strict=True)]
    return {**row, "style": "asr-roundtrip", "segments": segments}


def main() -> None:
    from callsight import runtime

    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("dialogues", type=Path)
    ap.add_argument("voiced", type=Path)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    rows = [json.loads(x) for x in args.dialogues.read_text("utf-8").splitlines() if x.strip()]
    todo = [(r, args.voiced / f"{r['id']}.wav") for r in rows if (args.voiced / f"{r['id']}.wav").exists()]
    engine = runtime.asr_engine()
    with args.out.open("w", encoding="utf-8") as fh:
        for n, (row, wav) in enumerate(todo, 1):
            fh.write(json.dumps(roundtrip(row, wav, engine), ensure_ascii=False) + "\n")
            fh.flush()
            print(f"{n}/{len(todo)} transcribed", file=sys.stderr)


if __name__ == "__main__":
    main()

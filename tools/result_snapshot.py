"""Snapshot of the result JSON over many calls, to show that a refactor changes no
result (issue 13: "the same results on every sample and test").

    .venv/bin/python -m tools.result_snapshot OUT.jsonl [--audio]

Runs ``callsight analyze --json`` (the real CLI path, a temporary data dir) over the
sample transcripts, with ``--audio`` the sample recordings too, and every training
dialogue in data/intents/calls written as a transcript file. Timing fields
(``call.asr.seconds``) are blanked so two runs compare with ``diff``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _dialogue_files(tmp: Path) -> list[Path]:
    out = []
    for path in sorted((ROOT / "nlp" / "corpora" / "intents" / "calls").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            doc = {"meta": {k: v for k, v in d.get("meta", {}).items() if k == "direction"},
                   "turns": [{"speaker": s["speaker"], "text": s["text"], "start": s.get("start"),
                              "end": s.get("end")} for s in d["segments"]]}
            f = tmp / f"{d['id']}.json"
            f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            out.append(f)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--audio", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        inputs = sorted((ROOT / "samples" / "calls").glob("*.json")) + _dialogue_files(tmp)
        if args.audio:
            inputs += sorted((ROOT / "samples" / "calls").glob("*.opus"))
        env = {**os.environ, "CALLSIGHT_DATA_DIR": str(tmp / "var")}
        proc = subprocess.run([sys.executable, "-m", "callsight.cli", "analyze", "--json", *map(str, inputs)],
                              cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        lines = []
        for line in proc.stdout.splitlines():
            doc = json.loads(line)
            call = doc.get("call", {})
            if isinstance(call.get("asr"), dict):
                call["asr"]["seconds"] = 0
            if "input" in call:
                call["input"] = Path(call["input"]).name
            if "id" in call and str(call.get("input", "")).startswith(("w1", "wA", "wB")):
                call["id"] = None
            lines.append(json.dumps(doc, ensure_ascii=False, sort_keys=False))
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} results → {args.out} (exit {proc.returncode})", file=sys.stderr)
        if proc.returncode not in (0, 1):
            print(proc.stderr[-2000:], file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

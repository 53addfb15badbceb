"""Build the opening filter's training corpus (upsell/corpora/opening_candidates.jsonl)
from the writers' labelled calls: every candidate the cue rules propose, with the fields
the filter reads and whether the writer marked that type in the call.

    .venv/bin/python -m tools.opening_corpus            # rewrite the packaged corpus
    .venv/bin/python -m tools.opening_corpus --check    # fail when it is stale

Sources: the retired blind rounds r1 … r10 (data/eval-blind), wA … wH and wT … wX
(nlp/corpora/intents/calls). Never the current blind round nor the held-out odd ids of
data/eval-independent (those carry no call-level opening labels anyway). Rerun after a
change to upsell/cues.py or upsell/openings.py: the candidates are what the rules propose.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from core.types import Segment, Transcript
from nlp.view import TextView
from upsell.opening_filter import DEFAULT_CORPUS, candidate_row
from upsell.openings import detect_openings

ROOT = Path(__file__).resolve().parents[1]
_CALLS = ROOT / "nlp" / "corpora" / "intents" / "calls"
SOURCES: dict[str, Path] = {
    "r1": ROOT / "data" / "eval-blind" / "r1" / "dialogues.jsonl",
    "r2": ROOT / "data" / "eval-blind" / "r2" / "dialogues.jsonl",
    "r3": ROOT / "data" / "eval-blind" / "r3" / "dialogues.jsonl",
    "r4": ROOT / "data" / "eval-blind" / "r4" / "dialogues.jsonl",
    "r5": ROOT / "data" / "eval-blind" / "r5" / "dialogues.jsonl",
    "r6": ROOT / "data" / "eval-blind" / "r6" / "dialogues.jsonl",
    "r7": ROOT / "data" / "eval-blind" / "r7" / "dialogues.jsonl",
    "r8": ROOT / "data" / "eval-blind" / "r8" / "dialogues.jsonl",
    "r9": ROOT / "data" / "eval-blind" / "r9" / "dialogues.jsonl",
    "r10": ROOT / "data" / "eval-blind" / "r10" / "dialogues.jsonl",
    **{w: _CALLS / f"{w}.jsonl" for w in ("wA", "wB", "wC", "wD", "wE", "wF", "wG", "wH")},
    **{w: _CALLS / f"{w}.jsonl" for w in ("wT", "wU", "wV", "wW", "wX")},
}


def _transcript(row: Mapping[str, Any]) -> Transcript:
    segs = tuple(Segment(s["speaker"], float(s["start"]), float(s["end"]), s["text"]) for s in row["segments"])
    return Transcript(segs, max((s.end for s in segs), default=0.0), 2)


def rows() -> Iterator[dict[str, Any]]:
    """Per call: one row with the gold types, then one per candidate opening."""
    for writer, path in SOURCES.items():
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            call = json.loads(line)
            if "openings" not in call:
                continue
            gold = sorted({o["type"] for o in call["openings"]})
            yield {"writer": writer, "call": call["id"], "gold": gold}
            tr = _transcript(call)
            view = TextView.of(tr)
            found = detect_openings(tr, view, gate=None)
            for op in found:
                row = candidate_row(tr, view, op.segment, op.type, op.cue, [o.type for o in found])
                yield {"writer": writer, "call": call["id"], "segment": op.segment, **row,
                       "label": int(op.type in gold)}


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when the packaged corpus is stale")
    ap.add_argument("--out", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows())
    if args.check:
        sys.exit(0 if args.out.is_file() and args.out.read_text("utf-8") == text else 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, "utf-8")
    print(f"{args.out}: {text.count(chr(10))} rows")


if __name__ == "__main__":
    main()

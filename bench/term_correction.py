"""The sound-based term corrector (nlp/terms.py) on the studied writers' dialogues.

    .venv/bin/python -m bench.term_correction            # counts per set and style
    .venv/bin/python -m bench.term_correction --list     # + every correction with its context

On ``clean`` calls (correct characters) every correction is a false one: the figure must
stay about 0. On ``asr`` calls the list shows what was corrected, to be judged against what
the writer meant (the clean calls give the vocabulary in context). Also the time per call.
Only studied sets are read: the held-out odd ids of data/eval-independent and any blind
round still being written are never opened here.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from nlp.terms import default_corrector

ROOT = Path(__file__).resolve().parents[1]
SETS = {
    "r1": ROOT / "data" / "eval-blind" / "r1" / "dialogues.jsonl",
    "r2": ROOT / "data" / "eval-blind" / "r2" / "dialogues.jsonl",
    "wA": ROOT / "nlp" / "corpora" / "intents" / "calls" / "wA.jsonl",
    "wB": ROOT / "nlp" / "corpora" / "intents" / "calls" / "wB.jsonl",
    "wC": ROOT / "nlp" / "corpora" / "intents" / "calls" / "wC.jsonl",
    # Writers added after the corrector was built: none of their calls was looked at to
    # build it, so their figures are the unseen-writer check.
    **{w: ROOT / "nlp" / "corpora" / "intents" / "calls" / f"{w}.jsonl" for w in ("wD", "wE", "wF", "wG", "wH")},
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--list", action="store_true", help="print every correction with its context")
    args = ap.parse_args()
    corrector = default_corrector()
    corrector.correct("李财")  # jieba's dictionary loads once, outside the timing
    print("| set | style | calls | segments | corrections | per call | ms per call |")
    print("|---|---|---:|---:|---:|---:|---:|")
    pairs: dict[str, Counter[str]] = {"clean": Counter(), "asr": Counter()}
    for name, path in SETS.items():
        if not path.exists():
            continue
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for style in ("clean", "asr"):
            calls = [r for r in rows if r.get("style") == style]
            if not calls:
                continue
            n = segs = 0
            t0 = time.perf_counter()
            for r in calls:
                for s in r["segments"]:
                    segs += 1
                    for c in corrector.corrections(s["text"]):
                        n += 1
                        pairs[style][f"{c.heard}→{c.term}"] += 1
                        if args.list:
                            ctx = s["text"][max(0, c.start - 6):c.end + 6]
                            print(f"  {name} {r['id']} {style}: {c.heard}→{c.term}  …{ctx}…")
            ms = (time.perf_counter() - t0) * 1000 / len(calls)
            print(f"| {name} | {style} | {len(calls)} | {segs} | {n} | {n / len(calls):.2f} | {ms:.1f} |")
    for style, counter in pairs.items():
        print(f"\n{style}: " + ", ".join(f"{k} ×{v}" for k, v in counter.most_common()))


if __name__ == "__main__":
    main()

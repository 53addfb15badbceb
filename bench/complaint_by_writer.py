"""Complaint risk and the no-pitch rule scored per writer: how many threat calls (call label
``complaint: high``) are rated high, how many other calls are rated high (false highs), and
how many complaining calls (label high, or call intent complaint) get a product pitch.

    .venv/bin/python -m bench.complaint_by_writer                        # table, every labelled set
    .venv/bin/python -m bench.complaint_by_writer --show                 # + the wrong calls (studied sets)
    .venv/bin/python -m bench.complaint_by_writer --save before.json     # counts, to compare later
    .venv/bin/python -m bench.complaint_by_writer --compare before.json  # before → after per cell

Every call goes through ``callsight.pipeline.analyze_text`` with ``runtime.analyzers()``, the
path of ``callsight analyze``. A pitch is counted as bench.quality_blind counts it: a product
suggestion on an opening, or a next action for an opening other than the complaint's follow-up.

Sets: those of bench.rules_by_writer that carry a ``complaint`` label, plus the ASR round trips
(real recogniser output of some calls: data/eval-blind/rN/asr-roundtrip.jsonl with their own
labels, nlp/corpora/intents/calls/wD / wE.asr-roundtrip.jsonl labelled by their written call's
id). Held-out sets (wI … wS) print counts only; the new blind round is never read here.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bench.quality_blind import BLIND, product_pitch
from bench.quality_qa import transcript
from bench.rules_by_writer import ROOT, SETS, WriterSet, load

_CALLS = ROOT / "nlp" / "corpora" / "intents" / "calls"


def _roundtrips() -> list[tuple[WriterSet, Path | None]]:
    """(set, the written set whose labels it takes, when it has none of its own)."""
    out: list[tuple[WriterSet, Path | None]] = []
    # Retired rounds only: the current blind round has no RETIRED.md and is never read here.
    for retired in sorted(BLIND.glob("r*/RETIRED.md")):
        p = retired.parent / "asr-roundtrip.jsonl"
        if p.is_file():
            out.append((WriterSet(f"{retired.parent.name}-asr", p), None))
    for w in ("wD", "wE"):
        out.append((WriterSet(f"{w}-asr", _CALLS / f"{w}.asr-roundtrip.jsonl"), _CALLS / f"{w}.jsonl"))
    return out


def _labelled(ws: WriterSet, labels_from: Path | None) -> list[dict[str, Any]]:
    rows = load(ws)
    if labels_from is not None and labels_from.is_file():
        gold = {r["id"]: r for r in (json.loads(x) for x in labels_from.read_text("utf-8").splitlines() if x.strip())}
        rows = [{**r, "complaint": gold[r["id"]].get("complaint"), "intent": gold[r["id"]].get("intent")}
                for r in rows if r["id"] in gold]
    return [r for r in rows if r.get("complaint") in ("high", "low", "none")]


def score(ws: WriterSet, rows: Sequence[Mapping[str, Any]], an: Any, show: bool) -> tuple[Counter[str], list[str]]:
    from callsight.pipeline import analyze_text
    from core.jsonio import to_json

    c: Counter[str] = Counter()
    wrong: list[str] = []
    for row in rows:
        out = to_json(analyze_text(transcript(row), row.get("meta") or {}, an))
        risk = out.get("complaint_risk") or {}
        level = risk.get("level") or "none"
        gold = row["complaint"]
        c["n"] += 1
        c["high"] += gold == "high"
        c["caught"] += gold == "high" and level == "high"
        c["false_high"] += gold != "high" and level == "high"
        complaining = gold == "high" or row.get("intent") == "complaint"
        c["complaining"] += complaining
        c["pitched"] += complaining and product_pitch(out)
        c["pitched_other"] += not complaining and product_pitch(out)
        bad = (gold == "high") != (level == "high") or (complaining and product_pitch(out))
        if show and bad and not ws.held_out:
            ev = " | ".join(f"[{e['segment']}] {e['reason']}: {e['text'][:50]}" for e in risk.get("evidence", [])[:2])
            intent = (out.get("intents") or {}).get("primary")
            wrong.append(f"  {row['id']}: gold {gold}/{row.get('intent')}, predicted {level}/{intent}"
                         f"{' PITCH' if complaining and product_pitch(out) else ''}  {ev}")
    return c, wrong


def cell(c: Mapping[str, int]) -> str:
    g = c.get
    return f"{g('caught', 0)}/{g('high', 0)} fh{g('false_high', 0)} p{g('pitched', 0)}/{g('complaining', 0)}"


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--sets", default="", help="comma-separated set names (default: every labelled set)")
    ap.add_argument("--show", action="store_true", help="print the wrong calls of the studied sets")
    ap.add_argument("--save", type=Path, help="write the counts as JSON")
    ap.add_argument("--compare", type=Path, help="counts saved earlier: print before → after")
    args = ap.parse_args()
    from callsight import runtime

    an = runtime.analyzers()
    wanted = set(filter(None, args.sets.split(",")))
    sets = [(ws, None) for ws in SETS] + _roundtrips()
    before = json.loads(args.compare.read_text("utf-8")) if args.compare else {}
    results: dict[str, dict[str, int]] = {}
    total: Counter[str] = Counter()
    held: Counter[str] = Counter()
    for ws, labels_from in sets:
        if wanted and ws.name not in wanted:
            continue
        rows = _labelled(ws, labels_from)
        if not rows:
            continue
        c, wrong = score(ws, rows, an, args.show)
        results[ws.name] = dict(c)
        (held if ws.held_out else total).update(c)
        if wrong:
            print(f"## {ws.name}: {len(wrong)} wrong")
            print("\n".join(wrong))
    results["studied"] = dict(total)
    results["held-out"] = dict(held)
    print("| set | calls | high caught, false highs, pitches |")
    print("|---|---:|---|")
    for name, counts in results.items():
        now = cell(counts) + f" o{counts.get('pitched_other', 0)}"
        if name in before:
            was = cell(before[name]) + f" o{before[name].get('pitched_other', 0)}"
            now = now if was == now else f"{was} → {now}"
        print(f"| {name} | {counts.get('n', 0)} | {now} |")
    print("\ncell: threat calls rated high / threat calls, fh false highs (other calls rated high), "
          "p complaining calls pitched / complaining calls, o other calls pitched")
    if args.save:
        args.save.write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()

"""Upsell-opening detection (upsell.openings.opening_cues) on the independent customer
turns, split into a development half and a held-out half by id number.

    .venv/bin/python -m bench.quality_upsell_independent              # both halves, aggregates only
    .venv/bin/python -m bench.quality_upsell_independent --errors     # + dev-half misses / false alarms

data/eval-independent/customer_turns.jsonl (600 turns written blind by an analyst,
definitions in CUSTOMER_TURNS.md) carries an ``openings`` list per turn. EVEN ids
(ct-0002, ct-0004, ...) are the development half: detector work may study them.
ODD ids are held out: only aggregate per-type precision / recall is ever computed on
them, never a turn's text or its individual prediction, so the odd-half figures stay
an honest estimate of how the detector does on speech written by other people.
Detection is per turn: a type counts as found when opening_cues() reports it for that
turn (the turn's ``context``, the agent's previous words, is not given to it).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from bench.intervals import fmt
from upsell.openings import OPENING_TYPES, opening_cues

ROOT = Path(__file__).resolve().parents[1]
TURNS = ROOT / "data" / "eval-independent" / "customer_turns.jsonl"
Counts = dict[str, list[int]]  # type -> [tp, fp, fn]


def half_of(turn_id: str) -> str:
    """"dev" for even id numbers, "heldout" for odd ones."""
    return "dev" if int(turn_id.rsplit("-", 1)[1]) % 2 == 0 else "heldout"


def load_half(half: str) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in TURNS.read_text("utf-8").splitlines() if line.strip()]
    return [r for r in rows if half_of(r["id"]) == half]


def score(rows: Iterable[Mapping[str, Any]], errors: list[str] | None = None) -> Counts:
    """Per-type [tp, fp, fn]; error lines are collected only when a list is passed
    (the caller passes one for the dev half only)."""
    counts: Counts = {t: [0, 0, 0] for t in OPENING_TYPES}
    for row in rows:
        gold = set(row["openings"])
        cues = opening_cues(row["text"])
        for t in OPENING_TYPES:
            hit, want = t in cues, t in gold
            if hit and want:
                counts[t][0] += 1
            elif hit:
                counts[t][1] += 1
                if errors is not None:
                    errors.append(f"FP {row['id']} {t} cue={cues[t]!r} {row['text']}")
            elif want:
                counts[t][2] += 1
                if errors is not None:
                    errors.append(f"FN {row['id']} {t} {row['text']}")
    return counts


def _pr(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def table(title: str, counts: Counts, n_turns: int) -> list[str]:
    lines = [f"### {title} ({n_turns} turns)", "", "| type | n | precision | recall | F1 | fp |",
             "|---|---:|---:|---:|---:|---:|"]
    # (micro precision and recall also with their 95 % Wilson intervals, below the table)
    tot = [0, 0, 0]
    for t in OPENING_TYPES:
        tp, fp, fn = counts[t]
        p, r, f = _pr(tp, fp, fn)
        lines.append(f"| {t} | {tp + fn} | {p:.2f} | {r:.2f} | {f:.2f} | {fp} |")
        tot = [tot[0] + tp, tot[1] + fp, tot[2] + fn]
    p, r, f = _pr(*tot)
    return [*lines, f"| **micro** | {tot[0] + tot[2]} | {p:.3f} | {r:.3f} | {f:.3f} | {tot[1]} |", "",
            f"micro precision {fmt(tot[0], tot[0] + tot[1])}, recall {fmt(tot[0], tot[0] + tot[2])} (95 % Wilson)", ""]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--half", choices=("dev", "heldout", "both"), default="both")
    ap.add_argument("--errors", action="store_true", help="print the DEV half's misses and false alarms")
    args = ap.parse_args()
    halves = ("dev", "heldout") if args.half == "both" else (args.half,)
    names = {"dev": "development half (even ids)", "heldout": "held-out half (odd ids, aggregates only)"}
    errors: list[str] = []
    for half in halves:
        rows = load_half(half)
        counts = score(rows, errors if half == "dev" and args.errors else None)
        print("\n".join(table(f"Upsell openings, independent customer turns, {names[half]}", counts, len(rows))))
    if errors:
        print("\n".join(sorted(errors, key=lambda e: (e.split()[2], e.split()[0]))))


if __name__ == "__main__":
    main()

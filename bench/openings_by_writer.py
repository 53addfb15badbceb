"""Upsell openings and complaint risk scored per writer: each set of dialogues was written
by one person outside the team, so a change tuned on one writer shows here whether it
holds on the others.

    .venv/bin/python -m bench.openings_by_writer                        # table, every set
    .venv/bin/python -m bench.openings_by_writer --show openings        # + wrong openings per call
    .venv/bin/python -m bench.openings_by_writer --show complaint,taken # + complaint / taken errors
    .venv/bin/python -m bench.openings_by_writer --save before.json     # counts, to compare later
    .venv/bin/python -m bench.openings_by_writer --compare before.json  # before → after per cell

Scored as bench.quality_blind scores a round: openings per call and type (a type the gold
marks anywhere in the call against the types the product found), taken/missed judged on
the types both found (taken when any opening of that type was taken), complaint threats
rated high (recall) and other calls rated high (false high, also per 50 calls), and a
product pitch on a complaint call (a product suggestion or a marketing next action).

Sets: r1, r2 (data/eval-blind, retired rounds) and wA … wH (nlp/corpora/intents/calls): the
sets whose records carry ``openings`` and ``complaint`` labels. All may be studied;
the new blind round is never read here. Every call goes through callsight.pipeline.analyze_text
with runtime.analyzers(), the path ``callsight analyze`` takes.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.quality_blind import product_pitch
from bench.quality_qa import transcript
from bench.rules_by_writer import SETS as RULE_SETS
from bench.rules_by_writer import selected

# The writer sets of bench.rules_by_writer that carry `openings` and `complaint` labels
# (w1 and the held-out odd half of eval-independent do not).
SETS = tuple(ws for ws in RULE_SETS if ws.name not in ("w1", "ind-odd"))
SHOWABLE = ("openings", "taken", "complaint", "pitch")


def by_type(openings: Sequence[Mapping[str, Any]]) -> dict[str, bool]:
    """Openings of a call by type, taken when any of that type was taken (as a reviewer
    judges a call: "it had an education opening, and it was missed")."""
    out: dict[str, bool] = {}
    for o in openings:
        out[o["type"]] = out.get(o["type"], False) or bool(o["taken"])
    return out


def _first(openings: Sequence[Mapping[str, Any]], kind: str) -> int:
    return min(o["segment"] for o in openings if o["type"] == kind)


def _turn(row: Mapping[str, Any], i: int) -> str:
    return f"<{i}> {row['segments'][i]['text'][:70]}"


class RecordingGate:
    """The opening filter keeping every candidate and noting its probability, so one pass scores
    every threshold (--sweep): an opening below a threshold is dropped afterwards."""

    def __init__(self, flt: Any) -> None:
        self.flt = flt
        self.seen: dict[tuple[int, str], float] = {}

    def keep(self, rows: Sequence[Mapping[str, Any]]) -> list[bool]:
        for r, p in zip(rows, self.flt.probabilities(rows), strict=True):
            self.seen[(int(r["segment"]), str(r["type"]))] = p
        return [True] * len(rows)


def _sweep_counts(c: Counter[str], gold: Mapping[str, bool], found: Sequence[Mapping[str, Any]],
                  probs: Mapping[tuple[int, str], float], kind: str, flt: Any) -> None:
    for th in SWEEP:
        pred = {o["type"] for o in found if probs.get((o["segment"], o["type"]), 1.0)
                >= (th if o["type"] == kind else flt.threshold_for(o["type"]))}
        c[f"sweep{th}:tp"] += len(set(gold) & pred)
        c[f"sweep{th}:fp"] += len(pred - set(gold))
        c[f"sweep{th}:fn"] += len(set(gold) - pred)


SWEEP = (0.0, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def score(rows: Sequence[Mapping[str, Any]], an: Any,
          sweep: str = "") -> tuple[Counter[str], dict[str, list[str]]]:
    from callsight.pipeline import analyze_text
    from core.jsonio import to_json

    c: Counter[str] = Counter()
    wrong: dict[str, list[str]] = {k: [] for k in SHOWABLE}
    flt = an.opening_filter
    for row in rows:
        gate = RecordingGate(flt) if sweep and flt is not None else None
        out = to_json(analyze_text(transcript(row), row.get("meta") or {},
                                   replace(an, opening_filter=gate) if gate else an))
        found = out.get("upsell_openings", [])
        gold_list = row.get("openings", [])
        if gate is not None:
            # --sweep: the counts below at the filter's own thresholds; the sweep on the side.
            _sweep_counts(c, by_type(gold_list), found, gate.seen, sweep, flt)
            found = [o for o in found if gate.seen.get((o["segment"], o["type"]), 1.0) >= flt.threshold_for(o["type"])]
        gold, pred = by_type(gold_list), by_type(found)
        c["tp"] += len(set(gold) & set(pred))
        c["fp"] += len(set(pred) - set(gold))
        c["fn"] += len(set(gold) - set(pred))
        for k in set(gold) | set(pred):  # per type, for --by-type (aggregates only)
            c[f"{'tp' if k in gold and k in pred else 'fp' if k in pred else 'fn'}:{k}"] += 1
        for k in sorted(set(pred) - set(gold)):
            o = next(o for o in found if o["type"] == k)
            cue = o["evidence"]["customer"]["cue"]
            wrong["openings"].append(f"  {row['id']} FP {k} «{cue}» {_turn(row, o['segment'])}")
        for k in sorted(set(gold) - set(pred)):
            wrong["openings"].append(f"  {row['id']} FN {k} {_turn(row, _first(gold_list, k))}")
        for k in sorted(set(gold) & set(pred)):
            c["matched"] += 1
            c["taken_right"] += gold[k] == pred[k]
            if gold[k] != pred[k]:
                o = next(o for o in found if o["type"] == k)
                take = o["evidence"].get("agent")
                how = f"by <{take['segment']}> «{take['cue']}» {take['text'][:60]}" if take else "no take found"
                wrong["taken"].append(f"  {row['id']} {k} gold {'taken' if gold[k] else 'missed'}, {how}"
                                      f"  (cue {_turn(row, o['segment'])})")
        level = (out.get("complaint_risk") or {}).get("level") or "none"
        g_high = row.get("complaint") == "high"
        c["high"] += g_high
        c["caught"] += g_high and level == "high"
        c["other"] += not g_high
        c["false_high"] += (not g_high) and level == "high"
        if g_high != (level == "high"):
            ev = " | ".join(f"<{e['segment']}> {e['reason']}: {e['text'][:50]}"
                            for e in (out.get("complaint_risk") or {}).get("evidence", [])[:2])
            wrong["complaint"].append(f"  {row['id']} gold {row.get('complaint')}, predicted {level}  {ev}")
        if g_high or row.get("intent") == "complaint":
            c["complaining"] += 1
            if product_pitch(out):
                c["pitched"] += 1
                wrong["pitch"].append(f"  {row['id']} pitched on a complaint call (predicted risk {level})")
    return c, wrong


def _ratio(k: int, n: int) -> str:
    return f"{k}/{n}" if n else "–"


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def cells(c: Mapping[str, int]) -> dict[str, str]:
    tp, fp, fn = c.get("tp", 0), c.get("fp", 0), c.get("fn", 0)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = _f1(tp, fp, fn)
    other = c.get("other", 0)
    return {
        "openings P/R/F1": f"{p:.2f}/{r:.2f}/{f1:.2f} (fp{fp} fn{fn})",
        "taken right": f"{_ratio(c.get('taken_right', 0), c.get('matched', 0))}",
        "complaint high recall": _ratio(c.get("caught", 0), c.get("high", 0)),
        "false high": f"{_ratio(c.get('false_high', 0), other)} "
                      f"({50 * c.get('false_high', 0) / max(1, other):.1f}/50)",
        "pitch on complaint": _ratio(c.get("pitched", 0), c.get("complaining", 0)),
    }


def table(results: Mapping[str, Mapping[str, int]], before: Mapping[str, Any] | None) -> list[str]:
    names = list(results)
    lines = ["| measure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    rows = {n: cells(results[n]) for n in names}
    old = {n: cells(before[n]) for n in names if before and n in before}
    for measure in next(iter(rows.values())):
        vals = [f"{old[n][measure]} → {rows[n][measure]}" if n in old else rows[n][measure] for n in names]
        lines.append(f"| {measure} | " + " | ".join(vals) + " |")
    return lines


def type_table(total: Mapping[str, int], before: Mapping[str, int] | None) -> list[str]:
    """Openings per type over the chosen sets: counts only, so held-out sets may be included."""
    kinds = sorted({k.split(":", 1)[1] for k in total if k.split(":", 1)[0] in ("tp", "fp", "fn") and ":" in k})
    lines = ["| type | P/R/F1 |", "|---|---|"]
    def one(c: Mapping[str, int], kind: str) -> str:
        return cells({x: c.get(f"{x}:{kind}", 0) for x in ("tp", "fp", "fn")})["openings P/R/F1"]

    for kind in kinds:
        lines.append(f"| {kind} | {one(before, kind) + ' → ' if before else ''}{one(total, kind)} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--sets", default=",".join(s.name for s in SETS), help="comma-separated set names")
    ap.add_argument("--show", default="", help=f"comma-separated error kinds to print: {', '.join(SHOWABLE)}")
    ap.add_argument("--sweep", default="", help="an opening type: openings F1 at each threshold of the filter for it")
    ap.add_argument("--by-type", action="store_true", help="+ openings per type over the chosen sets (counts only)")
    ap.add_argument("--save", type=Path, help="write the counts as JSON")
    ap.add_argument("--compare", type=Path, help="counts saved earlier: print before → after")
    args = ap.parse_args()
    from callsight import runtime

    an = runtime.analyzers()
    wanted = set(args.sets.split(","))
    show = [k for k in args.show.split(",") if k]
    results: dict[str, Counter[str]] = {}
    for ws, rows in selected(SETS, wanted):
        counts, wrong = score(rows, an, args.sweep)
        results[ws.name] = counts
        for kind in show:
            if wrong.get(kind) and not ws.held_out:  # held-out sets: aggregates only
                print(f"## {ws.name} {kind}: {len(wrong[kind])} wrong")
                print("\n".join(wrong[kind]))
    total: Counter[str] = Counter()
    for counts in results.values():
        total.update(counts)
    results["all"] = total
    before = json.loads(args.compare.read_text("utf-8")) if args.compare else None
    print("\n".join(table(results, before)))
    if args.sweep:
        print(f"| {args.sweep} threshold | " + " | ".join(results) + " | mean F1 |")
        print("|---|" + "---|" * (len(results) + 1))
        for th in SWEEP:
            swept = [{x: c.get(f"sweep{th}:{x}", 0) for x in ("tp", "fp", "fn")} for c in results.values()]
            # The mean over the sets, not over "all" (the last column, their sum).
            per = [_f1(k["tp"], k["fp"], k["fn"]) for k in swept[:-1]]
            print(f"| {th} | " + " | ".join(cells(k)["openings P/R/F1"] for k in swept)
                  + f" | {sum(per) / max(1, len(per)):.3f} |")
    if args.by_type:
        print("\n".join(type_table(total, before.get("all") if before else None)))
    if args.save:
        args.save.write_text(json.dumps({k: dict(v) for k, v in results.items()}, indent=1), "utf-8")


if __name__ == "__main__":
    main()

"""Compliance rules scored per writer: precision / recall / false flags for each rule on
each set of dialogues written by one person outside the team.

    .venv/bin/python -m bench.rules_by_writer                       # table, every set
    .venv/bin/python -m bench.rules_by_writer --show greeting       # + the failing calls of a rule
    .venv/bin/python -m bench.rules_by_writer --save before.json    # counts, to compare later
    .venv/bin/python -m bench.rules_by_writer --compare before.json # before → after per cell

Every call goes through the same path as ``callsight analyze`` (callsight.pipeline.analyze_text
with runtime.analyzers()), so the rules see the same conversation analysis they see in
production. A violation ("fail") is the positive class.

Sets: r1 … r10 (data/eval-blind/r1 … r10: reported, no longer blind), w1 (the even ids of
data/eval-independent: the same dialogues as nlp/corpora/intents/calls/w1.jsonl), wA, wB
(nlp/corpora/intents/calls), wC … wAF (nlp/corpora/intents/calls/; wI … wS, wY, wZ and wAA … wAF held out, wT … wX
studied) and ind-odd, the odd ids of
data/eval-independent, which are held out: only their aggregate counts are computed, never
an id or a finding (``--show`` skips them). The new blind round is never read here.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.quality_qa import tally, transcript

ROOT = Path(__file__).resolve().parents[1]
RULES = ("greeting", "identity_verification", "risk_disclosure", "suitability", "forbidden_promise", "closing",
         "courtesy")
_IND = ROOT / "data" / "eval-independent" / "dialogues.jsonl"


@dataclass(frozen=True)
class WriterSet:
    name: str
    path: Path
    held_out: bool = False  # aggregates only: no id, text or finding is ever printed
    parity: int | None = None  # keep only ids whose number has this parity


def _round(name: str) -> WriterSet:
    """A retired blind round (data/eval-blind/<name>): reported, so studied."""
    return WriterSet(name, ROOT / "data" / "eval-blind" / name / "dialogues.jsonl")


def _writer(name: str, held_out: bool = False) -> WriterSet:
    """A writer of the call corpus (nlp/corpora/intents/calls/<name>.jsonl)."""
    return WriterSet(name, ROOT / "nlp" / "corpora" / "intents" / "calls" / f"{name}.jsonl", held_out=held_out)


SETS = (
    _round("r1"),
    _round("r2"),
    _round("r3"),
    _round("r4"),
    _round("r5"),
    _round("r6"),
    _round("r7"),
    _round("r8"),
    _round("r9"),
    _round("r10"),
    WriterSet("w1", _IND, parity=0),
    _writer("wA"),
    _writer("wB"),
    _writer("wC"),
    _writer("wD"),
    _writer("wE"),
    _writer("wF"),
    _writer("wG"),
    _writer("wH"),
    # wT … wV (round 7) were written to be studied: sales side, service side, openings and intent boundaries;
    # wW (is an investment product recommended at all) and wX (outbound, every response) were held out in
    # round 7 and are studied from round 8 on.
    _writer("wT"),
    _writer("wU"),
    _writer("wV"),
    _writer("wW"),
    _writer("wX"),
    # wI, wJ (round 4), wK, wL (round 5) and wM … wQ (round 6) are the unseen check of rule and opening work
    # (trained on by the call-intent model only): their counts are printed, never a call of theirs.
    _writer("wI", held_out=True),
    _writer("wJ", held_out=True),
    _writer("wK", held_out=True),
    _writer("wL", held_out=True),
    _writer("wM", held_out=True),
    _writer("wN", held_out=True),
    _writer("wO", held_out=True),
    _writer("wP", held_out=True),
    _writer("wQ", held_out=True),
    # wR and wS (round 7): the unseen check of round 7, trained on by the call-intent model only.
    _writer("wR", held_out=True),
    _writer("wS", held_out=True),
    # wY and wZ (round 8): the unseen check of round 8, trained on by the call-intent model only.
    _writer("wY", held_out=True),
    _writer("wZ", held_out=True),
    # wAA and wAB (round 9): the unseen check of round 9, trained on by the call-intent model only.
    _writer("wAA", held_out=True),
    _writer("wAB", held_out=True),
    # wAC and wAD (round 10): the unseen check of round 10, trained on by the call-intent model only.
    _writer("wAC", held_out=True),
    _writer("wAD", held_out=True),
    # wAE and wAF (round 11): the unseen check of round 11, trained on by the call-intent model only.
    _writer("wAE", held_out=True),
    _writer("wAF", held_out=True),
    WriterSet("ind-odd", _IND, held_out=True, parity=1),
)

# A hard negative of forbidden_promise: the customer says 保本 / 保证 and the agent
# corrects them. Such calls must never be flagged.
_CUSTOMER_ASKS = re.compile(r"保本|保证|稳赚|不会亏")
_AGENT_CORRECTS = re.compile(r"不保本|不能保证|无法保证|没法保证|不能承诺|不承诺|不允许")


def selected(sets: Sequence[WriterSet], wanted: set[str]) -> Iterator[tuple[WriterSet, list[dict[str, Any]]]]:
    """The wanted sets with their rows; a set whose file is missing is named and skipped."""
    for ws in sets:
        if ws.name not in wanted:
            continue
        rows = load(ws)
        if not rows:
            print(f"({ws.name}: {ws.path} not found, skipped)")
            continue
        yield ws, rows


def load(ws: WriterSet) -> list[dict[str, Any]]:
    if not ws.path.is_file():
        return []
    rows = [json.loads(x) for x in ws.path.read_text("utf-8").splitlines() if x.strip()]
    if ws.parity is not None:
        rows = [r for r in rows if int(r["id"].rsplit("-", 1)[1]) % 2 == ws.parity]
    return rows


def hard_negative(row: Mapping[str, Any]) -> bool:
    segs = row["segments"]
    return (any(s["speaker"] == "customer" and _CUSTOMER_ASKS.search(s["text"]) for s in segs)
            and any(s["speaker"] == "agent" and _AGENT_CORRECTS.search(s["text"]) for s in segs))


def context(rule: str, row: Mapping[str, Any]) -> str:
    """What a must rule read when it found nothing to cite: the first agent turn for the
    greeting, the last two for the closing."""
    agent = [(i, s["text"]) for i, s in enumerate(row["segments"]) if s["speaker"] == "agent"]
    picked = agent[:1] if rule == "greeting" else agent[-2:] if rule == "closing" else []
    return " | ".join(f"<{i}> {t[:90]}" for i, t in picked)


@dataclass
class Scored:
    counts: dict[str, Counter[str]]
    wrong: dict[str, list[str]]  # rule → lines describing each wrong call (studyable sets only)
    hard_negatives: int
    hard_negatives_flagged: int


def score(ws: WriterSet, rows: Sequence[Mapping[str, Any]], an: Any, show: set[str]) -> Scored:
    from callsight.pipeline import analyze_text
    from core.jsonio import to_json

    counts: dict[str, Counter[str]] = {r: Counter() for r in RULES}
    wrong: dict[str, list[str]] = {r: [] for r in RULES}
    hn = hn_flagged = 0
    for row in rows:
        out = to_json(analyze_text(transcript(row), row.get("meta") or {}, an))
        found = {f["rule"]: f for f in out["compliance"]["findings"]}
        for rule in RULES:
            gold = row["labels"][rule]
            f = found.get(rule)
            pred = "na" if f is None or not f["applicable"] else ("pass" if f["passed"] else "fail")
            tally(counts[rule], gold, pred)
            if rule in show and gold != pred and not ws.held_out:
                ev = " | ".join(f"[{e['segment']}] {e['text'][:60]}" for e in (f or {}).get("evidence", [])[:3])
                ev = ev or context(rule, row)
                wrong[rule].append(f"  {row['id']}: gold {gold}, predicted {pred}  {ev}")
        if hard_negative(row) and row["labels"]["forbidden_promise"] == "pass":
            hn += 1
            f = found.get("forbidden_promise")
            hn_flagged += bool(f and f["applicable"] and not f["passed"])
    return Scored(counts, wrong, hn, hn_flagged)


def _pr(c: Counter[str]) -> tuple[float | None, float | None]:
    flagged, violations = c["tp"] + c["fp"], c["tp"] + c["fn"]
    return (c["tp"] / flagged if flagged else None, c["tp"] / violations if violations else None)


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f}"


def cell(c: Counter[str]) -> str:
    p, r = _pr(c)
    return f"{_f(p)}/{_f(r)} fp{c['fp']} fn{c['fn']} na{c['na_wrong']}"


def table(results: Mapping[str, Mapping[str, Counter[str]]], before: Mapping[str, Any] | None) -> list[str]:
    names = list(results)
    lines = ["| rule | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for rule in RULES:
        cells = []
        for n in names:
            now = cell(results[n][rule])
            if before and n in before:
                now = f"{cell(Counter(before[n][rule]))} → {now}"
            cells.append(now)
        lines.append(f"| {rule} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("cell: precision/recall, false flags, missed violations, "
                 "applicability errors (gold na ≠ predicted na)")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--sets", default=",".join(s.name for s in SETS), help="comma-separated set names")
    ap.add_argument("--show", default="", help="comma-separated rules whose wrong calls to print (studyable sets)")
    ap.add_argument("--save", type=Path, help="write the counts as JSON")
    ap.add_argument("--compare", type=Path, help="counts saved earlier: print before → after")
    args = ap.parse_args()
    from callsight import runtime

    an = runtime.analyzers()
    wanted = set(args.sets.split(","))
    show = {r for r in args.show.split(",") if r}
    results: dict[str, dict[str, Counter[str]]] = {}
    hard = Counter[str]()
    for ws, rows in selected(SETS, wanted):
        s = score(ws, rows, an, show)
        results[f"{ws.name} ({len(rows)})"] = s.counts
        hard["calls"] += s.hard_negatives
        hard["flagged"] += s.hard_negatives_flagged
        for rule in sorted(show):
            if s.wrong[rule]:
                print(f"## {ws.name} {rule}: {len(s.wrong[rule])} wrong")
                print("\n".join(s.wrong[rule]))
    total: dict[str, Counter[str]] = {r: Counter() for r in RULES}
    for counts in results.values():
        for r in RULES:
            total[r].update(counts[r])
    results["all"] = total
    before = json.loads(args.compare.read_text("utf-8")) if args.compare else None
    print("\n".join(table(results, before)))
    print(f"\nforbidden_promise hard negatives (customer says 保本/保证, agent corrects): "
          f"{hard['flagged']} flagged of {hard['calls']}")
    if args.save:
        args.save.write_text(json.dumps({k: {r: dict(c) for r, c in v.items()} for k, v in results.items()},
                                        ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()

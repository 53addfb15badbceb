"""Compliance rules on the independent dialogues, split into a development half and a
held-out half by id number.

    .venv/bin/python -m bench.quality_independent_split          # both halves, aggregates only
    .venv/bin/python -m bench.quality_independent_split --half dev

EVEN ids (ind-0002, ind-0004, ...) are the development half: rule work may study
them. ODD ids are held out: only the aggregate per-rule precision / recall /
applicability errors below are ever computed on them, never a dialogue's text or
its individual prediction, so the odd-half figures stay an honest estimate of how
the rules do on calls written by other people.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from bench.intervals import fmt
from bench.quality_qa import tally, transcript

ROOT = Path(__file__).resolve().parents[1]
DIALOGUES = ROOT / "data" / "eval-independent" / "dialogues.jsonl"
RULES = ("greeting", "identity_verification", "risk_disclosure", "suitability", "forbidden_promise", "closing",
         "courtesy")


def half_of(dialogue_id: str) -> str:
    """"dev" for even id numbers, "heldout" for odd ones."""
    return "dev" if int(dialogue_id.rsplit("-", 1)[1]) % 2 == 0 else "heldout"


def load_half(half: str) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in DIALOGUES.read_text("utf-8").splitlines() if line.strip()]
    return [r for r in rows if half_of(r["id"]) == half]


def counts_for(rows: Iterable[Mapping[str, Any]]) -> dict[str, Counter[str]]:
    """Per-rule tp / fp / fn and applicability errors (gold na vs predicted na), aggregate only."""
    from callsight import runtime
    from callsight.pipeline import analyze_text
    from core.jsonio import to_json

    an = runtime.analyzers()
    counts: dict[str, Counter[str]] = {r: Counter() for r in RULES}
    for row in rows:
        out = to_json(analyze_text(transcript(row), row.get("meta") or {}, an))
        found = {f["rule"]: f for f in out["compliance"]["findings"]}
        for rule in RULES:
            gold = row["labels"][rule]
            f = found.get(rule)
            pred = "na" if f is None or not f["applicable"] else ("pass" if f["passed"] else "fail")
            tally(counts[rule], gold, pred)
    return counts


def table(title: str, counts: Mapping[str, Counter[str]]) -> list[str]:
    lines = [f"### {title}", "",
             "| rule | violations | flagged | precision [95 % CI] | recall [95 % CI] | applicability errors |",
             "|---|---:|---:|---:|---:|---:|"]
    for rule in RULES:
        c = counts[rule]
        flagged, violations = c["tp"] + c["fp"], c["tp"] + c["fn"]
        lines.append(f"| {rule} | {violations} | {flagged} | {fmt(c['tp'], flagged)} | {fmt(c['tp'], violations)} "
                     f"| {c['na_wrong']} |")
    return [*lines, ""]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--half", choices=("dev", "heldout", "both"), default="both")
    args = ap.parse_args()
    halves = ("dev", "heldout") if args.half == "both" else (args.half,)
    for half in halves:
        rows = load_half(half)
        name = "even ids, development half" if half == "dev" else "odd ids, held-out half (aggregates only)"
        print("\n".join(table(f"{len(rows)} dialogues, {name}", counts_for(rows))))


if __name__ == "__main__":
    main()

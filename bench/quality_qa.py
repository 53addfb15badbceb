"""Quality of the default rule pack on the labelled dialogues (data/qa/*.jsonl).

    .venv/bin/python -m bench.quality_qa            # prints the markdown report

Per rule, a *positive* is a violation (gold label "fail"); the engine predicts one
when the finding is applicable and not passed. Precision/recall are reported for
the dev split (phrasings the rules were developed against) and the second split
(different phrasings; it was held out until 2026-12-01, when its misses were studied, so
it is a second dev set now: the blind figures are in bench/quality_independent.py), plus false forbidden_promise hits on
the hand-written hard negatives and the agent-scoped rules run over the customer
texts of the public bank-product comments (every hit there is a false positive:
customers, not agents, wrote them).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from core.types import Segment, Transcript
from qa import ComplianceResult, RulePack, evaluate, load_pack

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "qa"
PUBLIC_CSV = ROOT.parent / "shared" / "eval-public" / "bank_product_reviews_ccf_bdci2021_train.csv"


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def transcript(row: Mapping[str, Any]) -> Transcript:
    segs = tuple(Segment(s["speaker"], float(s["start"]), float(s["end"]), s["text"]) for s in row["segments"])
    end = max((s.end for s in segs), default=0.0)
    return Transcript(segs, end, int(row.get("channels", 2)))


def predicted(result: ComplianceResult, rule: str) -> str:
    f = result.finding(rule)
    return "na" if not f.applicable else ("pass" if f.passed else "fail")


def tally(c: Counter[str], gold: str, pred: str) -> None:
    """Count one rule verdict: a violation ("fail") is the positive class; na_wrong counts
    disagreements on whether the rule applies at all."""
    c["n"] += 1
    if gold == "fail":
        c["tp" if pred == "fail" else "fn"] += 1
    elif pred == "fail":
        c["fp"] += 1
    else:
        c["tn"] += 1
    if (gold == "na") != (pred == "na"):
        c["na_wrong"] += 1


def score_rows(rows: Iterable[Mapping[str, Any]], pack: RulePack) -> tuple[dict[str, Counter[str]], list[str]]:
    """Per-rule confusion counts (tp/fp/fn/tn, na_wrong) and the ids of wrong predictions."""
    counts: dict[str, Counter[str]] = {}
    wrong: list[str] = []
    for row in rows:
        res = evaluate(transcript(row), pack, meta=row.get("meta"))
        for rule, gold in row["labels"].items():
            pred = predicted(res, rule)
            tally(counts.setdefault(rule, Counter()), gold, pred)
            if (gold == "fail") != (pred == "fail"):
                wrong.append(f"{row['id']}:{rule}:gold={gold}:pred={pred}")
    return counts, wrong


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "n/a"


def table(counts: Mapping[str, Counter[str]], order: Iterable[str]) -> list[str]:
    out = ["| rule | violations | precision | recall | applicability errors |", "|---|---|---|---|---|"]
    for rule in order:
        c = counts.get(rule)
        if c is None:
            continue
        out.append(f"| {rule} | {c['tp'] + c['fn']} | {_ratio(c['tp'], c['tp'] + c['fp'])} | "
                   f"{_ratio(c['tp'], c['tp'] + c['fn'])} | {c['na_wrong']} |")
    return out


def public_false_positives(pack: RulePack, limit: int | None = None) -> tuple[int, int, Counter[str], list[str]]:
    """Each customer comment as one agent turn, agent-scoped text rules only: every hit is false."""
    text_rules = {"forbidden_promise", "courtesy"}
    hits: Counter[str] = Counter()
    samples: list[str] = []
    n = 0
    with PUBLIC_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            n += 1
            text = row.get("text") or ""
            seg = Segment("agent", 0.0, max(1.0, len(text) / 4.5), text)
            res = evaluate(Transcript((seg,), seg.end, 2), pack)
            for f in res.findings:
                if f.rule in text_rules and f.applicable and not f.passed:
                    hits[f.rule] += 1
                    if len(samples) < 5:
                        samples.append(f"{f.rule}: {text[:60]}")
            if limit and n >= limit:
                break
    # The same texts spoken by the customer must never hit an agent-scoped rule.
    cust_hits = 0
    with PUBLIC_CSV.open(encoding="utf-8") as fh:
        for k, row in enumerate(csv.DictReader(fh)):
            text = row.get("text") or ""
            seg = Segment("customer", 0.0, max(1.0, len(text) / 4.5), text)
            res = evaluate(Transcript((seg,), seg.end, 2), pack)
            cust_hits += sum(1 for f in res.findings if f.rule in text_rules and f.applicable and not f.passed)
            if limit and k + 1 >= limit:
                break
    return n, cust_hits, hits, samples


def report(pack: RulePack | None = None) -> str:
    pack = pack or load_pack()
    lines = [f"## Compliance rules (pack {pack.version}) on our own generated dialogues", "",
             "Both splits were written by the team that wrote the rules, and both have now been used for "
             "development (the `heldout` split's misses were studied on 2026-12-01), so expect ~1.0 here; "
             "the blind figures are in the independent evaluation above.", ""]
    for split in ("dev", "heldout"):
        path = DATA / f"{split}.jsonl"
        if not path.exists():
            lines += [f"{split}: {path} missing (run `python data/qa/generate.py`)", ""]
            continue
        rows = load_jsonl(path)
        counts, _ = score_rows(rows, pack)
        lines += [f"### {split} ({len(rows)} dialogues)", "", *table(counts, pack.rule_ids), ""]
    hard = DATA / "hard.jsonl"
    if hard.exists():
        rows = load_jsonl(hard)
        counts, wrong = score_rows(rows, pack)
        fp = counts.get("forbidden_promise", Counter())["fp"]
        lines += [f"### Hard negatives ({len(rows)} dialogues: customers saying 保本, agents saying 不保本 …)", "",
                  f"- false `forbidden_promise` hits: **{fp}**",
                  f"- false `courtesy` hits: {counts.get('courtesy', Counter())['fp']}"]
        lines += [f"  - {w}" for w in wrong[:10]]
        lines.append("")
    lines.append("### Public bank-product comments (customer text)")
    lines.append("")
    if PUBLIC_CSV.exists():
        n, cust_hits, agent_hits, samples = public_false_positives(pack)
        lines += [f"- {n} comments from `{PUBLIC_CSV.name}` (read at run time, not copied)",
                  f"- spoken by the customer: agent-scoped rule hits = **{cust_hits}** (must be 0)",
                  f"- the same texts put in an agent's mouth (stress test, informational): "
                  f"{dict(agent_hits) or 'no hits'}"]
        lines += [f"  - e.g. {s}" for s in samples]
    else:
        lines.append(f"- skipped: {PUBLIC_CSV} not present")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(report())

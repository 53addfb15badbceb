"""Customer intent, sentiment and complaint risk on the independent sets, split into a
development half and a held-out half by id number.

    .venv/bin/python -m bench.quality_nlp_independent_split            # both halves, aggregates only
    .venv/bin/python -m bench.quality_nlp_independent_split --misses   # + the DEV half's misses

EVEN ids (ct-0002…, ind-0002…) are the development half: NLP work may read them and
study their misses. ODD ids are held out: only the aggregate per-class precision /
recall / macro-F1 below are ever computed on them; no text, id or individual
prediction of an odd item is printed, so the odd-half figures stay an honest estimate
of how the models do on turns and calls written by other people. ``--misses`` lists
dev-half misses only; there is no switch that lists odd-half items.

Figures per half: intent per customer turn (data/eval-independent/customer_turns.jsonl),
sentiment per turn, complaint risk per turn (``nlp.analyze.turn_risk``, what a
one-turn call would get) and the call-level primary intent of the dialogues
(data/eval-independent/dialogues.jsonl, ``nlp.analyze.analyze_conversation``, the
same path the pipeline takes).
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bench.quality_qa import transcript

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "eval-independent"
HALVES = ("dev", "heldout")
Scores = dict[str, tuple[float, float, float, int]]


def half_of(item_id: str) -> str:
    """"dev" for even id numbers, "heldout" for odd ones (ct-0002 dev, ind-0003 held out)."""
    return "dev" if int(item_id.rsplit("-", 1)[1]) % 2 == 0 else "heldout"


def _rows(name: str, half: str) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines() if line.strip()]
    return [r for r in rows if half_of(r["id"]) == half]


def per_class(gold: Sequence[str], pred: Sequence[str]) -> tuple[float, Scores]:
    """Macro-F1 over the gold classes and (P, R, F1, n) per class."""
    out: Scores = {}
    for c in sorted(set(gold)):
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == c)
        n_pred = sum(1 for p in pred if p == c)
        n_gold = sum(1 for g in gold if g == c)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        out[c] = (prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0, n_gold)
    return sum(v[2] for v in out.values()) / max(1, len(out)), out


def turn_predictions(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Predicted intent / sentiment / risk per customer turn (no context: the model sees the turn)."""
    from callsight import runtime
    from nlp.analyze import turn_risk
    from nlp.sentiment import sentiment_of

    model = runtime.analyzers().intent_model
    texts = [r["text"] for r in rows]
    intents = model.predict(texts)
    sents = [sentiment_of(t) for t in texts]
    risks = [turn_risk(0, t, s, i) for t, s, i in zip(texts, sents, intents, strict=True)]
    return {"intent": [i for i, _ in intents], "sentiment": [s.label for s in sents], "complaint_risk": risks}


def call_predictions(rows: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[str], list[bool]]:
    """(primary intent, complaint risk level, a product pitched) per dialogue, through the
    pipeline's text analysis (callsight.pipeline.analyze_text, as `callsight analyze`)."""
    from callsight import runtime
    from callsight.pipeline import analyze_text
    from core.jsonio import to_json

    an = runtime.analyzers()
    out = [to_json(analyze_text(transcript(r), r.get("meta") or {}, an)) for r in rows]
    pitched = [any(s.get("product") for o in a.get("upsell_openings", []) for s in o.get("suggestions", []))
               for a in out]
    return ([a.get("intents", {}).get("primary") or "other" for a in out],
            [a["complaint_risk"]["level"] for a in out], pitched)


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion k/n."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def macro_f1_interval(gold: Sequence[str], pred: Sequence[str], rounds: int = 1000) -> tuple[float, float]:
    """95 % percentile bootstrap interval of macro-F1 (items resampled, fixed seed)."""
    rng = random.Random(12)
    n = len(gold)
    vals = []
    for _ in range(rounds):
        idx = [rng.randrange(n) for _ in range(n)]
        vals.append(per_class([gold[i] for i in idx], [pred[i] for i in idx])[0])
    vals.sort()
    return vals[int(0.025 * rounds)], vals[int(0.975 * rounds) - 1]


def _risk_lines(intents: Sequence[str], risks: Sequence[str], pitched: Sequence[bool]) -> list[str]:
    """Call-level complaint risk against a proxy: the sets carry no call-level risk label,
    so a complaint call (gold intent) should be rated at least ``low`` and, when the
    customer files or threatens, ``high``; a non-complaint call rated ``high`` is
    counted as a false high (an upper bound: a redemption with a threat is a true one)."""
    comp = [r for i, r in zip(intents, risks, strict=True) if i == "complaint"]
    rest = [r for i, r in zip(intents, risks, strict=True) if i != "complaint"]
    comp_pitch = [p for i, p in zip(intents, pitched, strict=True) if i == "complaint"]
    lines = ["#### Call-level complaint risk and product judgement (proxy: gold intent complaint)", "",
             "| measure | k / n | share | 95 % interval |", "|---|---:|---:|---:|"]
    for name, k, n in (("complaint calls rated high", comp.count("high"), len(comp)),
                       ("complaint calls rated none", comp.count("none"), len(comp)),
                       ("non-complaint calls rated high", rest.count("high"), len(rest)),
                       ("complaint calls with a product pitched", sum(comp_pitch), len(comp_pitch))):
        lo, hi = wilson(k, n)
        lines.append(f"| {name} | {k} / {n} | {k / max(1, n):.3f} | {lo:.3f}–{hi:.3f} |")
    return [*lines, ""]


def _table(title: str, gold: Sequence[str], pred: Sequence[str]) -> list[str]:
    macro, scores = per_class(gold, pred)
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / max(1, len(gold))
    lines = [f"#### {title}: macro-F1 **{macro:.3f}**, accuracy {acc:.3f} (n={len(gold)})", "",
             "| class | precision | recall | F1 | n |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {c} | {p:.3f} | {r:.3f} | {f:.3f} | {n} |" for c, (p, r, f, n) in scores.items()]
    lo, hi = macro_f1_interval(gold, pred)
    return [*lines, "", f"macro-F1 95 % bootstrap interval: {lo:.3f}–{hi:.3f}", ""]


def report_half(half: str) -> tuple[list[str], dict[str, Any]]:
    turns = _rows("customer_turns.jsonl", half)
    dialogues = _rows("dialogues.jsonl", half)
    tp = turn_predictions(turns)
    cp, risks, pitched = call_predictions(dialogues)
    name = "even ids, development half" if half == "dev" else "odd ids, held-out half (aggregates only)"
    lines = [f"### {name}", ""]
    for key, title in (("intent", "Intent per customer turn"), ("sentiment", "Sentiment per turn"),
                       ("complaint_risk", "Complaint risk per turn")):
        lines += _table(title, [r[key] for r in turns], tp[key])
    lines += _table("Call-level primary intent", [r["intent"] for r in dialogues], cp)
    lines += _risk_lines([r["intent"] for r in dialogues], risks, pitched)
    return lines, {"turns": turns, "turn_pred": tp, "dialogues": dialogues, "call_pred": cp}


def dev_misses(data: Mapping[str, Any]) -> list[str]:
    """Dev-half misses, for error analysis (never called for the held-out half)."""
    out = ["### Dev-half misses", ""]
    for key in ("intent", "sentiment", "complaint_risk"):
        out.append(f"#### {key}")
        for row, pred in zip(data["turns"], data["turn_pred"][key], strict=True):
            if row[key] != pred:
                out.append(f"- {row['id']} gold={row[key]} pred={pred} | {row['text']}")
        out.append("")
    out.append("#### call-level intent")
    for row, pred in zip(data["dialogues"], data["call_pred"], strict=True):
        if row["intent"] != pred:
            out.append(f"- {row['id']} gold={row['intent']} pred={pred}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--half", choices=("dev", "heldout", "both"), default="both")
    ap.add_argument("--misses", action="store_true", help="also list the DEV half's misses")
    args = ap.parse_args()
    for half in HALVES if args.half == "both" else (args.half,):
        lines, data = report_half(half)
        print("\n".join(lines))
        if args.misses and half == "dev":
            print("\n".join(dev_misses(data)))


if __name__ == "__main__":
    main()

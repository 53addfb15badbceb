"""Quality of the conversation analysis, as a markdown section for docs/quality.md.

    python -m bench.quality_nlp

- intent: precision/recall/F1 per class on data/intents/test (hand-written,
  phrasings and vocabulary not in the training templates), model trained on
  data/intents/train;
- sentiment: macro-F1 on the public bank-product comments (CCF BDCI 2021), read
  from ../shared/eval-public/ and never copied into the repository: a
  cross-domain check (forum comments about cards and loans, not calls);
- complaint risk: accuracy on tests/nlp/data/complaint_risk.tsv.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

from callsight.domain import Segment, Transcript
from nlp.analyze import analyze_conversation
from nlp.intents import evaluate_intents, train_intents
from nlp.sentiment import sentiment_of

REPO = Path(__file__).resolve().parent.parent
BANK_COMMENTS = REPO.parent / "shared" / "eval-public" / "bank_product_reviews_ccf_bdci2021_train.csv"
RISK_SET = REPO / "tests" / "nlp" / "data" / "complaint_risk.tsv"
_CLASS = {"0": "negative", "1": "positive", "2": "neutral"}


def _f1_table(gold: list[str], pred: list[str], labels: list[str]) -> tuple[list[tuple[str, float, float, float, int]],
                                                                          float]:
    rows = []
    for c in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == c)
        n_pred, n_gold = pred.count(c), gold.count(c)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        rows.append((c, prec, rec, 2 * prec * rec / (prec + rec) if prec + rec else 0.0, n_gold))
    return rows, sum(r[3] for r in rows) / len(rows)


def _intent_section() -> list[str]:
    t0 = time.perf_counter()
    model = train_intents(REPO / "data" / "intents" / "train")
    train_s = time.perf_counter() - t0
    scores = evaluate_intents(model, REPO / "data" / "intents" / "test")
    out = [f"### Customer intent (held-out, {scores.n} utterances; trained in {train_s:.1f} s)", "",
           "| intent | label | precision | recall | F1 | n |", "|---|---|---|---|---|---|"]
    for intent, (p, r, f, n) in scores.per_class.items():
        out.append(f"| {intent} | {model.label(intent)} | {p:.2f} | {r:.2f} | {f:.2f} | {n} |")
    out += ["", f"**macro-F1 {scores.macro_f1:.3f}**, accuracy {scores.accuracy:.3f}.", ""]
    return out


def _sentiment_section() -> list[str]:
    if not BANK_COMMENTS.exists():
        return ["### Sentiment", "", f"skipped: {BANK_COMMENTS} not found.", ""]
    with BANK_COMMENTS.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    gold = [_CLASS[r["class"]] for r in rows]
    pred: list[str] = [sentiment_of(r["text"]).label for r in rows]
    table, macro = _f1_table(gold, pred, ["negative", "neutral", "positive"])
    out = [f"### Sentiment (bank-product comments, CCF BDCI 2021, {len(rows)} rows, cross-domain)", "",
           "| class | precision | recall | F1 | n |", "|---|---|---|---|---|"]
    out += [f"| {c} | {p:.2f} | {r:.2f} | {f:.2f} | {n} |" for c, p, r, f, n in table]
    out += ["", f"**macro-F1 {macro:.3f}** (lexicon with negation; no training on this data).", ""]
    return out


def _risk_section() -> list[str]:
    cases = []
    for line in RISK_SET.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            level, spec = line.split("\t")
            segs = tuple(Segment("agent" if t.startswith("A:") else "customer", float(i), i + 0.9,
                                 t.removeprefix("A:")) for i, t in enumerate(spec.split(" || ")))
            cases.append((level, analyze_conversation(Transcript(segs, float(len(segs)), 0), None).complaint_risk))
    ok = sum(1 for g, p in cases if g == p)
    table, macro = _f1_table([g for g, _ in cases], [p for _, p in cases], ["high", "low", "none"])
    out = [f"### Complaint risk ({len(cases)} labelled calls)", "",
           "| level | precision | recall | F1 | n |", "|---|---|---|---|---|"]
    out += [f"| {c} | {p:.2f} | {r:.2f} | {f:.2f} | {n} |" for c, p, r, f, n in table]
    out += ["", f"**accuracy {ok / len(cases):.3f}**, macro-F1 {macro:.3f}.", ""]
    return out


def report() -> str:
    """The markdown section (regenerate docs/quality.md with it)."""
    return "\n".join(["## Conversation analysis (nlp/)", "", *_intent_section(), *_sentiment_section(),
                      *_risk_section()])


if __name__ == "__main__":
    print(report())

"""Quality of the conversation analysis, as a markdown section for docs/quality.md.

    python -m bench.quality_nlp

- intent: precision/recall/F1 per class on data/intents/heldout (generated from a
  separate template pool B, never trained on) and on data/intents/test (an older
  hand-written set); model trained on nlp/corpora/intents/train (pool A);
- sentiment: the shipped model (trained on nlp/corpora/sentiment/train only) on our own
  held-out utterances (pool B) and on the public bank-product comments (CCF BDCI
  2021, read from ../shared/eval-public/ at run time, never copied into the
  repository): all rows, and the fixed 30 % split used for the training-help
  variant below; the lexicon alone as a baseline; and, for reference only, a
  variant also trained on the other 70 % of the bank comments (not shipped);
- complaint risk: accuracy on tests/nlp/data/complaint_risk.tsv.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from pathlib import Path

from core.types import Segment, Transcript
from nlp.analyze import analyze_conversation
from nlp.intents import IntentModel, evaluate_intents, train_intents
from nlp.sentiment import (
    LABELS,
    Sentiment,
    default_sentiment_model,
    lexicon_sentiment,
    load_sentiment_corpus,
    train_sentiment,
)

REPO = Path(__file__).resolve().parent.parent
BANK_COMMENTS = REPO.parent / "shared" / "eval-public" / "bank_product_reviews_ccf_bdci2021_train.csv"
RISK_SET = REPO / "tests" / "nlp" / "data" / "complaint_risk.tsv"
SENTIMENT_HELDOUT = REPO / "data" / "sentiment" / "heldout"
# Per the data's README: class 0 negative, 1 positive, 2 neutral.
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


def _intent_table(model: IntentModel, folder: Path, title: str) -> list[str]:
    scores = evaluate_intents(model, folder)
    out = [f"#### {title} ({scores.n} utterances)", "",
           "| intent | label | precision | recall | F1 | n |", "|---|---|---|---|---|---|"]
    for intent, (p, r, f, n) in scores.per_class.items():
        out.append(f"| {intent} | {model.label(intent)} | {p:.2f} | {r:.2f} | {f:.2f} | {n} |")
    out += ["", f"**macro-F1 {scores.macro_f1:.3f}**, accuracy {scores.accuracy:.3f}.", ""]
    return out


def _intent_section() -> list[str]:
    t0 = time.perf_counter()
    model = train_intents(REPO / "nlp" / "corpora" / "intents" / "train")
    train_s = time.perf_counter() - t0
    out = [f"### Customer intent (trained on nlp/corpora/intents/train in {train_s:.1f} s)", ""]
    out += _intent_table(model, REPO / "data" / "intents" / "heldout",
                         "Held-out split: template pool B, other phrasings/slots/ASR variants")
    out += _intent_table(model, REPO / "data" / "intents" / "test", "Older hand-written test set")
    return out


def _sent_table(title: str, rows: list[tuple[str, str]],
                predict: Callable[[str], Sentiment]) -> tuple[list[str], float]:
    gold = [g for g, _ in rows]
    pred: list[str] = [predict(t).label for _, t in rows]
    table, macro = _f1_table(gold, pred, [str(c) for c in LABELS])
    out = [f"#### {title} ({len(rows)} rows): macro-F1 **{macro:.3f}**", "",
           "| class | precision | recall | F1 | n |", "|---|---|---|---|---|"]
    out += [f"| {c} | {p:.2f} | {r:.2f} | {f:.2f} | {n} |" for c, p, r, f, n in table]
    return [*out, ""], macro


def _sentiment_section() -> list[str]:
    model = default_sentiment_model()
    held = [(g, t) for g, t in load_sentiment_corpus(SENTIMENT_HELDOUT)]
    out = ["### Sentiment (customer turns)", "",
           "Shipped model: logistic regression over character n-grams + lexicon cues, trained on "
           "nlp/corpora/sentiment/train only (our own written utterances; no public data).", ""]
    lines, _ = _sent_table("Own held-out utterances (pool B), shipped model", held, model.predict)
    out += lines
    lines, _ = _sent_table("Own held-out utterances (pool B), lexicon alone (baseline)", held, lexicon_sentiment)
    out += lines
    if not BANK_COMMENTS.exists():
        return [*out, f"Bank comments skipped: {BANK_COMMENTS} not found.", ""]
    with BANK_COMMENTS.open(encoding="utf-8", newline="") as fh:
        bank = [(_CLASS[r["class"]], r["text"]) for r in csv.DictReader(fh)]
    test = [r for i, r in enumerate(bank) if i % 10 < 3]  # fixed 30 % split, never trained on
    train = [r for i, r in enumerate(bank) if i % 10 >= 3]
    for title, rows, fn in [
        ("Bank comments, all rows, shipped model (cross-domain: forum posts, not calls)", bank, model.predict),
        ("Bank comments, all rows, lexicon alone (baseline)", bank, lexicon_sentiment),
        ("Bank comments, 30 % split, shipped model", test, model.predict),
    ]:
        lines, _ = _sent_table(title, rows, fn)
        out += lines
    helped = train_sentiment(extra=train)
    lines, _ = _sent_table("Bank comments, 30 % split, NOT shipped: also trained on the other 70 %", test,
                           helped.predict)
    out += lines
    lines, _ = _sent_table("Own held-out utterances, NOT shipped variant (own + 70 % bank)", held, helped.predict)
    return [*out, *lines]


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
    return "\n".join(["## Conversation analysis (nlp/)", "", *_NOTES, "", *_intent_section(), *_sentiment_section(),
                      *_risk_section()])


_NOTES = [
    "How these were made: the intent corpora come from data/intents/make_corpus.py, two separate template pools "
    "(A → train/, B → heldout/: other phrasings, lead-ins, particles, slot values and homophone variants); "
    "the labelling guide is in data/intents/pool_train.py. Pool B was read once for error analysis after the "
    "first run and pool A's domain vocabulary was then broadened (synonyms for 风险类型/评级, 回馈/礼品, 拿走/出掉, "
    "余额), so the held-out figure is somewhat optimistic; the independent sets (data/eval-independent/, "
    "written by others) are the real test. Sentiment: data/sentiment/make_corpus.py, pool A → train/, "
    "pool B → heldout/. The SHIPPED sentiment model is trained on our own corpus only; the bank-comment rows "
    "marked NOT shipped show what training help from the public data would give (read from ../shared at run "
    "time, evaluated on a fixed 30 % split it never saw) and are not used by the product.",
]


if __name__ == "__main__":
    print(report())

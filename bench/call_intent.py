"""Call-level primary intent: the learned call model (nlp/call_intent.py) against the
hand-rule aggregation, leave-one-writer-out and on the held-out odd half.

    .venv/bin/python -m bench.call_intent

Writers (nlp/corpora/intents/calls/README.md), one file each: w1 = the EVEN ids of
data/eval-independent (the odd ids are held out and never trained on), wA … wH, and the
writers of the retired blind rounds r1 … r10 (every ``*.jsonl`` of the folder is one writer;
``wD.asr-roundtrip.jsonl`` / ``r3.asr-roundtrip.jsonl`` … ``r10.asr-roundtrip.jsonl`` is that writer as our
ASR heard them: trained on, never tested on).
Leave-one-writer-out trains on the other writers and tests on the one left out: the
figure that predicts calls by an unseen writer. Then a model trained on all writers is
scored on the odd half of eval-independent, as aggregates only (no odd-half text, id or
prediction is printed).
Macro-F1 with a 95 % bootstrap interval, accuracy with a Wilson interval. After the
per-writer table: the mean over all writers, the studied ones and the held-out ones
(bench.rules_by_writer's flags), per-class F1 pooled over the studied and over the held-out
test calls, and the most frequent confusions (gold → predicted) of each group, held-out
writers as counts only (never an id or a text). The run's time is printed at the end (it
trains one model per writer, minutes each on a loaded two-core machine).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from bench.intervals import wilson
from bench.quality_nlp_independent_split import DATA, half_of, macro_f1_interval, per_class
from bench.quality_qa import transcript
from bench.rules_by_writer import SETS as RULE_SETS
from nlp.call_intent import CallFeatures, load_calls, train_call_intents


def writer_sets() -> dict[str, list[dict[str, Any]]]:
    from callsight.runtime import call_corpus_files

    out = {path.stem: load_calls([path]) for path in call_corpus_files() if "." not in path.stem}
    leaked = [r["id"] for rows in out.values() for r in rows
              if r["id"].startswith("ind-") and half_of(r["id"]) == "heldout"]
    if leaked:  # the odd half must stay unseen, or its figure means nothing
        raise SystemExit(f"{len(leaked)} held-out (odd) eval-independent calls are in the call corpus")
    return out


def training_extras() -> dict[str, list[dict[str, Any]]]:
    """Other versions of a writer's calls (wD.asr-roundtrip.jsonl: wD's calls as our ASR
    heard them): trained on with the other writers, never tested on, and left out
    together with their writer."""
    from callsight.runtime import call_corpus_files

    out: dict[str, list[dict[str, Any]]] = {}
    for path in call_corpus_files():
        if "." in path.stem:
            out.setdefault(path.stem.split(".")[0], []).extend(load_calls([path]))
    return out


def features(rows: Sequence[dict[str, Any]]) -> list[CallFeatures]:
    from callsight import runtime
    from nlp.analyze import analyze_conversation

    model = runtime.load_intent_model()
    sentiment = runtime.load_sentiment_model()  # as the pipeline and training read calls
    out = []
    for r in rows:
        a = analyze_conversation(transcript(r), model, None, (r.get("meta") or {}).get("direction"),
                                 sentiment_model=sentiment)
        assert a.call_features is not None
        out.append(a.call_features)
    return out


def held_out_writers() -> frozenset[str]:
    """The writers nobody may read (bench.rules_by_writer flags them): aggregates only."""
    return frozenset(ws.name for ws in RULE_SETS if ws.held_out)


def confusions(gold: Sequence[str], pred: Sequence[str]) -> Counter[tuple[str, str]]:
    """(gold, predicted) counts of the wrong predictions."""
    return Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p)


def group_summary(name: str, gold: Sequence[str], pred: Sequence[str], top: int = 10) -> list[str]:
    """Per-class F1 (P / R / n) pooled over a group's test calls and its most frequent
    confusions; counts only, so it may be printed for the held-out writers too."""
    macro, scores = per_class(gold, pred)
    lines = [f"\n#### {name}: {len(gold)} calls, pooled macro-F1 {macro:.3f}\n",
             "| class | n | P | R | F1 |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {c} | {n} | {p:.2f} | {r:.2f} | {f:.3f} |" for c, (p, r, f, n) in scores.items()]
    lines.append("\nconfusions (gold → predicted): " + ", ".join(
        f"{g} → {p} {k}" for (g, p), k in confusions(gold, pred).most_common(top)))
    return lines


def _mean(vals: Mapping[str, float], keep: Sequence[str]) -> str:
    picked = [vals[w] for w in keep]
    return f"{sum(picked) / len(picked):.3f} ({len(picked)})" if picked else "–"


def _line(name: str, gold: Sequence[str], pred: Sequence[str]) -> str:
    macro, _ = per_class(gold, pred)
    lo, hi = macro_f1_interval(gold, pred)
    k = sum(g == p for g, p in zip(gold, pred, strict=True))
    alo, ahi = wilson(k, len(gold))
    return (f"| {name} | {len(gold)} | {macro:.3f} [{lo:.2f}–{hi:.2f}] | "
            f"{k / len(gold):.3f} [{alo:.2f}–{ahi:.2f}] |")


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Call-level intent, leave-one-writer-out (see the module doc).")
    ap.add_argument("--writers", help="comma-separated writers to leave out and test, one fold each "
                    "(default: every writer; each fold takes minutes). All writers are still trained on.")
    ap.add_argument("--no-odd", action="store_true", help="skip the odd half of eval-independent")
    ap.add_argument("--show", action="store_true", help="print the wrong calls of the studied test writers "
                    "(id, gold → predicted); never those of a held-out writer")
    return ap.parse_args()


def main() -> None:
    args = _args()
    start = time.perf_counter()
    sets = writer_sets()
    tested = [w for w in sets if not args.writers or w in args.writers.split(",")]
    feats = {w: features(rows) for w, rows in sets.items()}
    gold = {w: [r["intent"] for r in rows] for w, rows in sets.items()}
    extras = training_extras()
    extra_f = {w: features(rows) for w, rows in extras.items()}
    extra_y = {w: [r["intent"] for r in rows] for w, rows in extras.items()}
    print("### Leave-one-writer-out (train on the other writers, test on this one)\n")
    print("| test writer | system | n | macro-F1 [95 %] | accuracy [95 %] |")
    print("|---|---|---:|---:|---:|")
    means: dict[str, dict[str, float]] = {"rules": {}, "model": {}}
    pooled: dict[bool, tuple[list[str], list[str]]] = {False: ([], []), True: ([], [])}
    held = held_out_writers()
    for w in tested:
        train_f = [f for o in sets if o != w for f in feats[o]] + [f for o in extras if o != w for f in extra_f[o]]
        train_y = [y for o in sets if o != w for y in gold[o]] + [y for o in extras if o != w for y in extra_y[o]]
        model = train_call_intents(train_f, train_y)
        pred = [p for p, _ in model.predict_many(feats[w])]
        rules = [f.rule_primary for f in feats[w]]
        pooled[w in held][0].extend(gold[w])
        pooled[w in held][1].extend(pred)
        for name, p in (("rules", rules), ("model", pred)):
            means[name][w] = per_class(gold[w], p)[0]
            print(_line(f"{w} | {name}", gold[w], p))
        if args.show and w not in held:
            for r, g, p_ in zip(sets[w], gold[w], pred, strict=True):
                if g != p_:
                    print(f"  {r['id']}: {g} → {p_}")
    studied = [w for w in tested if w not in held]
    for name, vals in means.items():
        print(f"\nmean macro-F1 over writers, {name}: all {_mean(vals, tested)}, "
              f"studied {_mean(vals, studied)}, held out {_mean(vals, [w for w in tested if w in held])}")
    print("\n### Per class and confusions, model, pooled over the left-out writers' calls")
    for is_held, (g, p) in pooled.items():
        if g:
            print("\n".join(group_summary("held-out writers (counts only)" if is_held else "studied writers", g, p)))
    if args.no_odd:
        print(f"\nbench run: {(time.perf_counter() - start) / 60:.1f} min")
        return
    odd = [r for r in load_calls([DATA / "dialogues.jsonl"]) if half_of(r["id"]) == "heldout"]
    odd_f = features(odd)
    odd_y = [r["intent"] for r in odd]
    model = train_call_intents([f for w in sets for f in feats[w]] + [f for w in extras for f in extra_f[w]],
                               [y for w in sets for y in gold[w]] + [y for w in extras for y in extra_y[w]])
    t0 = time.perf_counter()
    pred = [model.predict(f)[0] for f in odd_f]
    ms = (time.perf_counter() - t0) * 1000 / len(odd_f)
    print("\n### Odd half of eval-independent (held out; aggregates only), model trained on all writers\n")
    print("| system | n | macro-F1 [95 %] | accuracy [95 %] |\n|---|---:|---:|---:|")
    print(_line("rules", odd_y, [f.rule_primary for f in odd_f]))
    print(_line("model", odd_y, pred))
    print(f"\ncall-model prediction: {ms:.1f} ms per call (features from the turn model not included)")
    print(f"bench run: {(time.perf_counter() - start) / 60:.1f} min")


if __name__ == "__main__":
    main()

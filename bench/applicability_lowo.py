"""Would a learned call-level model "the agent recommends or sells an investment product"
help the sales rules decide applicability? Judged leave-one-writer-out on the open writer
sets: for each writer, a logistic regression over character n-grams of the agent's (1–3)
and the customer's (1–2) turns is trained on the OTHER writers' labels (applicable = label
!= na) and scores the left-out one; then the structural offer detection (qa/offer.py) is
combined with it as a veto (an offer the model gives p < t is taken as none) and as a
rescue (no offer found, p > t: one).

    .venv/bin/python -m bench.applicability_lowo            # both rules, every open set
    .venv/bin/python -m bench.applicability_lowo --C 10     # another regularisation

The rule's own verdict is deliberately no feature: given to the model it dominates and the
model only copies it. The held-out writer sets (wI … wS, wY … wAF, ind-odd) are never read.
Experiment only: nothing here ships.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bench.quality_qa import transcript
from bench.rules_by_writer import SETS, load

# Every studied set (r9 joined in round 10); the held-out writers are never read here.
OPEN = ("r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "w1", "wA", "wB", "wC", "wD", "wE", "wF", "wG", "wH",
        "wT", "wU", "wV", "wW", "wX")
RULES = ("risk_disclosure", "suitability")


def collect() -> list[dict[str, Any]]:
    from callsight import runtime
    from callsight.pipeline import analyze_text
    from core.jsonio import to_json

    an = runtime.analyzers()
    out = []
    for ws in SETS:
        if ws.name not in OPEN or ws.held_out:
            continue
        for row in load(ws):
            res = to_json(analyze_text(transcript(row), row.get("meta") or {}, an))
            found = {f["rule"]: f for f in res["compliance"]["findings"]}
            rec: dict[str, Any] = {"set": ws.name, "segments": [(s["speaker"], s["text"]) for s in row["segments"]]}
            for rule in RULES:
                f = found.get(rule)
                pred = "na" if f is None or not f["applicable"] else ("pass" if f["passed"] else "fail")
                rec[rule] = (row["labels"][rule], pred)
            out.append(rec)
    return out


def lowo_probs(rows: Sequence[Mapping[str, Any]], y: np.ndarray, c: float) -> np.ndarray:
    sets = np.array([r["set"] for r in rows])
    agent = [" ".join(t for s, t in r["segments"] if s == "agent") for r in rows]
    cust = [" ".join(t for s, t in r["segments"] if s == "customer") for r in rows]
    probs = np.zeros(len(rows))
    for w in sorted(set(sets)):
        tr, te = np.where(sets != w)[0], np.where(sets == w)[0]
        va = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
        vc = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        x = hstack([va.fit_transform([agent[i] for i in tr]), 0.5 * vc.fit_transform([cust[i] for i in tr])]).tocsr()
        m = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(x, y[tr])
        xt = hstack([va.transform([agent[i] for i in te]), 0.5 * vc.transform([cust[i] for i in te])]).tocsr()
        probs[te] = m.predict_proba(xt)[:, 1]
    return probs


def pr(pred: np.ndarray, gold: np.ndarray) -> str:
    tp = int(((pred == "fail") & (gold == "fail")).sum())
    fp = int(((pred == "fail") & (gold != "fail")).sum())
    fn = int(((pred != "fail") & (gold == "fail")).sum())
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return f"P {p:.2f} R {r:.2f} fp{fp} fn{fn}"


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--C", type=float, default=30.0)
    args = ap.parse_args()
    rows = collect()
    sets = np.array([r["set"] for r in rows])
    names = sorted(set(sets), key=OPEN.index)
    for rule in RULES:
        gold = np.array([r[rule][0] for r in rows])
        pred = np.array([r[rule][1] for r in rows])
        y, base = gold != "na", pred != "na"
        probs = lowo_probs(rows, y, args.C)
        print(f"## {rule}  (applicability errors per writer; rule P/R over all open sets)")
        print("| combination | " + " | ".join(names) + " | all | rule |")
        print("|---|" + "---|" * (len(names) + 2))
        combos: list[tuple[str, np.ndarray]] = [("structure (today)", base), ("model alone p>0.5", probs > 0.5)]
        combos += [(f"veto p<{t}", base & (probs >= t)) for t in (0.1, 0.2, 0.3)]
        combos += [(f"rescue p>{t}", base | (probs > t)) for t in (0.8, 0.9)]
        for name, app in combos:
            errs = [int(((app != y) & (sets == w)).sum()) for w in names]
            verdict = np.where(app, np.where(base, pred, "pass"), "na")  # a rescued call is not judged: pass
            print(f"| {name} | " + " | ".join(map(str, errs)) + f" | {sum(errs)} | {pr(verdict, gold)} |")
        print()


if __name__ == "__main__":
    main()

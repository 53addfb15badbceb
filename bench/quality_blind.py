"""Scores on a frozen blind round (data/eval-blind/<round>/dialogues.jsonl): dialogues
written by a writer who never saw the product, and never read by the people who tune it.

    .venv/bin/python -m bench.quality_blind                  # newest round, markdown to stdout
    .venv/bin/python -m bench.quality_blind --round r1

Only aggregates are computed and printed: no dialogue's text, id or individual
prediction, so that the figures stay an honest estimate on calls nobody here studied.
Every call goes through the same path as ``callsight analyze transcript.json --json``
(transcript parser, analysis, compliance, upsell, result, PII masking by default).

Intervals are 95 %: Wilson score intervals for proportions (precision, recall,
accuracy, rates), and a seeded bootstrap over calls (2,000 resamples, percentile) for
F1 and macro-F1, which are not proportions.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.intervals import wilson

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "data" / "eval-blind"
RULES = ("greeting", "identity_verification", "risk_disclosure", "suitability", "forbidden_promise", "closing",
         "courtesy")
BOOT = 2000


def bootstrap(n: int, stat: Callable[[Sequence[int]], float], seed: int = 7) -> tuple[float, float]:
    """Percentile interval of ``stat`` over resampled call indices."""
    if n == 0:
        return (0.0, 1.0)
    rng = random.Random(seed)
    vals = sorted(stat([rng.randrange(n) for _ in range(n)]) for _ in range(BOOT))
    return (vals[int(0.025 * BOOT)], vals[int(0.975 * BOOT) - 1])


def fmt(value: float, ci: tuple[float, float]) -> str:
    return f"{value:.2f} ({ci[0]:.2f}–{ci[1]:.2f})"


def ratio(k: int, n: int) -> str:
    return f"{k}/{n} = " + (fmt(k / n, wilson(k, n)) if n else "–")


@dataclass(frozen=True)
class Outcome:
    """What the product said about one call, reduced to what the labels can check."""

    intent: str
    complaint: str
    rules: dict[str, str]
    openings: frozenset[str]
    taken: dict[str, bool]
    product_pitch: bool
    pii_leaked: int
    pii_total: int
    seconds: float


_NUMERAL = "0-9０-９零〇一二三四五六七八九幺两"
# A spoken or written number: 7+ numerals, possibly broken by spaces, commas or dashes
# (how personal numbers are read out in groups). A mask character ends the run.
_NUMBER_RUN = re.compile(rf"(?:[{_NUMERAL}][\s,，、\-—.。]*){{7,}}")


def _digits(text: str) -> str:
    table = str.maketrans("０１２３４５６７８９零〇一二三四五六七八九幺两", "01234567890012345678912")
    return re.sub(r"\D", "", text.translate(table))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def shown_numbers(result: Mapping[str, Any]) -> list[str]:
    """Every number a reader sees in a result, as digits, one per run inside one text."""
    return [_digits(m.group(0)) for s in _strings(result) for m in _NUMBER_RUN.finditer(s)]


def product_pitch(result: Mapping[str, Any]) -> bool:
    """A product suggestion on an opening, or a marketing follow-up (a call back with a script
    for the opening); the complaint's own follow-up is no pitch."""
    if any(s.get("kind") == "product" for o in result.get("upsell_openings", []) for s in o.get("suggestions", [])):
        return True
    return any(a.get("opening") and a.get("action") != "complaint_follow_up" for a in result.get("next_actions", []))


def analyse(row: Mapping[str, Any], workdir: Path, an: Any) -> Outcome:
    from callsight import privacy, runtime
    from callsight.analyze import analyze_file
    from callsight.config import settings

    doc = {"meta": {"direction": row.get("meta", {}).get("direction", "inbound")},
           "turns": [{"speaker": s["speaker"], "text": s["text"], "start": s["start"], "end": s["end"]}
                     for s in row["segments"]]}
    path = workdir / "call.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    t0 = time.perf_counter()
    result = analyze_file(path, meta={}, engine=runtime.asr_engine, analyzers=an,
                          channel_map=runtime.channel_map, max_duration_s=settings.max_duration_s).to_json()
    seconds = time.perf_counter() - t0
    shown = privacy.mask_result(result)
    rules: dict[str, str] = {}
    for f in result["compliance"]["findings"]:
        rules[f["rule"]] = "na" if not f["applicable"] else ("pass" if f["passed"] else "fail")
    openings = _by_type(result.get("upsell_openings", []))
    pitch = product_pitch(result)
    seen = shown_numbers(shown)
    pii = [_digits(p) for p in row.get("pii", []) if len(_digits(p)) >= 7]
    leaked = sum(1 for p in pii if any(p in run for run in seen))
    return Outcome(
        intent=(result.get("intents") or {}).get("primary") or "other",
        complaint=(result.get("complaint_risk") or {}).get("level") or "none",
        rules=rules, openings=frozenset(openings), taken=openings, product_pitch=pitch,
        pii_leaked=leaked, pii_total=len(pii), seconds=seconds,
    )


def _by_type(openings: Sequence[Mapping[str, Any]]) -> dict[str, bool]:
    """Openings of a call by type, taken when any of that type was taken: what an agent or
    a QA reviewer judges ("this call had an education opening, and it was missed"), not
    which of the customer's turns first raised it."""
    out: dict[str, bool] = {}
    for o in openings:
        out[o["type"]] = out.get(o["type"], False) or bool(o["taken"])
    return out


def macro_f1(gold: Sequence[str], pred: Sequence[str], idx: Sequence[int]) -> float:
    classes = sorted({gold[i] for i in idx})
    f1s = []
    for c in classes:
        tp = sum(1 for i in idx if gold[i] == c and pred[i] == c)
        npred = sum(1 for i in idx if pred[i] == c)
        ngold = sum(1 for i in idx if gold[i] == c)
        p = tp / npred if npred else 0.0
        r = tp / ngold if ngold else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return sum(f1s) / max(1, len(f1s))


def report(rows: Sequence[Mapping[str, Any]], outs: Sequence[Outcome], title: str, *,
           with_targets: bool = False) -> list[str]:
    n = len(rows)
    lines = [f"### {title}", ""]
    # Call-level intent.
    gold = [r["intent"] for r in rows]
    pred = [o.intent for o in outs]
    allidx = list(range(n))
    mf = macro_f1(gold, pred, allidx)
    acc = sum(g == p for g, p in zip(gold, pred, strict=True))
    lines += [f"- **call-level intent** macro-F1 {fmt(mf, bootstrap(n, lambda ix: macro_f1(gold, pred, ix)))}, "
              f"accuracy {ratio(acc, n)}"]
    # Complaint risk.
    high = [i for i, r in enumerate(rows) if r.get("complaint") == "high"]
    not_high = [i for i in allidx if i not in set(high)]
    caught = sum(1 for i in high if outs[i].complaint == "high")
    false_high = sum(1 for i in not_high if outs[i].complaint == "high")
    lines += [f"- **complaint threats rated high** (recall) {ratio(caught, len(high))}; "
              f"false high {ratio(false_high, len(not_high))} of other calls "
              f"(= {50 * false_high / max(1, len(not_high)):.1f} per 50 calls)"]
    # Product pitch on complaint calls.
    complaining = [i for i, r in enumerate(rows) if r.get("complaint") == "high" or r["intent"] == "complaint"]
    pitched = sum(1 for i in complaining if outs[i].product_pitch)
    lines += [f"- **product pitch suggested on a complaint call** {ratio(pitched, len(complaining))} (target 0)"]
    # Openings per call and type; taken judged on the types both found.
    gold_open = [_by_type(r.get("openings", [])) for r in rows]

    def f1_of(ix: Sequence[int]) -> float:
        return _f1(*_opening_tally(gold_open, outs, ix)[:3])

    tp, fp, fn, right, n_matched = _opening_tally(gold_open, outs, allidx)
    lines += [f"- **upsell openings (per call and type)** F1 {fmt(f1_of(allidx), bootstrap(n, f1_of))}, "
              f"precision {ratio(tp, tp + fp)}, "
              f"recall {ratio(tp, tp + fn)}; taken/missed right {ratio(right, n_matched)}"]
    # PII.
    leaked = sum(o.pii_leaked for o in outs)
    total = sum(o.pii_total for o in outs)
    lines += [f"- **personal numbers shown unmasked by default** {leaked} of {total}"]
    # Compliance rules.
    lines += ["", "| rule | violations | precision (95 % CI) | recall (95 % CI) | false flags | applicability errors |",
              "|---|---:|---|---|---:|---:|"]
    for rule in RULES:
        c: Counter[str] = Counter()
        for r, o in zip(rows, outs, strict=True):
            g, p = r["labels"][rule], o.rules.get(rule, "na")
            c["tp" if g == p == "fail" else "fn" if g == "fail" else "fp" if p == "fail" else "tn"] += 1
            c["na_wrong"] += (g == "na") != (p == "na")
        lines.append(f"| {rule} | {c['tp'] + c['fn']} | {ratio(c['tp'], c['tp'] + c['fp'])} | "
                     f"{ratio(c['tp'], c['tp'] + c['fn'])} | {c['fp']} | {c['na_wrong']} |")
    lines += [] if not with_targets else targets(rows, outs, mf, caught, len(high), false_high, len(not_high), pitched,
                     (tp, fp, fn, right, n_matched), leaked)
    secs = sorted(o.seconds for o in outs)
    lines += ["", f"Text analysis per call (transcript in, masked result out): median {1000 * secs[n // 2]:.0f} ms, "
              f"p95 {1000 * secs[min(n - 1, int(0.95 * n))]:.0f} ms.", ""]
    return lines


def _rule_counts(rows: Sequence[Mapping[str, Any]], outs: Sequence[Outcome], rule: str) -> Counter[str]:
    c: Counter[str] = Counter()
    for r, o in zip(rows, outs, strict=True):
        g, p = r["labels"][rule], o.rules.get(rule, "na")
        c["tp" if g == p == "fail" else "fn" if g == "fail" else "fp" if p == "fail" else "tn"] += 1
    return c


def _rule_met(rows: Sequence[Mapping[str, Any]], outs: Sequence[Outcome], rule: str) -> bool:
    """Issue 12's bar for one rule on these calls: precision ≥ 0.90 and recall ≥ 0.85."""
    c = _rule_counts(rows, outs, rule)
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return p >= 0.90 and r >= 0.85


def _opening_tally(gold_open: Sequence[Mapping[str, bool]], outs: Sequence[Outcome],
                   ix: Sequence[int]) -> tuple[int, int, int, int, int]:
    """Openings per call and type over calls ``ix``: (tp, fp, fn, taken right, both found)."""
    tp = fp = fn = right = matched = 0
    for i in ix:
        g, p = set(gold_open[i]), set(outs[i].openings)
        tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
        for k in g & p:
            matched, right = matched + 1, right + (gold_open[i][k] == outs[i].taken[k])
    return tp, fp, fn, right, matched


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def targets(rows: Sequence[Mapping[str, Any]], outs: Sequence[Outcome], intent_f1: float, caught: int, n_high: int,
            false_high: int, n_other: int, pitched: int, openings: tuple[int, int, int, int, int],
            leaked: int) -> list[str]:
    """Issue 12's "done when" checks on these calls, point estimates: met or not."""
    tp, fp, fn, right, matched = openings
    open_f1 = _f1(tp, fp, fn)
    rules_met = [(rule, _rule_met(rows, outs, rule)) for rule in RULES]
    checks = [
        ("call-level intent macro-F1 ≥ 0.90", f"{intent_f1:.2f}", intent_f1 >= 0.90),
        ("every complaint threat rated high", f"{caught}/{n_high}", caught == n_high),
        ("≤ 1 false high per 50 calls", f"{50 * false_high / max(1, n_other):.2f}", false_high * 50 <= n_other),
        ("every rule P ≥ 0.90 and R ≥ 0.85", f"{sum(m for _, m in rules_met)} of {len(RULES)} rules"
         + (" (not: " + ", ".join(r for r, m in rules_met if not m) + ")" if not all(m for _, m in rules_met) else ""),
         all(m for _, m in rules_met)),
        ("upsell openings F1 ≥ 0.85", f"{open_f1:.2f}", open_f1 >= 0.85),
        ("taken/missed right ≥ 0.85", f"{right / max(1, matched):.2f}", right >= 0.85 * matched),
        ("no product pitch on a complaint call", str(pitched), pitched == 0),
        ("no personal number shown unmasked", str(leaked), leaked == 0),
    ]
    return ["", "| issue 12 check (point estimate) | now | met |", "|---|---|---|",
            *[f"| {name} | {now} | {'yes' if ok else 'no'} |" for name, now, ok in checks]]


def by_writer(rows: Sequence[Mapping[str, Any]], outs: Sequence[Outcome]) -> list[str]:
    """The headline figures per writer (the id's prefix): a round's writers differ more than its
    call-resampled intervals show, and the writer is the unit the product must generalise over."""
    writers = sorted({str(r["id"]).rsplit("-", 1)[0] for r in rows})
    if len(writers) < 2:
        return []
    lines = ["Per writer (point estimates; the intervals above resample calls, not writers):", "",
             "| writer | calls | intent macro-F1 | openings F1 | taken/missed right | rules at P ≥ 0.90, R ≥ 0.85 |",
             "|---|---:|---:|---:|---:|---:|"]
    gold = [r["intent"] for r in rows]
    pred = [o.intent for o in outs]
    gold_open = [_by_type(r.get("openings", [])) for r in rows]
    for w in writers:
        ix = [i for i, r in enumerate(rows) if str(r["id"]).rsplit("-", 1)[0] == w]
        tp, fp, fn, right, matched = _opening_tally(gold_open, outs, ix)
        met = sum(_rule_met([rows[i] for i in ix], [outs[i] for i in ix], rule) for rule in RULES)
        lines.append(f"| {w} | {len(ix)} | {macro_f1(gold, pred, ix):.2f} | {_f1(tp, fp, fn):.2f} | "
                     f"{right}/{matched} | {met} of {len(RULES)} |")
    return lines


def rounds() -> list[str]:
    """Round folders, oldest first, by number (r10 after r9, not after r1)."""
    if not BLIND.is_dir():
        return []
    names = [p.name for p in BLIND.iterdir() if (p / "dialogues.jsonl").is_file()]
    return sorted(names, key=lambda n: (int(n[1:]) if n[1:].isdigit() else 0, n))


def run(round_name: str) -> list[str]:
    from callsight import runtime

    rows = [json.loads(x) for x in (BLIND / round_name / "dialogues.jsonl").read_text("utf-8").splitlines()
            if x.strip()]
    an = runtime.analyzers()
    with tempfile.TemporaryDirectory() as tmp:
        analyse(rows[0], Path(tmp), an)  # warm-up: models load lazily on first use, not per call
        outs = [analyse(r, Path(tmp), an) for r in rows]
    lines = report(rows, outs, f"Blind round {round_name}: all {len(rows)} calls", with_targets=True)
    lines += [*by_writer(rows, outs), ""]
    roundtrip = BLIND / round_name / "asr-roundtrip.jsonl"
    if roundtrip.is_file():
        voiced = [json.loads(x) for x in roundtrip.read_text("utf-8").splitlines() if x.strip()]
        with tempfile.TemporaryDirectory() as tmp:
            outs_rt = [analyse(r, Path(tmp), an) for r in voiced]
        lines += report(voiced, outs_rt, f"Blind round {round_name}: {len(voiced)} calls voiced as two-channel 8 kHz "
                        "audio (tools/voice_calls.py) and transcribed by our ASR (tools/asr_roundtrip.py)")
    for style, name in (("asr", "ASR-style text (no punctuation, homophones)"), ("clean", "clean text")):
        ix = [i for i, r in enumerate(rows) if r.get("style") == style]
        if ix:
            lines += report([rows[i] for i in ix], [outs[i] for i in ix], f"Blind round {round_name}: {name}, "
                            f"{len(ix)} calls")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("--round", default=None, help="round folder under data/eval-blind (default: newest)")
    args = ap.parse_args()
    names = rounds()
    if not names:
        raise SystemExit("no blind round under data/eval-blind/")
    print("\n".join(run(args.round or names[-1])))


if __name__ == "__main__":
    main()

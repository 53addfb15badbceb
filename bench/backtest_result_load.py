"""Would a backtest pay much to read every call's whole result typed? Per call: evaluating a
draft and the live version of a default-pack rule, against reading the stored result JSON
and ``CallResult.from_json`` (no database: the results of a result snapshot).

    .venv/bin/python -m tools.result_snapshot /tmp/snap.jsonl
    .venv/bin/python -m bench.backtest_result_load /tmp/snap.jsonl greeting forbidden_promise
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from callsight.services import rules as svc
from callsight.services.rule_backtest import comparison, run_comparison
from core.result import CallResult
from core.types import Segment, Transcript
from qa import load_pack


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("snapshot")
    ap.add_argument("rules", nargs="+")
    args = ap.parse_args()
    lines = [line for line in Path(args.snapshot).read_text(encoding="utf-8").splitlines() if line.strip()]
    results = [CallResult.from_json(json.loads(line)) for line in lines]
    calls = [(Transcript(tuple(Segment(s.speaker, s.start, s.end, s.text) for s in r.segments), r.call.duration_s,
                         r.call.channels, r.role_confidence), r.call.meta) for r in results]
    active = load_pack()
    yaml_of = svc.pack_rule_yaml(active)
    print(f"{len(lines)} results, {sum(map(len, lines)) // len(lines)} characters each on average")
    for rid in args.rules:
        cmp = comparison(svc.compile_draft(yaml_of[rid], active), active)
        t = time.perf_counter()
        for transcript, meta in calls:
            run_comparison(cmp, transcript, meta, None)
        ev = (time.perf_counter() - t) / len(calls)
        t = time.perf_counter()
        for line in lines:
            CallResult.from_json(json.loads(line))
        load = (time.perf_counter() - t) / len(lines)
        print(f"{rid}: evaluate {ev * 1e3:.2f} ms/call; whole result read typed +{load * 1e3:.2f} ms/call "
              f"({(ev + load) / ev:.2f}x)")


if __name__ == "__main__":
    main()

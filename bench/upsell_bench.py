"""Calls per second of the upsell stage alone (opening detection, 开口, suggestions
from the script library, next actions) on pre-transcribed 30-turn calls, one core.

    python -m bench.upsell_bench [--calls 300]

Same call generator as bench/nlp_bench.py, with opening turns mixed into the
customer's lines so the suggestion path runs (several openings per call).
"""

from __future__ import annotations

import argparse
import os
import random
import time

from bench.nlp_bench import CUSTOMER, make_call
from callsight.pipeline import upsell_records
from nlp.analyze import analyze_conversation
from upsell.scripts import load_library

OPENINGS = ["我卡里有{a}万闲钱不知道放哪", "孩子明年上大学学费得准备", "我快退休了想存点养老钱", "年终奖发了{a}万",
            "收益也太低了", "想给老人配点保险"]


def main() -> None:
    ap = argparse.ArgumentParser(description="upsell stage throughput on one core")
    ap.add_argument("--calls", type=int, default=300)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    lib = load_library()
    rng = random.Random(0)
    calls = [make_call(rng, customer=CUSTOMER + OPENINGS) for _ in range(args.calls)]
    entities = [analyze_conversation(c, None).entity_records() for c in calls]
    upsell_records(calls[0], {}, entities[0], lib)  # warm-up: jieba, OpenCC, pinyin codes
    found = 0
    t0 = time.perf_counter()
    for c, ents in zip(calls, entities, strict=True):
        found += len(upsell_records(c, {"customer_risk_level": "C3"}, ents, lib)[0])
    dt = time.perf_counter() - t0
    print(f"{args.calls} calls × 30 turns in {dt:.2f} s on one core: {args.calls / dt:.0f} calls/s "
          f"({dt / args.calls * 1000:.2f} ms/call, {found / args.calls:.1f} openings/call)")


if __name__ == "__main__":
    main()

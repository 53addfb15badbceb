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

from bench.nlp_bench import AGENT, CUSTOMER
from callsight.domain import Segment, Transcript
from callsight.pipeline import _upsell
from nlp.analyze import analyze_conversation
from qa.scripts import load_library

OPENINGS = ["我卡里有{a}万闲钱不知道放哪", "孩子明年上大学学费得准备", "我快退休了想存点养老钱", "年终奖发了{a}万",
            "收益也太低了", "想给老人配点保险"]


def make_call(rng: random.Random, turns: int = 30) -> Transcript:
    segs = []
    for i in range(turns):
        speaker = "agent" if i % 2 == 0 else "customer"
        pool = AGENT if speaker == "agent" else CUSTOMER + OPENINGS
        text = rng.choice(pool).format(
            n=rng.randint(1000, 99999), t=rng.choice([90, 180, 365]), r=rng.randint(1, 4),
            d=rng.randint(1, 28), a=rng.randint(1, 99), p="".join(rng.choice("零一二三四五六七八九") for _ in range(8)))
        segs.append(Segment(speaker, i * 4.0, i * 4.0 + 3.5, text))  # type: ignore[arg-type]
    return Transcript(tuple(segs), turns * 4.0, 2)


def main() -> None:
    ap = argparse.ArgumentParser(description="upsell stage throughput on one core")
    ap.add_argument("--calls", type=int, default=300)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    lib = load_library()
    rng = random.Random(0)
    calls = [make_call(rng) for _ in range(args.calls)]
    entities = [analyze_conversation(c, None).to_json()["entities"] for c in calls]
    _upsell(calls[0], {}, entities[0], lib)  # warm-up: jieba, OpenCC, pinyin codes
    found = 0
    t0 = time.perf_counter()
    for c, ents in zip(calls, entities, strict=True):
        found += len(_upsell(c, {"customer_risk_level": "C3"}, ents, lib)["upsell_openings"])  # type: ignore[arg-type]
    dt = time.perf_counter() - t0
    print(f"{args.calls} calls × 30 turns in {dt:.2f} s on one core: {args.calls / dt:.0f} calls/s "
          f"({dt / args.calls * 1000:.2f} ms/call, {found / args.calls:.1f} openings/call)")


if __name__ == "__main__":
    main()

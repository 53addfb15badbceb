"""Calls analysed per second on one core: intent + sentiment + complaint risk +
entities + PII + summary on pre-transcribed 30-turn calls.

    python -m bench.nlp_bench [--calls 300]

Every call is a different random mix of turns (slot values vary), so caches
inside nlp/ do not make the figure look better than a real day's traffic.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Sequence
from pathlib import Path

from core.types import Segment, Transcript
from nlp.analyze import analyze_conversation
from nlp.intents import train_intents

REPO = Path(__file__).resolve().parent.parent
AGENT = ["您好这里是城东支行理财中心我是理财经理小王工号{n}", "好的请问您需要办理什么业务", "我帮您查一下请稍等",
         "这款产品风险等级是R2期限{t}天", "投资有风险理财需谨慎", "好的我帮您登记一下会在两个工作日内回复您",
         "请问还有什么可以帮您", "感谢您的来电再见", "您的风险测评还在有效期内", "目前七日年化是百分之{r}"]
CUSTOMER = ["喂你好我那个李财{d}号到期了", "我想问问有没有三个月的产品{a}万左右", "收益太低了我不太满意",
            "那就帮我买{a}万吧", "我手机是幺三八{p}", "嗯好的", "我想把鸡金赎回{a}万", "风险测评过期了怎么办",
            "你们最近有什么活动", "再不处理我就打12378", "我的卡被锁了", "好的谢谢", "定头每个月扣{a}千",
            "我不是要投诉就想问下收益怎么算", "对是我本人"]


def make_call(rng: random.Random, turns: int = 30, customer: Sequence[str] = CUSTOMER) -> Transcript:
    """A synthetic 30-turn call alternating agent and customer lines from the pools."""
    segs = []
    for i in range(turns):
        speaker = "agent" if i % 2 == 0 else "customer"
        text = rng.choice(AGENT if speaker == "agent" else customer).format(
            n=rng.randint(1000, 99999), t=rng.choice([90, 180, 365]), r=rng.randint(1, 4),
            d=rng.randint(1, 28), a=rng.randint(1, 99), p="".join(rng.choice("零一二三四五六七八九") for _ in range(8)))
        segs.append(Segment(speaker, i * 4.0, i * 4.0 + 3.5, text))  # type: ignore[arg-type]
    return Transcript(tuple(segs), turns * 4.0, 2)


def main() -> None:
    ap = argparse.ArgumentParser(description="nlp/ throughput on one core")
    ap.add_argument("--calls", type=int, default=300)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    model = train_intents(REPO / "nlp" / "corpora" / "intents" / "train")
    rng = random.Random(0)
    calls = [make_call(rng) for _ in range(args.calls)]
    analyze_conversation(calls[0], model)  # warm-up: jieba dictionary, OpenCC
    t0 = time.perf_counter()
    for c in calls:
        analyze_conversation(c, model)
    dt = time.perf_counter() - t0
    print(f"{args.calls} calls × 30 turns in {dt:.2f} s on one core: {args.calls / dt:.0f} calls/s "
          f"({dt / args.calls * 1000:.2f} ms/call)")


if __name__ == "__main__":
    main()

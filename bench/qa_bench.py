# ruff: noqa: E501  (phrase banks: long Chinese lines read better unwrapped)
"""Compliance engine speed: default pack on a 30-turn call, one core.

    .venv/bin/python -m bench.qa_bench [--seconds 3]

Each iteration evaluates a *fresh* Transcript (new Segment objects with distinct
text) so no per-call cache is reused across calls; pack loading is excluded
(it happens once per process).
"""

from __future__ import annotations

import argparse
import time

from core.types import Segment, Transcript
from qa import load_pack
from qa.engine import evaluate

AGENT = ["您好，这里是招商银行城东支行理财中心，我是理财经理小王，工号{n}", "好的，为了您的账户安全，先核实一下您的身份，请报一下身份证后四位",
         "系统显示您名下这笔理财已经到期了，本金和收益两个工作日内到账", "我给您推荐一款净值型李财产品，业绩比较基准年化百分之三点五",
         "您之前的风险测评结果是平衡型C3，这款是R2的产品，是匹配的", "需要提醒您，理财非存款，产品有风险，投资须谨慎，不保本",
         "这个我跟您解释一下 嗯 就是说净值会有波动", "您看这样可以吗", "好的，感谢您的来电，祝您生活愉快，再见"]
CUSTOMER = ["我想查一下我那个理财到期没有", "好的是三五七九", "那有没有别的产品推荐", "这个保本吗", "嗯嗯明白了",
            "那我考虑一下", "收益大概多少", "好的谢谢"]


def call(k: int, turns: int = 30) -> Transcript:
    segs = []
    t = 0.0
    for i in range(turns):
        speaker = "agent" if i % 2 == 0 else "customer"
        bank = AGENT if speaker == "agent" else CUSTOMER
        text = bank[(i // 2 + k) % len(bank)].format(n=1000 + k) + ("" if i % 3 else f"{k % 97}")
        d = len(text) / 4.2
        segs.append(Segment(speaker, t, t + d, text))  # type: ignore[arg-type]
        t += d + 0.6
    return Transcript(tuple(segs), t, 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    pack = load_pack()
    evaluate(call(0), pack)  # warm-up: jieba / OpenCC / pinyin tables load once per process
    calls = [call(k) for k in range(1, 2001)]
    n = 0
    start = time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        evaluate(calls[n % len(calls)], pack)
        n += 1
    dt = time.perf_counter() - start
    print(f"default pack ({len(pack.rules)} rules), 30-turn call: {n / dt:.0f} calls/s on one core "
          f"({dt / n * 1000:.2f} ms/call, {n} calls)")


if __name__ == "__main__":
    main()

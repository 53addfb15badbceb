"""Backtest speed: one draft rule over N stored calls (~20 segments each) on PostgreSQL.

    .venv/bin/python -m bench.backtest_bench --calls 100000 [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

Creates a throw-away database next to the one at --pg-url, migrates it (our
branch: 0001 → 0003_rules), COPYs N synthetic calls with varied agent/customer
turns (random amounts, names and products, so no per-string cache helps), then
times ``services.rule_backtest.backtest`` of a forbidden_promise variant against
the live version (both evaluated per call), as the API runs it. Drops the database.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from callsight.auth import Principal, Role
from callsight.db.migrate import upgrade
from callsight.db.session import make_engine
from callsight.services import rule_backtest, rules

AGENT = [
    "您好，这里是{bank}{branch}理财中心，我是理财经理{name}，工号{n4}，请问有什么可以帮您",
    "好的{title}，先核实一下您的身份，请报一下身份证后四位",
    "系统显示您名下那笔{product}已经到期了，本金{amt}万两个工作日内到账",
    "我给您推荐一款{product}，业绩比较基准年化百分之{pct}",
    "您之前的风险测评结果是平衡型C{c}，这款是R{r}的产品",
    "需要提醒您，理财非存款，产品有风险，投资须谨慎",
    "这个我跟您解释一下 嗯 就是说净值会有波动，{days}天开放一次",
    "这款产品{promise}，您可以考虑一下",
    "起购金额是{amt}万，每个工作日都可以申购",
    "好的，感谢您的来电，祝您生活愉快，再见",
]
PROMISES = ["收益还不错", "过去一年表现平稳", "是保本的", "稳赚不赔", "闭眼买就行", "零风险", "不保本的",
            "流动性比较好", "期限是{days}天"]
CUSTOMER = [
    "我想查一下我那个{product}到期没有", "好的是{n4}", "那有没有别的产品推荐", "这个保本吗",
    "嗯嗯明白了{name}", "那我考虑一下，{amt}万能买吗", "收益大概多少", "我只买保本的", "好的谢谢",
    "我的手机号是138{n8}",
]
BANKS = ["招商银行", "工商银行", "建设银行", "农商行", "兴业银行"]
BRANCHES = ["城东支行", "城西支行", "高新区支行", "滨江支行"]
NAMES = ["小王", "小李", "张敏", "刘洋", "陈静", "赵磊"]
PRODUCTS = ["净值型理财", "货币基金", "债券基金", "大额存单", "定投计划", "结构性存款", "养老理财"]

VARIANT = """rules:
  - id: forbidden_promise
    title: 禁止承诺（保本、保收益、稳赚不赔等）
    severity: fatal
    scorecard: marketing
    weight: 30
    scope: agent
    mode: must_not
    condition:
      any:
        - keywords:
            terms: [保本, 稳赚不赔, 闭眼买, 肯定赚, 保收益]
            negation: exclude
            hypothesis: exclude
            question: exclude
        - similar:
            examples: [您放心这个本金是不会有任何损失的, 到期收益肯定能拿到手]
            threshold: 0.75
            negation: exclude
"""


def _fill(tpl: str, rnd: random.Random) -> str:
    return tpl.format(
        bank=rnd.choice(BANKS), branch=rnd.choice(BRANCHES), name=rnd.choice(NAMES), n4=rnd.randint(1000, 9999),
        n8=rnd.randint(10_000_000, 99_999_999), title=rnd.choice(["先生", "女士"]), product=rnd.choice(PRODUCTS),
        amt=rnd.randint(1, 500), pct=rnd.choice(["二点八", "三点一", "三点五", "四"]), c=rnd.randint(1, 5),
        r=rnd.randint(1, 5), days=rnd.choice([7, 30, 90, 180]),
        promise=rnd.choice(PROMISES).format(days=rnd.choice([7, 30, 90])),
    )


def populate(url: str, n_calls: int, turns: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    engine = create_engine(url)
    raw = engine.raw_connection()
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        cur = raw.cursor()
        with cur.copy(  # type: ignore[attr-defined]
            "COPY calls (id, agent_code, direction, started_at, meta, source, status, progress, attempts, "
            "created_at, updated_at, channels, duration_s, role_confidence) FROM STDIN"
        ) as calls_cp:
            ids = []
            for k in range(n_calls):
                cid = uuid.uuid4().hex
                ids.append(cid)
                started = t0 + timedelta(minutes=k)
                meta = json.dumps({"agent": f"A{1000 + k % 300}", "direction": "inbound"})
                calls_cp.write_row((cid, f"A{1000 + k % 300}", "inbound", started, meta, "transcript", "done",
                                    1.0, 1, started, started, 0, turns * 6.0, 1.0))
        with cur.copy(  # type: ignore[attr-defined]
            'COPY segments (call_id, idx, speaker, start, "end", text, search_text) FROM STDIN'
        ) as seg_cp:
            for cid in ids:
                clock = 0.0
                for i in range(turns):
                    agent = i % 2 == 0
                    bank = AGENT if agent else CUSTOMER
                    tpl = bank[0] if i == 0 else bank[-1] if agent and i >= turns - 2 else rnd.choice(bank)
                    txt = _fill(tpl, rnd)
                    dur = len(txt) / 4.5
                    seg_cp.write_row((cid, i, "agent" if agent else "customer", round(clock, 2),
                                      round(clock + dur, 2), txt, ""))
                    clock += dur + 0.5
        raw.commit()
        cur.execute("ANALYZE calls")
        cur.execute("ANALYZE segments")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def _cpu_s() -> float:
    """User+system CPU of this process and its reaped children (the pool's workers): on a
    shared machine wall time says more about the neighbours than about the backtest."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=20_000)
    ap.add_argument("--turns", type=int, default=20)
    ap.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    ap.add_argument("--keep", action="store_true", help="keep the database (prints its URL)")
    ap.add_argument("--workers", type=int, default=None, help="evaluation processes (default: as the API decides)")
    args = ap.parse_args()

    name = f"callsight_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(args.pg_url).set(database=name).render_as_string(hide_password=False)
    try:
        engine = make_engine(url)
        upgrade(engine, "0003_rules")
        t = time.perf_counter()
        populate(url, args.calls, args.turns)
        print(f"inserted {args.calls} calls x {args.turns} segments in {time.perf_counter() - t:.1f} s")
        with Session(engine) as session:
            uid = session.execute(text(
                "INSERT INTO users (name, role, can_see_pii, active, api_key_hash, created_at) "
                "VALUES ('bench', 'admin', true, true, :h, now()) RETURNING id"), {"h": uuid.uuid4().hex}).scalar_one()
            who = Principal(uid, "bench", Role.admin, frozenset(), None, True)
            v = rules.create_draft(session, who, VARIANT)
            session.commit()
            flt = rule_backtest.BacktestFilter(limit=args.calls, samples=10)
            t, cpu = time.perf_counter(), _cpu_s()
            out = rule_backtest.backtest(session, who, v.id, flt, workers=args.workers)
            dt, cpu = time.perf_counter() - t, _cpu_s() - cpu
            session.commit()
        ch = out.change
        assert ch is not None  # the variant has a live version
        print(f"backtest of 1 rule (+ live version) over {out.calls} calls, {out.workers} worker(s): {dt:.1f} s "
              f"({out.calls / dt:.0f} calls/s); hits {out.hits}, live {ch.live_hits}, "
              f"newly {ch.newly_hit}, no longer {ch.no_longer_hit}; "
              f"CPU {cpu:.1f} s in this process and its workers ({out.calls / cpu:.0f} calls per CPU-second)")
        engine.dispose()
    finally:
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            print(url)
        admin.dispose()


if __name__ == "__main__":
    main()

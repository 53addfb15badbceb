"""``callsight seed-demo``: fill the database with realistic analysed calls."""

from __future__ import annotations

import argparse
import time
from datetime import date

from callsight.errors import InvalidInput


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from callsight.db.migrate import upgrade
    from callsight.db.session import get_engine, session_scope
    from callsight.reports.demo_data import generate
    from callsight.reports.periods import parse_period, previous_complete

    if args.branches < 1 or args.calls < 1 or not 1 <= args.months <= 36:
        raise InvalidInput("--branches and --calls must be >= 1 and --months between 1 and 36")
    last = parse_period(args.end) if args.end else previous_complete("month", date.today())
    if last.kind != "month":
        raise InvalidInput(f"--end must be a month like 2026-10, got '{args.end}'")
    months = [last.previous(k) for k in range(args.months - 1, 0, -1)] + [last]
    upgrade(get_engine())
    t0 = time.perf_counter()
    with session_scope() as session:
        summary = generate(session, branches=args.branches, calls=args.calls, months=months, seed=args.seed)
        session.commit()
    print(f"seeded {summary.calls} calls ({summary.first_day}..{summary.last_day}) over {summary.branches} "
          f"branches, {summary.findings} findings, in {time.perf_counter() - t0:.1f} s")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("seed-demo", help="fill the database with realistic analysed calls (demos, scale tests)")
    p.add_argument("--branches", type=int, default=20)
    p.add_argument("--calls", type=int, default=5000)
    p.add_argument("--months", type=int, default=3)
    p.add_argument("--end", default=None, help="last month, e.g. 2026-10 (default: the last complete month)")
    p.add_argument("--seed", type=int, default=7, help="random seed (same seed, same data)")
    p.set_defaults(fn=cmd_seed_demo)

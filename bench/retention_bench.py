"""Retention scale benchmark on PostgreSQL.

Creates a scratch database, seeds it with ``seed-demo`` calls over several months,
then times what the daily beat task does (a dry run, then purge runs of
``retention_batch_size`` calls until nothing is left past the result period) and one
customer's deletion (the customer with the most calls), then drops the database.

    .venv/bin/python -m bench.retention_bench --branches 50 --calls 20000 --months 12
"""

from __future__ import annotations

import argparse
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--branches", type=int, default=50)
    ap.add_argument("--calls", type=int, default=20_000)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--end", default="2026-10")
    ap.add_argument("--result-days", type=int, default=240, help="result period for the run (days)")
    ap.add_argument("--batch", type=int, default=500)
    args = ap.parse_args()

    from callsight.auth import Principal, Role
    from callsight.config import settings
    from callsight.db.migrate import upgrade
    from callsight.db.models import Branch, Call
    from callsight.db.session import make_engine
    from callsight.reports.build import build_branch_report
    from callsight.reports.demo_data import generate
    from callsight.reports.periods import parse_period
    from callsight.reports.store import store_content
    from callsight.services.purge import purge
    from callsight.services.retention import delete_customer

    name = f"callsight_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    try:
        upgrade(engine)
        maker = sessionmaker(bind=engine, expire_on_commit=False)
        last = parse_period(args.end)
        months = [last.previous(k) for k in range(args.months - 1, 0, -1)] + [last]
        with maker() as s:
            summary = generate(s, branches=args.branches, calls=args.calls, months=months, seed=1)
            s.commit()
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
        print(f"seeded {summary.calls} calls ({summary.first_day}..{summary.last_day}), {summary.findings} "
              f"findings over {summary.branches} branches")

        cfg = settings.model_copy(update={"retention_result_days": args.result_days, "retention_transcript_days": 0,
                                          "retention_audio_days": 0, "retention_audit_days": 0,
                                          "retention_batch_size": args.batch})
        now = datetime(last.end.year, last.end.month, last.end.day, tzinfo=UTC)
        t0 = time.perf_counter()
        with maker() as s:
            dry = purge(s, dry_run=True, now=now, cfg=cfg)
            s.rollback()
        print(f"dry run: {dry.counts['result']} call(s) past {args.result_days} days in the first batch, "
              f"{(time.perf_counter() - t0) * 1000:.0f} ms")

        total, runs, times = 0, 0, []
        while True:
            t0 = time.perf_counter()
            with maker() as s:
                rep = purge(s, dry_run=False, now=now, cfg=cfg)
                s.commit()
            times.append(time.perf_counter() - t0)
            runs += 1
            total += rep.counts["result"]
            if rep.counts["result"] < args.batch:
                break
        spent = sum(times)
        print(f"purge: {total} calls anonymised in {runs} run(s) of <= {args.batch}: {spent:.1f} s, "
              f"{total / spent:.0f} calls/s, slowest run {max(times):.1f} s")

        # Stored reports of the last two months, so a deletion has reports to rebuild.
        t0 = time.perf_counter()
        with maker() as s:
            for period in months[-2:]:
                for b in s.scalars(select(Branch).order_by(Branch.id)).all():
                    store_content(s, period, b.id, build_branch_report(s, b, period))
            s.commit()
        print(f"stored {2 * summary.branches} branch reports in {time.perf_counter() - t0:.1f} s")
        with maker() as s:
            code, n = s.execute(select(Call.customer_code, func.count()).where(Call.customer_code.is_not(None),
                                                                                Call.started_at >= months[-2].start)
                                .group_by(Call.customer_code).order_by(func.count().desc()).limit(1)).one()
        who = Principal(user_id=0, name="bench", role=Role.admin, branch_ids=frozenset(), agent_code=None,
                        can_see_pii=True)
        t0 = time.perf_counter()
        with maker() as s:
            er = delete_customer(s, who, str(code))
            s.commit()
        print(f"customer deletion: {er.counts.get('calls', 0)} call(s) ({n} in the reported months) of the busiest "
              f"customer with their derived rows, reports rebuilt: {er.counts.get('reports_rebuilt', 0)}, "
              f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()

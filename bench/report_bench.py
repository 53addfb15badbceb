"""Branch report scale benchmark on PostgreSQL.

Creates a scratch database, seeds it with ``seed-demo`` data, then times what the
monthly run does (trend alerts, every branch report from SQL, the firm summary, HTML
for all of them with one shared font subset) and the report API's latency, then
drops the database.

    .venv/bin/python -m bench.report_bench --branches 1000 --calls 600000 --months 2
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--branches", type=int, default=1000)
    ap.add_argument("--calls", type=int, default=600_000)
    ap.add_argument("--months", type=int, default=2)
    ap.add_argument("--end", default="2026-10")
    ap.add_argument("--api-requests", type=int, default=300)
    args = ap.parse_args()

    from callsight.db import session as dbsession
    from callsight.db.facts import CallFact
    from callsight.db.migrate import upgrade
    from callsight.db.models import Branch
    from callsight.db.session import make_engine
    from callsight.reports import render
    from callsight.reports.alerts import store_alerts
    from callsight.reports.build import build_branch_report
    from callsight.reports.demo_data import generate
    from callsight.reports.firm import build_firm_report
    from callsight.reports.fonts import find_font, font_face_css
    from callsight.reports.periods import parse_period
    from callsight.reports.store import store_content

    name = f"callsight_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    try:
        upgrade(engine)
        maker = sessionmaker(bind=engine, expire_on_commit=False)
        dbsession.use_sessionmaker(maker)
        last = parse_period(args.end)
        months = [last.previous(k) for k in range(args.months - 1, 0, -1)] + [last]
        t0 = time.perf_counter()
        with maker() as s:
            summary = generate(s, branches=args.branches, calls=args.calls, months=months, seed=1)
            s.commit()
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
        t_seed = time.perf_counter() - t0
        with maker() as s:
            in_month = s.scalar(select(func.count()).select_from(CallFact).where(
                CallFact.day >= last.start, CallFact.day < last.end))
        print(f"seeded {summary.calls} calls ({in_month} in {last.key}), {summary.findings} findings, "
              f"{summary.branches} branches in {t_seed:.1f} s")

        t0 = time.perf_counter()
        pages = []
        with maker() as s:
            n_alerts = store_alerts(s, last)
            s.commit()
            t_alerts = time.perf_counter() - t0
            for k, b in enumerate(s.scalars(select(Branch).order_by(Branch.id)).all(), 1):
                content = build_branch_report(s, b, last)
                store_content(s, last, b.id, content)
                pages.append(render.render_html(content, None))
                if k % 50 == 0:
                    s.commit()
            firm = build_firm_report(s, last)
            store_content(s, last, None, firm)
            pages.append(render.render_html(firm, None))
            s.commit()
        t_data = time.perf_counter() - t0
        font_css = font_face_css(find_font(None), "".join(set().union(*(render.page_text(h) for h in pages))))
        with tempfile.TemporaryDirectory() as out:
            for i, html in enumerate(pages):
                Path(out, f"{i}.html").write_text(render.embed_font(html, font_css), encoding="utf-8")
        t_total = time.perf_counter() - t0
        print(f"reports: {len(pages) - 1} branches + firm, {n_alerts} alerts: alerts {t_alerts:.1f} s, "
              f"alerts+data+HTML {t_data:.1f} s, with font subset and files {t_total:.1f} s")

        from fastapi.testclient import TestClient

        from api.app import app
        from callsight.auth import create_user

        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger("httpx2").setLevel(logging.WARNING)

        with maker() as s:
            _, key = create_user(s, name="bench-admin", role="admin")
            ids = list(s.scalars(select(Branch.id)))
            s.commit()
        lat = []
        with TestClient(app) as client:
            headers = {"Authorization": f"Bearer {key}"}
            for _ in range(args.api_requests):
                bid = random.choice(ids)
                t = time.perf_counter()
                r = client.get(f"/v1/reports/{last.key}/branches/{bid}", headers=headers)
                lat.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200, r.text
        lat.sort()
        p95 = lat[int(0.95 * len(lat)) - 1]
        print(f"report API (JSON, in-process client): n={len(lat)} p50 {statistics.median(lat):.1f} ms, "
              f"p95 {p95:.1f} ms, max {lat[-1]:.1f} ms")
    finally:
        dbsession.use_sessionmaker(None)
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()

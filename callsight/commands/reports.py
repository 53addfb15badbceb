"""``callsight reports``: generate branch reports and the firm summary for a period
and write one HTML (and PDF with Chromium) plus JSON per branch into a folder."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from callsight.config import settings
from callsight.errors import InvalidInput
from core.jsonio import JsonObject

COMMIT_EVERY = 50


def _write(out: Path, stem: str, content: JsonObject, html: str) -> Path:
    (out / f"{stem}.json").write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
    path = out / f"{stem}.html"
    path.write_text(html, encoding="utf-8")
    return path


def cmd_reports(args: argparse.Namespace) -> int:
    return write_reports(args.period, args.branch, Path(args.out), pdf=not args.no_pdf, alerts=not args.no_alerts)


def write_reports(period_spec: str, branch_names: list[str] | None, out_dir: Path, *, pdf: bool = True,
                  alerts: bool = True) -> int:
    """Generate, store and write the reports of a period (the CLI and the demo)."""
    from sqlalchemy import or_, select

    from callsight.db.models import Branch
    from callsight.db.session import session_scope
    from callsight.reports import render
    from callsight.reports.alerts import store_alerts
    from callsight.reports.build import build_branch_report
    from callsight.reports.firm import build_firm_report
    from callsight.reports.fonts import find_font, font_face_css
    from callsight.reports.store import resolve_period, store_content

    t0 = time.perf_counter()
    pages: list[tuple[str, JsonObject, str]] = []
    with session_scope() as session:
        period = resolve_period(session, period_spec)
        stmt = select(Branch).order_by(Branch.id)
        if branch_names:
            stmt = stmt.where(or_(Branch.name.in_(branch_names), Branch.code.in_(branch_names)))
        branches = list(session.scalars(stmt))
        if branch_names:
            known = {b.name for b in branches} | {b.code for b in branches}
            missing = [b for b in branch_names if b not in known]
            if missing:
                raise InvalidInput(f"unknown branch(es): {', '.join(missing)}")
        n_alerts = store_alerts(session, period) if alerts else 0
        session.commit()
        for k, branch in enumerate(branches, 1):
            content = build_branch_report(session, branch, period)
            store_content(session, period, branch.id, content)
            pages.append((branch.code or f"branch-{branch.id}", content, render.render_html(content, None)))
            if k % COMMIT_EVERY == 0:
                session.commit()
        firm = build_firm_report(session, period)
        store_content(session, period, None, firm)
        pages.append(("firm", firm, render.render_html(firm, None)))
        session.commit()
    t_data = time.perf_counter() - t0
    out = out_dir / period.key.replace("..", "_")
    out.mkdir(parents=True, exist_ok=True)
    # One font subset covering every page of the batch: subsetting costs ~0.5 s, once.
    font = find_font(settings.report_font_file)
    font_css = font_face_css(font, "".join(sorted(set().union(*(render.page_text(h) for _, _, h in pages)))))
    chromium = render.chromium_path(settings.report_chromium) if pdf else None
    for stem, content, html in pages:
        path = _write(out, stem, content, render.embed_font(html, font_css))
        if chromium:
            render.write_pdf(path, path.with_suffix(".pdf"), chromium)
    print(f"{period.label}: {len(branches)} branch report(s) + firm summary, {n_alerts} alert(s) -> {out} "
          f"(data {t_data:.1f} s, total {time.perf_counter() - t0:.1f} s)")
    if font is None:
        print("note: no CJK font found (install fonts-noto-cjk or set CALLSIGHT_REPORT_FONT_FILE): "
              "pages use the reader's fonts", file=sys.stderr)
    if chromium is None and pdf:
        print(f"note: '{settings.report_chromium}' not found: wrote HTML only (no PDF)", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from callsight.reports.periods import PERIOD_HELP

    p = sub.add_parser("reports", help="generate branch reports (网点报告) and the firm summary for a period")
    p.add_argument("--period", required=True, help=PERIOD_HELP)
    p.add_argument("--branch", action="append", help="branch name or code (repeatable; default: all)")
    p.add_argument("--out", required=True, help="output folder (a subfolder per period)")
    p.add_argument("--no-pdf", action="store_true", help="HTML and JSON only")
    p.add_argument("--no-alerts", action="store_true", help="do not (re)detect the period's trend alerts")
    p.set_defaults(fn=cmd_reports)

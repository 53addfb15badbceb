"""Report content from SQL on both databases: numbers in the prose equal SQL counts,
empty branches, repeat callers, peer ranks, alerts, rendering, jobs and the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from callsight.db.facts import CallFact
from callsight.db.reports import Alert, Report
from callsight.reports import render
from callsight.reports.alerts import store_alerts
from callsight.reports.build import build_branch_report
from callsight.reports.demo_data import generate
from callsight.reports.firm import build_firm_report
from callsight.reports.periods import parse_period
from tests.factories import make_branch
from tests.reports.helpers import add_call, add_many

OCT, SEP = parse_period("2026-10"), parse_period("2026-09")


@pytest.fixture
def east(db: Session):  # type: ignore[no-untyped-def]
    b = make_branch(db, "报告东区支行", code="RPT-E", region="华东", size_band="中")
    add_many(db, b, date(2026, 9, 10), 10, intent="product_inquiry", openings=2, taken=1)
    add_many(db, b, date(2026, 9, 11), 10, intent="redemption")
    add_many(db, b, date(2026, 10, 3), 6, intent="product_inquiry", openings=2, taken=2, converted=True,
             sample="我想问一下理财，手机138****5678")
    add_many(db, b, date(2026, 10, 4), 20, intent="complaint", category="收益不符预期", risk="low", agent="A2",
             negative=True)
    add_call(db, b, date(2026, 10, 5), intent="complaint", category="服务态度", risk="high", customer="C1", agent="A2")
    add_call(db, b, date(2026, 10, 8), intent="complaint", category="服务态度", risk="low", customer="C1", agent="A3")
    add_call(db, b, date(2026, 10, 30), intent="complaint", category="服务态度", risk="low", customer="C1")
    db.flush()
    return b


def _count(db: Session, *conds) -> int:  # type: ignore[no-untyped-def]
    return db.scalar(select(func.count()).select_from(CallFact).where(*conds)) or 0


def test_numbers_in_text_equal_sql_counts(db: Session, east) -> None:  # type: ignore[no-untyped-def]
    r = build_branch_report(db, east, OCT)
    in_oct = (CallFact.branch_id == east.id, CallFact.day >= OCT.start, CallFact.day < OCT.end)
    calls = _count(db, *in_oct)
    assert calls == 29 and r["totals"]["calls"] == calls
    assert f"共有已分析来电{calls}通" in r["overview"] and "较上期增加9通" in r["overview"]
    s = r["sections"]
    top = s["intents"]["items"][0]
    assert top["intent"] == "complaint" and top["count"] == _count(db, *in_oct, CallFact.primary_intent == "complaint")
    assert f"共{top['count']}通" in s["intents"]["prose"][0]
    assert any("投诉类来电为本期新出现" in p or "投诉" in p for p in s["intents"]["prose"])
    assert "手机138****5678" in s["intents"]["items"][1]["samples"][0]
    c = s["complaints"]
    assert c["total"] == _count(db, *in_oct, CallFact.complaint_category.is_not(None)) == 23
    assert f"投诉的来电{c['total']}通" in c["prose"][0] and "上期无投诉记录" in c["prose"][0]
    assert c["categories"][0] == {**c["categories"][0], "category": "收益不符预期", "count": 20}
    assert c["staff"][0]["agent"] == "A2" and c["staff"][0]["count"] == 21
    # C1: Oct 5 and Oct 8 (3 days, repeat), Oct 30 (22 days later: not a repeat within 7).
    assert (c["repeat_customers"], c["repeat_calls"]) == (1, 1)
    assert c["high_risk"] == 1 and len(c["high_risk_calls"]) == 1
    m = s["marketing"]
    assert (m["openings"], m["taken"], m["converted"]) == (12, 12, 6)
    assert "本期识别营销机会12次，坐席把握12次，开口率100.0%（约 76%–100%），较上期（50.0%）成倍增长" in m["prose"][0]
    assert "转化率50.0%（约 25%–75%）" in m["prose"][0]  # rates come with their interval
    assert m["links"]["taken"].startswith("/v1/reports/calls?branch_id=")
    assert r["suggestions"] and any("高风险投诉" in x for x in r["suggestions"])


def test_empty_branch_says_so(db: Session) -> None:
    b = make_branch(db, "报告空网点", code="RPT-0")
    r = build_branch_report(db, b, OCT)
    assert r["empty"] and r["sections"] is None
    assert "没有已分析的来电记录" in r["overview"]
    html = render.render_html(r)
    assert "本期该网点没有已分析的来电" in html and "建议" in html


def test_peer_rank_within_region(db: Session, east) -> None:  # type: ignore[no-untyped-def]
    better = make_branch(db, "报告东区二支行", code="RPT-E2", region="华东")
    worse = make_branch(db, "报告东区三支行", code="RPT-E3", region="华东")
    other = make_branch(db, "报告西区支行", code="RPT-W", region="西南")
    same = make_branch(db, "报告东区四支行", code="RPT-E4", region="华东")
    tiny = make_branch(db, "报告东区五支行", code="RPT-E5", region="华东")
    add_many(db, better, date(2026, 10, 2), 15, openings=2, taken=2)
    add_many(db, same, date(2026, 10, 2), 15, openings=2, taken=2)
    add_many(db, worse, date(2026, 10, 2), 15, openings=2, taken=0)
    add_many(db, tiny, date(2026, 10, 2), 1, openings=2, taken=2)  # 100 % of 2: not rankable
    add_many(db, other, date(2026, 10, 2), 15, openings=2, taken=2)
    db.flush()
    ranks = build_branch_report(db, worse, OCT)["sections"]["marketing"]["peers"]["ranks"]
    # east (12 openings) and tiny (2) have too few openings; the west branch is not a peer.
    assert ranks["taken_rate"] == {"rank": 3, "of": 3, "tied": False, "text": "第3", "word": "排名靠后"}
    tied = build_branch_report(db, same, OCT)["sections"]["marketing"]
    assert tied["peers"]["ranks"]["taken_rate"]["text"] == "并列第1"
    assert "开口率排名并列第1位" in tied["prose"][1]
    small = build_branch_report(db, tiny, OCT)["sections"]["marketing"]
    assert small["peers"]["ranks"]["taken_rate"]["rank"] is None
    assert "样本不足（营销机会2次，少于30次），未参与排名" in small["prose"][1]
    assert "开口率2/2（样本过少，不计比率）" in small["prose"][0] and "100.0%" not in small["prose"][0]


def test_alerts_detected_stored_and_reported(db: Session) -> None:
    b = make_branch(db, "报告告警支行", code="RPT-A", region="华北")
    for month in ("2026-07", "2026-08", "2026-09"):
        add_many(db, b, parse_period(month).start, 30, intent="product_inquiry")
    add_many(db, b, date(2026, 10, 2), 30, intent="product_inquiry")
    add_many(db, b, date(2026, 10, 3), 40, intent="complaint", category="系统故障", negative=True)
    db.flush()
    n = store_alerts(db, OCT)
    alerts = list(db.scalars(select(Alert).where(Alert.branch_id == b.id)))
    assert n >= len(alerts) > 0
    keys = {(a.dimension, a.key, a.metric) for a in alerts}
    assert ("total", "", "volume") in keys and ("total", "", "complaint_rate") in keys
    assert ("intent", "complaint", "volume") in keys
    assert not any(a.key == "product_inquiry" for a in alerts)  # 30 a month as before
    assert store_alerts(db, OCT) == n  # re-running replaces
    r = build_branch_report(db, b, OCT)
    assert len(r["alerts"]) == len(alerts) and any("监测到异常波动" in s for s in r["suggestions"])


def test_html_report_has_svg_and_chinese_sections(db: Session, east, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    html = render.render_html(build_branch_report(db, east, OCT))
    assert html.count("<svg") >= 2
    for heading in ("一、主要问询方向与变化", "二、营销深度与同类网点排名", "三、投诉情况", "四、服务质量", "五、建议"):
        assert heading in html
    assert "@page { size: A4" in html
    # Figures open the console, absolutely (a PDF has no origin): no dead file:///v1/… links.
    assert 'href="http://127.0.0.1:8000/ui/calls?drill=branch_id%3D' in html and 'href="/v1/' not in html
    assert "生成时间：" in html and "（北京时间）" in html and "+00:00" not in html
    other = render.render_html(build_branch_report(db, east, OCT), base_url="https://qa.bank.example/")
    assert 'href="https://qa.bank.example/ui/calls?drill=' in other
    from callsight.reports.fonts import find_font

    font = find_font(None)
    if font is not None:  # Debian fonts-noto-cjk
        embedded = render.render_with_font(build_branch_report(db, east, OCT), font)
        assert "@font-face" in embedded and "base64," in embedded


def test_quality_section_from_findings(db: Session) -> None:
    summary = generate(db, branches=3, calls=600, months=[SEP, OCT], seed=11)
    from callsight.reports.queries import review_available

    if not review_available(db):
        pytest.skip("QA review tables (migration 0002_review) not present")
    assert summary.findings
    branch_id = db.scalar(select(CallFact.branch_id).where(CallFact.day >= OCT.start).limit(1))
    from callsight.db.models import Branch

    r = build_branch_report(db, db.get(Branch, branch_id), OCT)
    q = r["sections"]["quality"]
    assert q["available"] and q["rules"] and q["agents"]
    worst = q["rules"][0]
    expected = db.execute(text(
        "SELECT count(*), sum(CASE WHEN f.effective_passed THEN 1 ELSE 0 END) FROM findings f "
        "JOIN call_facts c ON c.call_id = f.call_id WHERE c.branch_id = :b AND c.day >= :s AND c.day < :e "
        "AND f.rule = :r AND f.applicable = :t"),
        {"b": branch_id, "s": OCT.start, "e": OCT.end, "r": worst["rule"], "t": True}).one()
    assert (worst["applicable"], worst["passed"]) == (expected[0], expected[1])
    assert "质检项整体通过率" in q["prose"][0]
    firm = build_firm_report(db, OCT)
    assert firm["ranking"] and any(row["service"] is not None for row in firm["ranking"])


def test_branch_task_and_cli(db: Session, east, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from callsight.cli import main
    from workers.report_tasks import report_branch, report_firm

    db.flush()  # same connection: the code under test sees it; commit would outlive the rollback on SQLite
    assert report_branch("2026-10", east.id) == "done"
    assert report_firm("2026-10") == "done"
    row = db.scalar(select(Report).where(Report.period == "2026-10", Report.branch_id == east.id))
    assert row is not None and row.status == "done" and row.attempts == 1 and row.content["totals"]["calls"] == 29
    assert main(["reports", "--period", "2026-13", "--out", str(tmp_path)]) == 1
    assert "no such month: 2026-13" in capsys.readouterr().err
    assert main(["reports", "--period", "2026-10", "--branch", "RPT-E", "--out", str(tmp_path), "--no-pdf"]) == 0
    out = tmp_path / "2026-10"
    assert (out / "RPT-E.html").is_file() and (out / "RPT-E.json").is_file() and (out / "firm.html").is_file()
    assert "三、投诉情况" in (out / "RPT-E.html").read_text(encoding="utf-8")
    assert main(["reports", "--period", "2026-10", "--branch", "nope", "--out", str(tmp_path)]) == 1

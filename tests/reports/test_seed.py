"""seed-demo fills calls, facts and (where the QA tables exist) findings in bulk."""

from __future__ import annotations

import json

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from callsight.db.facts import CallFact
from callsight.db.models import Branch, Call
from callsight.reports.demo_data import generate, has_review_tables
from callsight.reports.periods import parse_period


def test_seed_fills_consistent_rows(db: Session) -> None:
    months = [parse_period("2026-09"), parse_period("2026-10")]
    summary = generate(db, branches=6, calls=900, months=months, seed=3)
    assert summary.calls == 900 and summary.branches == 6
    # Counted within the demo branches: on SQLite an earlier test's commits may outlive its rollback.
    demo = select(Branch.id).where(Branch.code.like("DEMO%")).scalar_subquery()
    assert db.scalar(select(func.count()).select_from(Call).where(Call.branch_id.in_(demo))) == 900
    assert db.scalar(select(func.count()).select_from(CallFact).where(CallFact.branch_id.in_(demo))) == 900
    assert db.scalar(select(func.count()).select_from(Branch).where(Branch.code.like("DEMO%"))) == 6
    assert str(summary.first_day) >= "2026-09-01" and str(summary.last_day) <= "2026-10-31"
    # Every fact belongs to its call's branch; complaint categories only on complaint calls.
    mismatched = db.scalar(select(func.count()).select_from(CallFact).join(Call, Call.id == CallFact.call_id)
                           .where(Call.branch_id != CallFact.branch_id))
    assert mismatched == 0
    assert db.scalar(select(func.count()).select_from(CallFact).where(
        CallFact.complaint_category.is_(None), CallFact.complaint_risk != "none")) == 0
    intents = set(db.scalars(select(CallFact.primary_intent).distinct()))
    assert {"complaint", "product_inquiry", "purchase"} <= intents
    taken, detected = db.execute(select(func.sum(CallFact.openings_taken), func.sum(CallFact.openings_detected))).one()
    assert taken <= detected
    if has_review_tables(db.connection()):
        assert summary.findings == 900 * 10
        n = db.scalar(text("SELECT count(*) FROM findings f JOIN calls c ON c.id = f.call_id "
                           "JOIN branches b ON b.id = c.branch_id WHERE b.code LIKE 'DEMO%'"))
        assert n == summary.findings
        states = set(db.scalars(text("SELECT DISTINCT review_state FROM calls")))
        assert "none" in states and states & {"queued", "reviewed", "closed"}
    # Seeding again reuses the demo branches instead of failing on their unique codes.
    again = generate(db, branches=6, calls=50, months=months, seed=4)
    assert again.branches == 6
    assert db.scalar(select(func.count()).select_from(Branch).where(Branch.code.like("DEMO%"))) == 6


def test_seeded_calls_look_analysed(db: Session) -> None:
    """Transcripts, a readable result, findings with evidence in their words, review items
    for flagged calls, varied ids and start times in local working hours (issue 14)."""
    from zoneinfo import ZoneInfo

    from callsight.db.models import SegmentRow

    months = [parse_period("2026-10")]
    generate(db, branches=3, calls=300, months=months, seed=5)
    demo = select(Branch.id).where(Branch.code.like("DEMO%")).scalar_subquery()
    calls = list(db.scalars(select(Call).where(Call.branch_id.in_(demo), Call.started_at >= months[0].start)))
    assert len(calls) >= 300
    assert len({c.id[:12] for c in calls}) == len(calls)  # no shared prefix
    hours = {c.started_at.astimezone(ZoneInfo("Asia/Shanghai")).hour for c in calls if c.started_at}
    assert hours <= set(range(9, 18)) and len(hours) >= 6
    for call in calls[:40]:
        assert call.result is not None and call.result["segments"]
        segs = list(db.scalars(select(SegmentRow).where(SegmentRow.call_id == call.id).order_by(SegmentRow.idx)))
        assert [s.text for s in segs] == [s["text"] for s in call.result["segments"]]
        assert segs[0].search_text.strip()
        assert call.result["call"]["meta"]["started_at"].endswith("+08:00")
    if not has_review_tables(db.connection()):
        return
    failed = db.execute(text(
        "SELECT f.rule, f.evidence, c.result FROM findings f JOIN calls c ON c.id = f.call_id "
        "WHERE c.branch_id IN (SELECT id FROM branches WHERE code LIKE 'DEMO%') "
        "AND f.applicable = :t AND f.passed = :f AND f.rule IN ('forbidden_promise', 'risk_disclosure', 'greeting')"),
        {"t": True, "f": False}).all()
    assert {r[0] for r in failed} >= {"risk_disclosure", "greeting"}
    words = {"forbidden_promise": "保本", "risk_disclosure": "收益", "greeting": "喂"}
    for rule, ev, result in failed[:60]:
        ev = ev if isinstance(ev, list) else json.loads(ev)
        res = result if isinstance(result, dict) else json.loads(result)
        assert words[rule] in ev[0]["text"], (rule, ev)  # the evidence is the turn that breaks the rule
        assert res["segments"][ev[0]["segment"]]["text"] == ev[0]["text"]
    flagged = [c for c in calls if c.flagged]
    assert flagged and all(c.flag_reasons for c in flagged)
    queued = db.scalar(text(
        "SELECT count(*) FROM review_items r JOIN calls c ON c.id = r.call_id "
        "WHERE c.branch_id IN (SELECT id FROM branches WHERE code LIKE 'DEMO%') AND c.flagged = :t"), {"t": True})
    assert queued == db.scalar(select(func.count()).select_from(Call).where(
        Call.branch_id.in_(demo), Call.flagged.is_(True)))

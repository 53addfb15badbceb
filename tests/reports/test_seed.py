"""seed-demo fills calls, facts and (where the QA tables exist) findings in bulk."""

from __future__ import annotations

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

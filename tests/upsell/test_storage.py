"""Openings and suggested scripts stored from the result at the end of processing;
"used" per suggestion; outcomes from a later purchase call or a CRM sale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callsight.db.models import Call
from callsight.db.upsell import CrmSale, UpsellOpeningRow, UpsellSuggestionRow
from callsight.errors import Conflict
from callsight.services import upsell as svc
from tests.factories import make_branch
from tests.upsell.helpers import MATURITY_MISSED, MATURITY_USED, PURCHASE, processed_call
from workers.jobs import run_process_call

T0 = datetime(2026, 10, 12, 9, 30, tzinfo=UTC)


@pytest.fixture
def branches(db: Session) -> None:
    make_branch(db, "城东支行", code="CD01")
    make_branch(db, "城西支行", code="CX01")


def _rows(db: Session, call_id: str) -> tuple[list[UpsellOpeningRow], list[UpsellSuggestionRow]]:
    ops = list(db.scalars(select(UpsellOpeningRow).where(UpsellOpeningRow.call_id == call_id)))
    sugs = list(db.scalars(select(UpsellSuggestionRow).where(UpsellSuggestionRow.call_id == call_id)
                           .order_by(UpsellSuggestionRow.rank)))
    return ops, sugs


def test_openings_and_suggestions_stored_and_use_decided(db: Session, branches: None) -> None:
    cid = processed_call(db, MATURITY_USED, customer="K1", started_at=T0, customer_risk_level="C3")
    ops, sugs = _rows(db, cid)
    assert [(o.type, o.segment, o.taken, o.agent_code, o.customer_code) for o in ops] == [
        ("maturity", 1, True, "A1023", "K1")]
    assert ops[0].agent_segment == 2 and ops[0].branch_id is not None
    assert svc.aware(ops[0].started_at) == T0
    call = db.get(Call, cid)
    assert call is not None and call.result is not None
    expected = [(s["script"], s["variant"]) for s in call.result["upsell_openings"][0]["suggestions"]]
    assert [(s.script, s.variant) for s in sugs] == expected
    used = {s.script: s for s in sugs}
    assert used["maturity.meeting"].used_by_agent and used["maturity.meeting"].used_segment == 2
    assert not any(s.used_by_agent for s in sugs if s.script != "maturity.meeting")
    assert all(s.outcome == "none" for s in sugs)


def test_reanalysis_replaces_never_duplicates(db: Session, branches: None) -> None:
    cid = processed_call(db, MATURITY_USED, customer="K1", started_at=T0, customer_risk_level="C3")
    before = _rows(db, cid)
    call = db.get(Call, cid)
    assert call is not None
    call.status = "queued"
    db.flush()
    assert run_process_call(cid) == "done"
    db.expire_all()
    after = _rows(db, cid)
    assert len(after[0]) == len(before[0]) == 1 and len(after[1]) == len(before[1])
    assert db.scalar(select(func.count()).select_from(UpsellSuggestionRow)) == len(before[1])


def test_later_purchase_call_within_window_is_the_outcome(db: Session, branches: None) -> None:
    first = processed_call(db, MATURITY_USED, customer="K2", started_at=T0, customer_risk_level="C3")
    # Another customer's purchase, and this customer's purchase too late, change nothing.
    processed_call(db, PURCHASE, customer="K9", started_at=T0 + timedelta(days=2))
    processed_call(db, PURCHASE, customer="K2", started_at=T0 + timedelta(days=45))
    assert {s.outcome for s in _rows(db, first)[1]} == {"none"}
    later = processed_call(db, PURCHASE, customer="K2", started_at=T0 + timedelta(days=3))
    sugs = _rows(db, first)[1]
    assert {s.outcome for s in sugs} == {"purchase_intent"}
    assert {s.outcome_call_id for s in sugs} == {later}
    assert svc.aware(sugs[0].outcome_at) == T0 + timedelta(days=3)


def test_crm_sale_is_idempotent_and_wins_for_matching_product(db: Session, branches: None) -> None:
    cid = processed_call(db, MATURITY_MISSED, customer="K3", started_at=T0, branch="城西支行", agent="A1024",
                         customer_risk_level="C3")
    sale = svc.SaleIn("K3", "大额存单", 300000.0, T0 + timedelta(days=1), "CRM-0001")
    row, created = svc.record_sale(db, sale, None)
    again, created_again = svc.record_sale(db, sale, None)
    assert created and not created_again and again.id == row.id
    assert db.scalar(select(func.count()).select_from(CrmSale)) == 1
    by_script = {s.script: s for s in _rows(db, cid)[1]}
    assert by_script["maturity.large_cd"].outcome == "crm_sale"
    assert by_script["maturity.large_cd"].outcome_reference == "CRM-0001"
    assert by_script["maturity.meeting"].outcome == "crm_sale"  # a meeting leads to any product
    assert by_script["maturity.fixed_income_wmp"].outcome == "none"  # another product was sold
    with pytest.raises(Conflict) as err:
        svc.record_sale(db, svc.SaleIn("K3", "大额存单", 1.0, sale.sold_at, "CRM-0001"), None)
    assert "amount" in err.value.message


def test_sale_before_the_opening_or_after_the_window_is_no_outcome(db: Session, branches: None) -> None:
    cid = processed_call(db, MATURITY_MISSED, customer="K4", started_at=T0, branch="城西支行", agent="A1024",
                         customer_risk_level="C3")
    svc.record_sale(db, svc.SaleIn("K4", "large_cd", 1.0, T0 - timedelta(days=1), "R-before"), None)
    svc.record_sale(db, svc.SaleIn("K4", "large_cd", 1.0, T0 + timedelta(days=31), "R-late"), None)
    assert {s.outcome for s in _rows(db, cid)[1]} == {"none"}

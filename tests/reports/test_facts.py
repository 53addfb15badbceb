"""Facts rows from result JSON (pure), their sync at store time, and the complaint classifier."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callsight.db.facts import CallFact
from callsight.db.models import Call
from callsight.reports.complaints import CATEGORIES, classify_complaint
from callsight.reports.facts import facts_from_result, sync_call_facts
from callsight.schemas import parse_transcript_doc
from callsight.services.calls import create_transcript_call
from core.result import CallResult
from tests.factories import make_branch

DATA = Path(__file__).resolve().parent / "data"
TZ = ZoneInfo("Asia/Shanghai")
NO_RISK = {"level": "none", "evidence": []}


def _opening(type_: str, segment: int, taken: bool) -> dict[str, object]:
    return {"type": type_, "segment": segment, "taken": taken,
            "evidence": {"customer": {"segment": segment, "text": "", "cue": ""}, "entities": [], "agent": None}}


def _entity(value: str) -> dict[str, object]:
    return {"type": "product", "text": value, "value": value, "segment": 1, "start": 0, "end": 1}


def _result(**extra: object) -> dict[str, object]:
    """A result document of schema 1.3 with the fields the facts read."""
    base: dict[str, object] = {
        "schema_version": "1.3",
        "call": {"id": "c1", "meta": {}, "source": "transcript", "duration_s": 60.0, "channels": 0, "asr": None},
        "segments": [
            {"speaker": "agent", "start": 0, "end": 1, "text": "您好，恒信银行城东支行"},
            {"speaker": "customer", "start": 1, "end": 2,
             "text": "你们推荐的理财亏了好多，我手机号13812345678你们回个电话"},
            {"speaker": "agent", "start": 2, "end": 3, "text": "非常抱歉"},
            {"speaker": "customer", "start": 3, "end": 4, "text": "再不处理我就打12378投诉"},
        ],
        "role_confidence": 1.0,
        "intents": {"primary": "complaint", "all": ["complaint"],
                    "turns": [{"segment": 1, "intent": "complaint", "score": 0.9},
                              {"segment": 3, "intent": "complaint", "score": 0.7}]},
        "sentiment": {"call": "negative", "turns": [{"segment": 1, "label": "negative", "score": 0.9, "cues": []},
                                                    {"segment": 3, "label": "neutral", "score": 0.5, "cues": []}]},
        "complaint_risk": {"level": "high", "evidence": []},
        "entities": [_entity("wmp"), _entity("fund"), _entity("wmp")],
    }
    base.update(extra)
    return base


def _facts(result: dict[str, object], started: datetime | None = None) -> dict[str, object]:
    row = facts_from_result(CallResult.from_json(result), call_id="c1", branch_id=1, agent_code="A1",
                            customer_code="C1", started_at=started or datetime(2026, 10, 31, 17, 0, tzinfo=UTC),
                            duration_s=60.0, tz=TZ)
    return asdict(row)


def test_facts_from_complaint_result() -> None:
    row = _facts(_result())
    assert row["primary_intent"] == "complaint"
    assert row["complaint_risk"] == "high"
    assert row["complaint_category"] == "收益不符预期"
    assert row["negative_share"] == 0.5
    assert row["products"] == "wmp,fund" and row["primary_product"] == "wmp"
    # Upsell openings not in the result yet: zero, not an error.
    assert row["openings_detected"] == 0 and row["openings_taken"] == 0 and row["converted"] is False
    # The sample is the best-scoring customer turn for the intent, with the phone number masked.
    assert "13812345678" not in str(row["sample_text"]) and "亏了好多" in str(row["sample_text"])
    # 17:00 UTC on Oct 31 is Nov 1 in Shanghai: the calendar day is local.
    assert str(row["day"]) == "2026-11-01"


def test_openings_and_in_call_conversion() -> None:
    result = _result(
        intents={"primary": "product_inquiry", "all": ["product_inquiry", "purchase"],
                 "turns": [{"segment": 1, "intent": "product_inquiry", "score": 0.8},
                           {"segment": 3, "intent": "purchase", "score": 0.8}]},
        complaint_risk=NO_RISK,
        upsell_openings=[_opening("maturity", 1, True), _opening("idle_funds", 3, False)],
    )
    row = _facts(result)
    assert row["complaint_category"] is None and row["complaint_risk"] == "none"
    assert (row["openings_detected"], row["openings_taken"], row["converted"]) == (2, 1, True)
    untaken = _facts({**result, "upsell_openings": [_opening("maturity", 1, False)]})
    assert untaken["converted"] is False


def _call_with_result(db: Session, customer: str, started: str, result: dict[str, object]) -> Call:
    doc = {"meta": {"branch": "城东支行", "agent": "A1023", "customer": customer, "started_at": started},
           "turns": [{"speaker": "customer", "text": "你好"}]}
    call = create_transcript_call(db, doc=parse_transcript_doc(doc))
    call.result = result
    db.flush()
    sync_call_facts(db, call)
    db.flush()
    return call


def test_sync_replaces_row_and_later_purchase_converts(db: Session) -> None:
    make_branch(db, "城东支行")
    opened = _result(intents={"primary": "product_inquiry", "all": [], "turns": []}, complaint_risk=NO_RISK,
                     upsell_openings=[_opening("maturity", 1, True)])
    first = _call_with_result(db, "C9", "2026-10-02T10:00:00+08:00", opened)
    sync_call_facts(db, first)  # re-running replaces, never duplicates
    db.flush()
    assert db.scalar(select(func.count()).select_from(CallFact).where(CallFact.call_id == first.id)) == 1
    assert db.get(CallFact, first.id).converted is False  # type: ignore[union-attr]
    _call_with_result(db, "C9", "2026-10-20T10:00:00+08:00",
                      _result(intents={"primary": "purchase", "all": [], "turns": []}, complaint_risk=NO_RISK))
    db.expire_all()
    assert db.get(CallFact, first.id).converted is True  # type: ignore[union-attr]


def test_store_result_fills_facts_through_the_real_pipeline(db: Session) -> None:
    from workers.jobs import run_process_call

    make_branch(db, "城东支行")
    meta = {"branch": "城东支行", "agent": "A1023", "customer": "C1", "started_at": "2026-10-12T09:30:00+08:00"}
    doc = {"meta": meta,
           "turns": [{"speaker": "agent", "text": "您好，这里是城东支行，我是小王工号1023"},
                     {"speaker": "customer",
                      "text": "我要投诉，你们那个手机银行一直登不上去，转账老是报错，我要打12378投诉你们"},
                     {"speaker": "agent", "text": "非常抱歉给您带来不便"}]}
    call = create_transcript_call(db, doc=parse_transcript_doc(doc))
    db.flush()  # same connection: the code under test sees it; commit would outlive the rollback on SQLite
    assert run_process_call(call.id) == "done"
    fact = db.get(CallFact, call.id)
    assert fact is not None
    assert fact.branch_id == call.branch_id and str(fact.day) == "2026-10-12"
    assert fact.complaint_risk == "high" and fact.complaint_category == "系统故障"


def _labelled(name: str) -> list[tuple[str, str]]:
    rows = [line.rstrip("\n").split("\t") for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    return [(r[0], r[1]) for r in rows if len(r) == 2]


@pytest.mark.parametrize(("name", "minimum"), [("complaints_dev.tsv", 0.9), ("complaints_heldout.tsv", 0.8)])
def test_complaint_classifier_accuracy(name: str, minimum: float) -> None:
    # The held-out file is phrased differently (ASR slips, no punctuation, fillers): 17/18 when written.
    rows = _labelled(name)
    assert {c for c, _ in rows} <= set(CATEGORIES)
    correct = sum(classify_complaint([text]) == cat for cat, text in rows)
    assert correct / len(rows) >= minimum, f"{name}: {correct}/{len(rows)}"


def test_no_cue_is_other() -> None:
    assert classify_complaint(["我要投诉", ""]) == "其他"

"""Findings sync on every completed call: rows from the real engine, idempotent
re-runs, what re-analysis does to verdicts, flags, sampling and the queue."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callsight.auth import principal_of
from callsight.config import settings
from callsight.db.models import Call, User
from callsight.db.review import Appeal, FindingRow, ReviewAudit, ReviewItem
from callsight.errors import Conflict
from callsight.schemas import parse_transcript_doc
from callsight.services import appeals, review
from callsight.services.calls import create_transcript_call
from core.result import CallResult
from tests.factories import make_branch, make_transcript_call, make_user
from tests.review.helpers import PROMISE, RUDE, doc
from workers.jobs import run_process_call


def _process(db: Session, turns: list[tuple[str, str]] | None = None) -> Call:
    if turns is None:
        call = make_transcript_call(db)
    else:
        call = create_transcript_call(db, doc=parse_transcript_doc(doc(turns)))
    db.flush()
    assert run_process_call(call.id) == "done"
    db.expire_all()
    return db.get(Call, call.id)  # type: ignore[return-value]


def _rows(db: Session, call_id: str) -> dict[str, FindingRow]:
    return {r.rule: r for r in db.scalars(select(FindingRow).where(FindingRow.call_id == call_id))}


def _reviewer(db: Session, name: str = "qa-sync") -> Any:
    make_user(db, "qa", name=name)
    return principal_of(db.scalar(select(User).where(User.name == name)))  # type: ignore[arg-type]


def test_real_pipeline_findings_match_result_and_rerun_does_not_duplicate(db: Session) -> None:
    make_branch(db)
    call = _process(db, PROMISE)
    compliance = call.result["compliance"]  # type: ignore[index]
    rows = _rows(db, call.id)
    assert set(rows) == {f["rule"] for f in compliance["findings"]}
    promise = rows["forbidden_promise"]
    assert promise.fatal and not promise.passed and promise.applicable and promise.status == "auto"
    assert promise.scorecard == "marketing" and promise.severity == "fatal"
    assert promise.evidence and "保本" in promise.evidence[0]["text"]
    assert rows["greeting"].scorecard == "service" and not rows["greeting"].fatal
    assert call.service_score == compliance["scores"]["service"]
    assert call.marketing_score == compliance["scores"]["marketing"] == 0.0
    assert call.flagged and call.review_state == "queued"
    codes = {(r["code"], r.get("rule")) for r in call.flag_reasons or []}
    assert ("failed_rule", "forbidden_promise") in codes
    ids = {r.rule: r.id for r in rows.values()}

    call.status = "queued"
    db.flush()
    assert run_process_call(call.id) == "done"
    db.expire_all()
    assert {r.rule: r.id for r in _rows(db, call.id).values()} == ids
    n = db.scalar(select(func.count()).select_from(FindingRow).where(FindingRow.call_id == call.id))
    assert n == len(compliance["findings"])
    assert db.scalar(select(func.count()).select_from(ReviewItem).where(ReviewItem.call_id == call.id)) == 1


def test_clean_call_is_not_flagged_and_not_queued(db: Session) -> None:
    make_branch(db)
    call = _process(db)
    assert not call.flagged and call.flag_reasons is None and call.review_state == "none"
    assert call.service_score == 100.0 and call.marketing_score == 100.0
    assert db.get(ReviewItem, call.id) is None


def test_high_complaint_risk_and_low_score_flag(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    make_branch(db)
    rude = _process(db, RUDE)
    codes = [r["code"] for r in rude.flag_reasons or []]
    assert "complaint_risk_high" in codes and "low_service_score" in codes
    item = db.get(ReviewItem, rude.id)
    assert item is not None and item.complaint_high and item.fatal and item.severity_rank == 3
    # A threshold above 100 flags even a clean call, for its score alone.
    monkeypatch.setattr(settings, "review_low_score", 100.5)
    clean = _process(db)
    assert clean.flagged and [r["code"] for r in clean.flag_reasons or []] == ["low_service_score"]


def test_sampling_is_deterministic_and_close_to_the_share() -> None:
    ids = [f"{i:032x}" for i in range(20000)]
    hits = [review.sample_hit(i, 0.1) for i in ids]
    assert hits == [review.sample_hit(i, 0.1) for i in ids]
    assert 0.09 < sum(hits) / len(ids) < 0.11
    assert not any(review.sample_hit(i, 0.0) for i in ids[:100])
    assert all(review.sample_hit(i, 1.0) for i in ids[:100])


def test_sampled_unflagged_call_enters_queue_as_sample(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    make_branch(db)
    monkeypatch.setattr(settings, "review_sample_share", 1.0)
    call = _process(db)
    item = db.get(ReviewItem, call.id)
    assert item is not None and item.kind == "sample" and not call.flagged and call.review_state == "queued"


def _result(findings: list[dict[str, Any]], fatal: list[str], risk: str = "none") -> CallResult:
    return CallResult.from_json({
        "schema_version": "1.3", "role_confidence": 1.0, "segments": [],
        "call": {"id": None, "meta": {}, "source": "transcript", "duration_s": 30.0, "channels": 0, "asr": None},
        "compliance": {"rule_pack": "default-1.0", "findings": findings,
                       "scores": {"service": 100.0, "marketing": 0.0}, "fatal": fatal},
        "complaint_risk": {"level": risk, "evidence": []}})


def _f(rule: str, passed: bool, seg: int = 2, text: str = "这个是保本的", severity: str = "fatal") -> dict[str, Any]:
    return {"rule": rule, "title": rule, "severity": severity, "passed": passed, "applicable": True,
            "confidence": 1.0, "evidence": [{"segment": seg, "start": 1.0, "end": 2.0, "text": text}]}


def test_reanalysis_keeps_unchanged_verdicts_and_resets_changed_ones(db: Session) -> None:
    """Unit test of sync with hand-written results: what re-analysis does to verdicts."""
    make_branch(db)
    call = make_transcript_call(db)
    first = _result([_f("forbidden_promise", False), _f("closing", False, 6, "再见", "minor"),
                     _f("greeting", True, 0, "您好", "minor")], ["forbidden_promise"])
    review.sync_findings(db, call, first, sample_share=0.0)
    call.result = first.to_json()
    qa = _reviewer(db)
    rows = _rows(db, call.id)
    review.record_verdict(db, qa, rows["forbidden_promise"].id, "confirmed", "属实")
    review.record_verdict(db, qa, rows["closing"].id, "dismissed", "误报")
    assert call.review_state == "reviewed" and rows["closing"].effective_passed
    agent = make_user(db, "agent", name="ag", agent_code="A1023")
    assert agent
    ag = principal_of(db.scalar(select(User).where(User.name == "ag")))  # type: ignore[arg-type]
    appeal = appeals.create_appeal(db, ag, rows["forbidden_promise"].id, "我没说")

    # Same outcome and evidence: both verdicts survive, nothing is duplicated.
    review.sync_findings(db, call, first, sample_share=0.0)
    rows = _rows(db, call.id)
    assert rows["forbidden_promise"].status == "confirmed" and rows["closing"].status == "dismissed"
    assert len(rows) == 3 and call.review_state == "reviewed"

    # The promise evidence changes, closing now passes, greeting disappears from the pack.
    second = _result([_f("forbidden_promise", False, 3, "肯定赚"), _f("closing", True, 6, "再见", "minor")],
                     ["forbidden_promise"])
    review.sync_findings(db, call, second, sample_share=0.0)
    db.flush()
    db.expire_all()
    rows = _rows(db, call.id)
    assert set(rows) == {"forbidden_promise", "closing"}
    assert rows["forbidden_promise"].status == "auto" and rows["forbidden_promise"].verdict_by_id is None
    assert rows["closing"].status == "auto" and rows["closing"].passed and rows["closing"].effective_passed
    assert db.get(Appeal, appeal.id).status == "void"  # type: ignore[union-attr]
    assert db.get(Call, call.id).review_state == "in_review"  # type: ignore[union-attr]
    actions = list(db.scalars(select(ReviewAudit.action).where(ReviewAudit.call_id == call.id)
                              .order_by(ReviewAudit.id)))
    assert actions.count("verdict_reset") == 2 and "finding_removed" in actions
    reset = db.scalar(select(ReviewAudit).where(ReviewAudit.action == "verdict_reset",
                                                ReviewAudit.finding_id == rows["forbidden_promise"].id))
    assert reset is not None and reset.before["status"] == "confirmed" and reset.after["status"] == "auto"  # type: ignore[index]
    assert reset.detail["voided_appeals"] == [appeal.id]
    # The voided appeal does not count: the agent may appeal the next confirmation.
    review.record_verdict(db, qa, rows["forbidden_promise"].id, "confirmed", None)
    appeals.create_appeal(db, ag, rows["forbidden_promise"].id, "还是没说")
    with pytest.raises(Conflict):
        appeals.create_appeal(db, ag, rows["forbidden_promise"].id, "再申诉")


def test_audit_rows_are_append_only(db: Session) -> None:
    make_branch(db)
    call = _process(db, PROMISE)
    entry = db.scalar(select(ReviewAudit).where(ReviewAudit.call_id == call.id))
    assert entry is not None and entry.action == "analysis_synced"
    entry.action = "tampered"
    with pytest.raises(RuntimeError, match="append-only"):
        db.flush()
    db.rollback()

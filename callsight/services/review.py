"""The stored side of script compliance: findings rows, effective scores, flags,
queue membership and verdicts. Services take a session and never commit.

Re-analysis (``sync_findings`` on every completed run) replaces a call's findings
idempotently, keyed by (call, rule), and keeps finding ids stable:

- a rule whose automatic outcome (applicable, passed) and evidence (segment, text)
  are unchanged keeps its verdict;
- otherwise its verdict is reset to ``auto``, an open appeal on it becomes ``void``,
  and both are written to the audit trail with before / after;
- a rule no longer reported is deleted (audited with its last state).

Flags describe why the engine put the call in front of QA and come from the
automatic result; the scores on the call are the effective ones after verdicts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from callsight.auth import Principal, Role, require_role
from callsight.config import settings
from callsight.db.models import Call, User, utcnow
from callsight.db.review import (
    Appeal,
    AppealStatus,
    Calibration,
    CalibrationCall,
    CalibrationReviewer,
    FindingRow,
    FindingStatus,
    ReviewItem,
    ReviewState,
)
from callsight.errors import Conflict, Forbidden, InvalidInput, NotFound
from callsight.services import review_audit as audit
from callsight.services.calls import get_call
from callsight.services.results import load_result
from core.enums import Severity
from core.jsonio import JsonObject, to_json
from core.result import CallResult, EvidenceSpan, FindingRecord

if TYPE_CHECKING:
    from qa.model import RulePack

SEVERITY_RANK = {"fatal": 3, "major": 2, "minor": 1}
VERDICTS = (FindingStatus.confirmed.value, FindingStatus.dismissed.value)


def rule_pack(session: Session) -> RulePack:
    """The live rule pack (YAML packs plus published versions): scorecards and weights
    for re-scoring. A stamp query per call; the versions are read and compiled only
    after a publish."""
    from callsight import runtime
    from callsight.services.rules import published_if_changed

    return runtime.live_rule_pack(published_if_changed(session, runtime.rules_stamp()))


def current_appeal(session: Session, finding_id: int) -> Appeal | None:
    """The finding's appeal that still counts (a re-analysis voids older ones); a finding
    is appealed at most once, so there is one at the most."""
    return session.scalar(select(Appeal).where(Appeal.finding_id == finding_id,
                                               Appeal.status != AppealStatus.void.value).order_by(Appeal.id.desc()))


def sample_hit(call_id: str, share: float) -> bool:
    """Deterministic sampling: the same call id always gets the same answer."""
    if share <= 0.0:
        return False
    digest = hashlib.sha256(f"review-sample:{call_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def _evidence_key(evidence: Sequence[EvidenceSpan]) -> list[tuple[int, str]]:
    return [(e.segment, e.text) for e in evidence]


def snapshot(row: FindingRow) -> JsonObject:
    """The finding's state as the audit trail stores it (a JSON column)."""
    return {
        "rule": row.rule,
        "applicable": row.applicable,
        "passed": row.passed,
        "status": row.status,
        "effective_passed": row.effective_passed,
        "verdict_by_id": row.verdict_by_id,
        "verdict_comment": row.verdict_comment,
        "evidence": [list(k) for k in _evidence_key(row.spans)],
    }


def _effective(row: FindingRow) -> bool:
    return bool(row.passed or row.status == FindingStatus.dismissed.value)


def _call_summary(call: Call) -> JsonObject:
    return {"flagged": call.flagged, "service_score": call.service_score,
            "marketing_score": call.marketing_score, "review_state": call.review_state}


def card_scores(scores: Mapping[str, float]) -> tuple[float | None, float | None]:
    """The two scorecards the call row carries: (service, marketing)."""
    return scores.get("service"), scores.get("marketing")


# Why the engine put a call in front of QA (stored as JSON in calls.flag_reasons; ``code``
# comes first in each object, as clients read it).
@dataclass(frozen=True, slots=True)
class FailedRule:
    code: str = field(default="failed_rule", init=False)
    rule: str
    severity: Severity
    fatal: bool


@dataclass(frozen=True, slots=True)
class ComplaintRiskHigh:
    code: str = field(default="complaint_risk_high", init=False)
    evidence: tuple[str, ...]  # the first three reasons


@dataclass(frozen=True, slots=True)
class LowServiceScore:
    code: str = field(default="low_service_score", init=False)
    score: float
    threshold: float


FlagReason = FailedRule | ComplaintRiskHigh | LowServiceScore


def _findings(result: CallResult) -> list[FindingRecord]:
    return [f for f in result.findings if f.rule]


def flag_reasons(result: CallResult, low_score: float) -> list[FlagReason]:
    """Why a call goes to the review queue, from the engine's automatic result."""
    fatal = set(result.compliance.fatal) if result.compliance is not None else set()
    reasons: list[FlagReason] = [FailedRule(f.rule, f.severity, f.rule in fatal)
                                 for f in _findings(result) if f.failed]
    if result.complaint_risk is not None and result.complaint_risk.level == "high":
        reasons.append(ComplaintRiskHigh(tuple(e.reason for e in result.complaint_risk.evidence)[:3]))
    service, _ = card_scores(result.compliance.scores) if result.compliance is not None else (None, None)
    if service is not None and service < low_score:
        reasons.append(LowServiceScore(float(service), low_score))
    return reasons


def _reset_verdict(session: Session, row: FindingRow, new: FindingRecord) -> None:
    before = snapshot(row)
    row.status = FindingStatus.auto.value
    row.verdict_by_id = None
    row.verdict_comment = None
    row.verdict_at = None
    voided = session.scalars(
        select(Appeal.id).where(Appeal.finding_id == row.id, Appeal.status == AppealStatus.open.value)
    ).all()
    if voided:
        session.execute(update(Appeal).where(Appeal.id.in_(voided)).values(status=AppealStatus.void.value))
    after = {"passed": new.passed, "applicable": new.applicable,
             "status": FindingStatus.auto.value, "evidence": [list(k) for k in _evidence_key(new.evidence)]}
    audit.record(session, None, "verdict_reset", call_id=row.call_id, finding_id=row.id, before=before,
                 after=after, reason="re-analysis changed the automatic outcome or its evidence",
                 voided_appeals=list(voided))


def sync_findings(session: Session, call: Call, result: CallResult, *,
                  sample_share: float | None = None, low_score: float | None = None) -> list[FindingRow]:
    """Replace the call's findings from ``result.compliance`` (the call's own result,
    typed) and refresh its scores, flags, queue entry and review state (idempotent)."""
    share = settings.review_sample_share if sample_share is None else sample_share
    threshold = settings.review_low_score if low_score is None else low_score
    compliance = result.compliance
    raw = _findings(result)
    fatal_ids = set(compliance.fatal) if compliance is not None else set()
    existing = {r.rule: r for r in session.scalars(select(FindingRow).where(FindingRow.call_id == call.id))}
    before = _call_summary(call) if existing else None
    cards = {r.id: r.scorecard for r in rule_pack(session).rules} if raw else {}
    rows: list[FindingRow] = []
    for f in raw:
        rule = f.rule[:64]
        applicable, passed = f.applicable, f.passed
        row = existing.pop(rule, None)
        if row is None:
            row = FindingRow(call_id=call.id, rule=rule, status=FindingStatus.auto.value)
            session.add(row)
        elif (row.applicable, row.passed, _evidence_key(row.spans)) != (
                applicable, passed, _evidence_key(f.evidence)):
            if row.status != FindingStatus.auto.value:
                _reset_verdict(session, row, f)
            else:
                audit.record(session, None, "reanalysis_changed", call_id=call.id, finding_id=row.id,
                             before=snapshot(row), after={"applicable": applicable, "passed": passed,
                                                          "evidence": _evidence_key(f.evidence)})
        row.title = f.title[:200]
        row.severity = f.severity
        row.scorecard = cards.get(rule)
        row.applicable, row.passed = applicable, passed
        row.confidence = f.confidence
        row.evidence = [to_json(e) for e in f.evidence]
        row.fatal = rule in fatal_ids
        row.effective_passed = _effective(row)
        rows.append(row)
    for gone in existing.values():
        audit.record(session, None, "finding_removed", call_id=call.id, finding_id=gone.id,
                     before=snapshot(gone), after=None, reason="rule no longer reported by the rule pack")
        session.delete(gone)
    session.flush()
    reasons = [to_json(r) for r in flag_reasons(result, threshold)]  # the JSON column's shape
    call.flagged = bool(reasons)
    call.flag_reasons = reasons or None
    _ensure_queued(session, call, rows, share)
    refresh(session, call, rows, result)
    audit.record(session, None, "analysis_synced", call_id=call.id, before=before, after=_call_summary(call),
                 rule_pack=compliance.rule_pack if compliance is not None else None, findings=len(rows),
                 flag_reasons=reasons)
    return rows


def _ensure_queued(session: Session, call: Call, rows: Sequence[FindingRow], share: float) -> None:
    item = session.get(ReviewItem, call.id)
    kind = "flagged" if call.flagged else ("sample" if sample_hit(call.id, share) else None)
    if item is None:
        if kind is not None:
            session.add(ReviewItem(call_id=call.id, kind=kind))
            session.flush()
        return
    if kind == "flagged":
        item.kind = kind
    reviewed = any(r.status != FindingStatus.auto.value for r in rows)
    if kind is None and item.kind != "manual" and item.assignee_id is None and not reviewed:
        # The call no longer needs review and nobody has touched it: it leaves the queue.
        session.delete(item)
        session.flush()
    elif item.closed_at is not None and any(r.reviewable and r.status == FindingStatus.auto.value for r in rows):
        item.closed_at = None  # a reset verdict reopens the review


def derive_state(item: ReviewItem | None, rows: Sequence[FindingRow]) -> ReviewState:
    if item is None:
        return ReviewState.none
    if item.closed_at is not None:
        return ReviewState.closed
    reviewable = [r for r in rows if r.reviewable]
    if reviewable and all(r.status != FindingStatus.auto.value for r in reviewable):
        return ReviewState.reviewed
    if item.assignee_id is not None or any(r.status != FindingStatus.auto.value for r in rows):
        return ReviewState.in_review
    return ReviewState.queued


def refresh(session: Session, call: Call, rows: Sequence[FindingRow] | None = None,
            result: CallResult | None = None) -> None:
    """Recompute effective scores (qa.rescore over the verdicts), queue priority and state.
    ``result``: the call's result when the caller holds it typed already (else it is read)."""
    from qa.engine import rescore
    from qa.model import Finding

    if rows is None:
        rows = list(session.scalars(select(FindingRow).where(FindingRow.call_id == call.id)))
    if result is None:
        result = load_result(call)
    engine_scores = result.compliance.scores if result is not None and result.compliance is not None else {}
    if rows and engine_scores and not any(r.status == FindingStatus.dismissed.value for r in rows):
        # No verdict changed an outcome: the engine's own scores stand, computed with
        # the pack that produced the findings (which may include published rule versions).
        call.service_score, call.marketing_score = card_scores(engine_scores)
    elif rows:
        scored = rescore(rule_pack(session), [
            # The severity was stored from the engine's FindingRecord: one of Severity's values.
            (Finding(r.rule, r.title, cast(Severity, r.severity), r.passed, r.applicable, (), r.confidence),
             FindingStatus.dismissed.value if r.status == FindingStatus.dismissed.value else None)
            for r in rows
        ])
        call.service_score, call.marketing_score = card_scores(scored.scores)
    else:
        call.service_score = call.marketing_score = None
    item = session.get(ReviewItem, call.id)
    if item is not None:
        standing = [r for r in rows if r.applicable and not r.effective_passed]
        item.fatal = any(r.fatal for r in standing)
        item.severity_rank = max((SEVERITY_RANK.get(r.severity, 0) for r in standing), default=0)
        item.complaint_high = result is not None and result.complaint_level == "high"
    call.review_state = derive_state(item, rows).value


def is_lead(session: Session, principal: Principal) -> bool:
    """Admins and senior reviewers assign work to others and rule on appeals."""
    if principal.role is Role.admin:
        return True
    user = session.get(User, principal.user_id)
    return principal.role is Role.qa and user is not None and user.is_senior


def get_finding(session: Session, finding_id: int, principal: Principal) -> tuple[FindingRow, Call]:
    row = session.get(FindingRow, finding_id)
    if row is None:
        raise NotFound(f"no finding with id {finding_id}")
    return row, get_call(session, row.call_id, principal)


def list_findings(session: Session, call_id: str, principal: Principal) -> tuple[Call, list[FindingRow]]:
    call = get_call(session, call_id, principal)
    rows = session.scalars(select(FindingRow).where(FindingRow.call_id == call.id).order_by(FindingRow.id)).all()
    return call, list(rows)


def blind_to_live_verdicts(session: Session, principal: Principal, call_id: str) -> bool:
    """A member of an open calibration on this call must not see others' verdicts on it."""
    return session.scalar(
        select(CalibrationCall.call_id)
        .join(Calibration, Calibration.id == CalibrationCall.calibration_id)
        .join(CalibrationReviewer, CalibrationReviewer.calibration_id == Calibration.id)
        .where(CalibrationCall.call_id == call_id, Calibration.status == "open",
               CalibrationReviewer.user_id == principal.user_id)
        .limit(1)
    ) is not None


def queue_item_for(session: Session, call: Call) -> ReviewItem:
    """The call's queue entry, created by hand ('manual') when it was not queued."""
    item = session.get(ReviewItem, call.id)
    if item is None:
        item = ReviewItem(call_id=call.id, kind="manual")
        session.add(item)
        session.flush()
    return item


def record_verdict(session: Session, principal: Principal, finding_id: int, verdict: str,
                   comment: str | None) -> FindingRow:
    """A reviewer confirms or dismisses a failed finding; the call is re-scored."""
    require_role(principal, Role.admin, Role.qa)
    if verdict not in VERDICTS:
        raise InvalidInput(f"verdict: must be one of {', '.join(VERDICTS)}, not '{verdict}'",
                           details=[{"field": "verdict", "problem": f"one of {', '.join(VERDICTS)}"}])
    row, call = get_finding(session, finding_id, principal)
    if not row.reviewable:
        raise Conflict(f"finding {finding_id} ({row.rule}) did not fail: only failed findings take a verdict",
                       code="not_reviewable")
    appeal = current_appeal(session, row.id)
    if appeal is not None:
        raise Conflict(f"finding {finding_id} is under appeal {appeal.id} ({appeal.status}): "
                       "only the appeal ruling changes it now", code="under_appeal")
    item = queue_item_for(session, call)
    if item.closed_at is not None:
        raise Conflict(f"the review of call {call.id} is closed", code="review_closed")
    if item.assignee_id not in (None, principal.user_id) and not is_lead(session, principal):
        raise Forbidden("this call is assigned to another reviewer")
    if item.assignee_id is None:
        item.assignee_id, item.assigned_at = principal.user_id, utcnow()
        audit.record(session, principal, "assigned", call_id=call.id, before={"assignee_id": None},
                     after={"assignee_id": principal.user_id}, how="claimed by verdict")
    before = snapshot(row)
    row.status = verdict
    row.verdict_by_id = principal.user_id
    row.verdict_comment = comment
    row.verdict_at = utcnow()
    row.effective_passed = _effective(row)
    audit.record(session, principal, "verdict", call_id=call.id, finding_id=row.id, before=before,
                 after=snapshot(row), scores_before=_call_summary(call))
    refresh(session, call)
    return row


def close_review(session: Session, principal: Principal, call_id: str) -> ReviewItem:
    require_role(principal, Role.admin, Role.qa)
    call = get_call(session, call_id, principal)
    item = session.get(ReviewItem, call.id)
    if item is None:
        raise Conflict(f"call {call_id} is not in the review queue", code="not_queued")
    if item.closed_at is not None:
        raise Conflict(f"the review of call {call_id} is already closed", code="review_closed")
    if item.assignee_id not in (None, principal.user_id) and not is_lead(session, principal):
        raise Forbidden("this call is assigned to another reviewer")
    rows = list(session.scalars(select(FindingRow).where(FindingRow.call_id == call.id)))
    pending = [r.rule for r in rows if r.reviewable and r.status == FindingStatus.auto.value]
    if pending:
        raise Conflict(f"findings still without a verdict: {', '.join(pending)}", code="verdicts_missing",
                       details={"rules": pending})
    before = call.review_state
    item.closed_at = utcnow()
    refresh(session, call, rows)
    audit.record(session, principal, "review_closed", call_id=call.id, before={"review_state": before},
                 after={"review_state": call.review_state})
    return item

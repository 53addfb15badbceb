"""Request and response models of the QA review API (they shape the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight import privacy
from callsight.db.models import Call, User
from callsight.db.review import Appeal
from core.jsonio import JsonObject


def mask_json(value: Any) -> Any:
    """Mask personal numbers in every string of a JSON value (audit before/after)."""
    if isinstance(value, str):
        return privacy.mask_text(value)
    if isinstance(value, list):
        return [mask_json(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_json(v) for k, v in value.items()}
    return value


class EvidenceOut(BaseModel):
    segment: int = Field(examples=[2])
    start: float = Field(examples=[9.6])
    end: float = Field(examples=[14.2])
    text: str = Field(examples=["给您推荐一款基金，这个是保本的"])


class AppealOut(BaseModel):
    id: int
    finding_id: int
    call_id: str
    rule: str | None = Field(default=None, examples=["forbidden_promise"])
    rule_title: str | None = Field(default=None, examples=["禁止承诺保本保收益"],
                                   description="the rule's title, for people (the id is for programs)")
    appellant: str | None = Field(default=None, examples=["张坐席"])
    reason: str = Field(examples=["我说的是“不保本”，转写漏了“不”字"])
    status: str = Field(examples=["open"], description="open | upheld | overturned | void")
    ruled_by: str | None = None
    ruling_comment: str | None = None
    created_at: datetime
    ruled_at: datetime | None = None


class FindingOut(BaseModel):
    id: int
    call_id: str
    rule: str = Field(examples=["forbidden_promise"])
    title: str = Field(examples=["禁止承诺保本保收益"])
    severity: str = Field(examples=["fatal"])
    scorecard: str | None = Field(default=None, examples=["marketing"])
    applicable: bool
    passed: bool = Field(description="the engine's automatic result")
    confidence: float = Field(examples=[1.0])
    fatal: bool = Field(description="the engine reported this failed item as fatal (一票否决)")
    status: str | None = Field(examples=["confirmed"],
                               description="auto | confirmed | dismissed; null while you review it blind")
    effective_passed: bool | None = Field(description="after verdicts and appeals; null while blind")
    verdict_by: str | None = None
    verdict_comment: str | None = None
    verdict_at: datetime | None = None
    evidence: list[EvidenceOut]
    appeal: AppealOut | None = None


class CallReviewOut(BaseModel):
    call_id: str
    review_state: str = Field(examples=["in_review"], description="none | queued | in_review | reviewed | closed")
    service_score: float | None = Field(examples=[85.0])
    marketing_score: float | None = Field(examples=[0.0])
    flagged: bool
    flag_reasons: list[JsonObject] | None = Field(
        default=None, examples=[[{"code": "failed_rule", "rule": "forbidden_promise", "severity": "fatal",
                                  "fatal": True}, {"code": "complaint_risk_high", "evidence": ["威胁向监管部门投诉"]}]])


class CallFindingsOut(CallReviewOut):
    blind: bool = Field(description="you are in an open calibration on this call: verdicts are hidden")
    pii_masked: bool
    findings: list[FindingOut]


class VerdictIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"verdict": "confirmed",
                                                               "comment": "坐席明确承诺保本，属实"}]})
    verdict: Literal["confirmed", "dismissed"]
    comment: str | None = Field(default=None, max_length=2000)


class VerdictResult(BaseModel):
    finding: FindingOut
    call: CallReviewOut


class AppealIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "我说的是“不保本”，转写漏了“不”字"}]})
    reason: str = Field(min_length=1, max_length=2000)


class RulingIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"decision": "overturned",
                                                               "comment": "复听录音，坐席说的是不保本"}]})
    decision: Literal["upheld", "overturned"]
    comment: str | None = Field(default=None, max_length=2000)


class RulingResult(BaseModel):
    appeal: AppealOut
    call: CallReviewOut


class AppealList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AppealOut]


class AssignmentIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"call_ids": ["3f2c9a7e5b0d4e6f8a1b2c3d4e5f6a7b"], "reviewer_id": 7}]})
    call_ids: list[str] = Field(min_length=1, max_length=500)
    reviewer_id: int | None = Field(default=None, description="omit to claim the calls yourself")


class AssignmentOut(BaseModel):
    call_id: str
    assignee_id: int | None
    assignee: str | None = Field(default=None, examples=["王质检"])
    assigned_at: datetime | None
    review_state: str


class AssignmentList(BaseModel):
    items: list[AssignmentOut]


class FailedRuleOut(BaseModel):
    finding_id: int
    rule: str = Field(examples=["forbidden_promise"])
    title: str = Field(default="", examples=["禁止承诺保本保收益"], description="the rule's title, for people")
    severity: str = Field(examples=["fatal"])
    fatal: bool
    status: str = Field(examples=["auto"])


class QueueItemOut(BaseModel):
    call_id: str
    branch: str | None = Field(default=None, examples=["城东支行"])
    agent: str | None = Field(default=None, examples=["A1023"])
    started_at: datetime | None = None
    kind: str = Field(examples=["flagged"], description="flagged | sample | manual")
    review_state: str = Field(examples=["queued"])
    flagged: bool
    flag_reasons: list[JsonObject] | None = None
    service_score: float | None = Field(default=None, examples=[40.0])
    marketing_score: float | None = Field(default=None, examples=[0.0])
    fatal: bool = Field(description="a fatal item still stands (not dismissed)")
    severity_rank: int = Field(examples=[3], description="worst standing failed item: 3 fatal, 2 major, 1 minor")
    complaint_risk_high: bool
    failed_rules: list[FailedRuleOut]
    assignee_id: int | None = None
    assignee: str | None = None
    assigned_at: datetime | None = None
    entered_at: datetime


class QueueOut(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[QueueItemOut]


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor_id: int | None = Field(description="null: the system (re-analysis)")
    actor: str = Field(examples=["王质检"])
    action: str = Field(examples=["verdict"], description="verdict, appeal, ruling, finding_overturned, assigned, "
                        "review_closed, verdict_reset, reanalysis_changed, finding_removed, analysis_synced, "
                        "calibration_assigned, calibration_verdict, calibration_closed")
    call_id: str | None
    finding_id: int | None
    appeal_id: int | None
    calibration_id: int | None
    before: JsonObject | None
    after: JsonObject | None
    detail: JsonObject


class AuditOut(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[AuditEntryOut]


class RulePrecisionOut(BaseModel):
    rule: str = Field(examples=["forbidden_promise"])
    title: str
    reviewed: int = Field(examples=[40])
    confirmed: int = Field(examples=[36])
    dismissed: int = Field(examples=[4])
    precision: float | None = Field(examples=[0.9], description="confirmed / reviewed; null when none reviewed")


class RulePrecisionList(BaseModel):
    date_from: datetime | None = Field(serialization_alias="from")
    date_to: datetime | None = Field(serialization_alias="to")
    rules: list[RulePrecisionOut]


class CalibrationIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"title": "十月校准", "call_ids": ["3f2c9a7e5b0d4e6f8a1b2c3d4e5f6a7b"], "reviewer_ids": [7, 8]}]})
    title: str = Field(default="", max_length=200)
    call_ids: list[str] = Field(min_length=1, max_length=200)
    reviewer_ids: list[int] = Field(min_length=2, max_length=50)


class CalibrationVerdictIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"finding_id": 12, "verdict": "dismissed"}]})
    finding_id: int
    verdict: Literal["confirmed", "dismissed"]
    comment: str | None = Field(default=None, max_length=2000)


class CalibrationVerdictOut(BaseModel):
    calibration_id: int
    finding_id: int
    rule: str
    verdict: str
    comment: str | None


class RaterVerdict(BaseModel):
    reviewer_id: int
    verdict: str


class ReviewerProgress(BaseModel):
    reviewer_id: int
    verdicts: int


class CalibrationItemOut(BaseModel):
    finding_id: int
    call_id: str
    rule: str
    verdicts: list[RaterVerdict]


class RuleAgreementOut(BaseModel):
    rule: str = Field(examples=["forbidden_promise"], description="'*' = all rules together")
    items: int = Field(description="failed findings rated by every reviewer")
    incomplete: int = Field(description="rated by some reviewers only; left out")
    method: str | None = Field(examples=["cohen"], description="cohen (2 reviewers) | fleiss (more)")
    observed: float | None = Field(examples=[0.9])
    kappa: float | None = Field(examples=[0.78], description="null when undefined (every rating the same)")


class CalibrationOut(BaseModel):
    id: int
    title: str
    status: str = Field(examples=["open"])
    created_by_id: int | None
    created_at: datetime
    closed_at: datetime | None
    reviewer_ids: list[int]
    call_ids: list[str]
    blind: bool = Field(description="true: you see only your own verdicts until the session closes")
    progress: list[ReviewerProgress] = Field(default_factory=list, description="verdicts given so far")
    items: list[CalibrationItemOut]
    agreement: list[RuleAgreementOut] | None = None
    overall: RuleAgreementOut | None = None


# Builders shared by the review routes.


def user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {uid: name for uid, name in session.execute(select(User.id, User.name).where(User.id.in_(wanted)))}


def call_review(call: Call) -> CallReviewOut:
    return CallReviewOut(call_id=call.id, review_state=call.review_state, service_score=call.service_score,
                         marketing_score=call.marketing_score, flagged=call.flagged, flag_reasons=call.flag_reasons)


def appeal_out(a: Appeal, names: dict[int, str], rule: str | None = None, rule_title: str | None = None) -> AppealOut:
    return AppealOut(id=a.id, finding_id=a.finding_id, call_id=a.call_id, rule=rule, rule_title=rule_title,
                     appellant=names.get(a.appellant_id or -1), reason=a.reason, status=a.status,
                     ruled_by=names.get(a.ruled_by_id or -1), ruling_comment=a.ruling_comment,
                     created_at=a.created_at, ruled_at=a.ruled_at)

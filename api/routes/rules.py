"""Rule development: the active pack, drafts, testing on a dialogue, backtests, publishing.

QA and admins only (managers and agents get 403). Any QA may draft, test and
backtest; publishing needs an admin or a senior QA reviewer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, status
from pydantic import BaseModel, ConfigDict, Field

from api.deps import PrincipalDep, SessionDep
from api.params import IdPath, IsoDateTime, StrictCount, StrictFlag
from api.routes.calls import TRANSCRIPT_EXAMPLE
from callsight.auth import Principal
from callsight.db.rules import RuleVersion
from callsight.errors import Forbidden
from callsight.services import rule_backtest as bt
from callsight.services import rules as svc
from core.jsonio import JsonObject, to_json

router = APIRouter(prefix="/v1/rules", tags=["rules"])

DRAFT_EXAMPLE = """rules:
  - id: forbidden_promise
    title: 禁止承诺（保本、保收益、稳赚不赔等）
    severity: fatal
    scorecard: marketing
    weight: 30
    scope: agent
    mode: must_not
    condition:
      keywords:
        terms: [保本, 稳赚不赔, 零风险, 肯定赚]
        negation: exclude
        hypothesis: exclude
        question: exclude
"""


class RuleOut(BaseModel):
    id: str
    title: str
    severity: str
    scorecard: str | None
    weight: float
    scope: str
    mode: str
    report: bool
    source: str = Field(description="'pack' (a YAML pack file) or 'published' (a database version)")
    version: int | None = Field(description="the published version number; null for a pack rule")
    yaml: str | None = Field(description="the rule as draft-ready YAML")


class ActivePackOut(BaseModel):
    rule_pack: str = Field(examples=["default-1.0+greeting@v3"])
    rules: list[RuleOut]


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    rule_id: str
    version: int
    status: str
    yaml_text: str
    comment: str
    author_id: int | None
    published_by: int | None
    created_at: datetime
    published_at: datetime | None
    retired_at: datetime | None


class DraftIn(BaseModel):
    yaml: str = Field(description="one rule in the pack-file format: a 'rules:' list with one entry",
                      examples=[DRAFT_EXAMPLE])
    comment: str = Field(default="", max_length=2000)


class DraftUpdate(BaseModel):
    yaml: str
    comment: str | None = Field(default=None, max_length=2000)


class TestIn(BaseModel):
    yaml: str | None = Field(default=None, description="a draft's YAML (or give draft_id)")
    draft_id: int | None = Field(default=None, description="a saved rule version (or give yaml)")
    transcript: JsonObject = Field(description="the transcript format of `callsight analyze`",
                                   examples=[TRANSCRIPT_EXAMPLE])
    analysis: JsonObject | None = Field(
        default=None, description="stand-in nlp results for metadata operators, e.g. {\"intents\": {\"primary\": ...}}")


class BacktestIn(BaseModel):
    date_from: IsoDateTime | None = Field(default=None, alias="from")
    date_to: IsoDateTime | None = Field(default=None, alias="to")
    branch: str | None = None
    limit: StrictCount = Field(default=5000, ge=1, le=bt.MAX_LIMIT)
    samples: StrictCount = Field(default=10, ge=0, le=bt.MAX_SAMPLES)
    show_pii: StrictFlag = False


class PublishIn(BaseModel):
    comment: str = Field(default="", max_length=2000)


class PublishOut(BaseModel):
    published: VersionOut
    retired: VersionOut | None
    rule_pack: str


def _out(v: RuleVersion) -> VersionOut:
    return VersionOut.model_validate(v)


def _reveal(principal: Principal, requested: bool) -> bool:
    if requested and not principal.can_see_pii:
        raise Forbidden("your role has no 'pii' permission to see unmasked personal data")
    return requested


@router.get("", response_model=ActivePackOut, summary="The active rule pack: YAML packs plus published versions")
def active_rules(session: SessionDep, principal: PrincipalDep) -> ActivePackOut:
    svc.require_qa(principal)
    pack = svc.active_pack(session)
    pack_yaml = svc.pack_rule_yaml(svc.base_pack())
    published = {r.rule_id: r for r in svc.published_rules(session).rules}
    out = []
    for rule in pack.rules:
        pub = published.get(rule.id) if rule.source.startswith("db:") else None
        out.append(RuleOut(
            id=rule.id, title=rule.title, severity=rule.severity, scorecard=rule.scorecard, weight=rule.weight,
            scope=rule.scope, mode=rule.mode, report=rule.report,
            source="published" if pub is not None else "pack", version=pub.version if pub is not None else None,
            yaml=pub.yaml_text if pub is not None else pack_yaml.get(rule.id),
        ))
    return ActivePackOut(rule_pack=pack.version, rules=out)


@router.get("/{rule_id}/versions", response_model=list[VersionOut], summary="Every stored version of a rule")
def versions(session: SessionDep, principal: PrincipalDep, rule_id: str) -> list[VersionOut]:
    return [_out(v) for v in svc.list_versions(session, principal, rule_id)]


@router.post("/drafts", response_model=VersionOut, status_code=status.HTTP_201_CREATED,
             summary="Save a draft (validated; errors name the line and field)")
def create_draft(session: SessionDep, principal: PrincipalDep, body: DraftIn) -> VersionOut:
    v = svc.create_draft(session, principal, body.yaml, body.comment)
    session.commit()
    return _out(v)


@router.put("/drafts/{version_id}", response_model=VersionOut, summary="Change a draft's YAML or comment")
def update_draft(session: SessionDep, principal: PrincipalDep, version_id: IdPath, body: DraftUpdate) -> VersionOut:
    v = svc.update_draft(session, principal, version_id, body.yaml, body.comment)
    session.commit()
    return _out(v)


@router.post("/test", summary="Test a draft on a pasted dialogue, next to the live version of the rule")
def test_draft(session: SessionDep, principal: PrincipalDep, body: TestIn) -> JsonObject:
    out = bt.test_on_dialogue(session, principal, yaml_text=body.yaml, version_id=body.draft_id,
                              document=body.transcript, analysis=body.analysis)
    session.rollback()  # read-only
    doc: JsonObject = to_json(out)
    return doc


@router.post("/drafts/{version_id}/backtest",
             summary="Re-evaluate a version over stored calls: hits, samples, change against the live version")
def backtest(session: SessionDep, principal: PrincipalDep, version_id: IdPath,
             body: Annotated[BacktestIn, Body()] = BacktestIn()) -> JsonObject:  # noqa: B008
    flt = bt.BacktestFilter(body.date_from, body.date_to, body.branch, body.limit, body.samples)
    out = bt.backtest(session, principal, version_id, flt, reveal_pii=_reveal(principal, body.show_pii))
    session.commit()  # the audit event
    doc: JsonObject = to_json(out)
    return doc


@router.post("/drafts/{version_id}/publish", response_model=PublishOut,
             summary="Make a draft the live version (the previous one is retired); admin or senior QA")
def publish(session: SessionDep, principal: PrincipalDep, version_id: IdPath,
            body: Annotated[PublishIn, Body()] = PublishIn()) -> PublishOut:  # noqa: B008
    prev = svc.publish(session, principal, version_id, body.comment)
    session.commit()
    v = svc.get_version(session, principal, version_id)
    return PublishOut(published=_out(v), retired=_out(prev) if prev is not None else None,
                      rule_pack=svc.active_pack(session).version)

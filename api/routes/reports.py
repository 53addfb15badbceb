"""Branch reports (网点报告), the firm summary, trend alerts, and the calls behind
every figure. Roles: admin and qa (all branches, or a qa's own branches), manager
(own branches only); agents see no reports."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import Session

from api.deps import PrincipalDep, SessionDep
from api.params import MAX_ID, IsoDate, Offset
from callsight.auth import Principal, Role, require_role
from callsight.config import settings
from callsight.db.facts import CallFact
from callsight.db.models import Branch
from callsight.db.reports import Alert, Report
from callsight.errors import Forbidden, InvalidInput, NotFound
from callsight.reports import queries
from callsight.reports.build import alert_json
from callsight.reports.dispatch import generate
from callsight.reports.fonts import find_font
from callsight.reports.render import render_with_font
from callsight.reports.store import report_row, resolve_period
from core.jsonio import JsonObject

router = APIRouter(prefix="/v1", tags=["reports"])
READERS = (Role.admin, Role.qa, Role.manager)


class ReportInfo(BaseModel):
    id: int
    period: str
    kind: str
    branch_id: int | None
    branch: str | None
    status: str
    attempts: int
    error: str | None
    generated_at: str | None
    links: dict[str, str]


class ReportList(BaseModel):
    total: int
    items: list[ReportInfo]
    progress: dict[str, int]


class FactOut(BaseModel):
    call_id: str
    branch_id: int | None
    agent: str | None
    day: date
    intent: str
    complaint_category: str | None
    complaint_risk: str
    openings_detected: int
    openings_taken: int
    converted: bool
    link: str


class FactList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[FactOut]


def _scoped(stmt: Select[Any], col: Any, principal: Principal) -> Select[Any]:
    require_role(principal, *READERS)
    if principal.all_branches:
        return stmt
    return stmt.where(col.in_(principal.branch_ids)) if principal.branch_ids else stmt.where(false())


def _branch(session: Session, principal: Principal, ref: str) -> Branch:
    require_role(principal, *READERS)
    cond = [Branch.code == ref, Branch.name == ref]
    if ref.isdigit():
        cond.append(Branch.id == int(ref))
    branch = session.scalar(select(Branch).where(or_(*cond)))
    if branch is None:
        raise NotFound(f"unknown branch '{ref}'")
    if not principal.all_branches and branch.id not in principal.branch_ids:
        raise Forbidden("you may only read reports of your own branches")
    return branch


def _info(r: Report, names: dict[int, str]) -> ReportInfo:
    target = "firm" if r.branch_id is None else f"branches/{r.branch_id}"
    return ReportInfo(id=r.id, period=r.period, kind=r.kind, branch_id=r.branch_id,
                      branch=names.get(r.branch_id) if r.branch_id is not None else None, status=r.status,
                      attempts=r.attempts, error=r.error,
                      generated_at=r.generated_at.isoformat() if r.generated_at else None,
                      links={"json": f"/v1/reports/{r.period}/{target}",
                             "html": f"/v1/reports/{r.period}/{target}?format=html"})


@router.get("/reports", response_model=ReportList, summary="List reports (and generation progress) in your scope")
def list_reports(
    session: SessionDep, principal: PrincipalDep, period: str | None = None, branch: str | None = None,
    status: Literal["pending", "running", "done", "failed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Offset = 0,
) -> ReportList:
    stmt = select(Report)
    if not principal.all_branches:
        stmt = stmt.where(Report.kind == "branch")  # the firm summary covers other branches too
    stmt = _scoped(stmt, Report.branch_id, principal)
    if period:
        stmt = stmt.where(Report.period == resolve_period(session, period).key)
    if branch:
        stmt = stmt.where(Report.branch_id == _branch(session, principal, branch).id)
    sub = stmt.subquery()
    progress = {str(s): int(n) for s, n in session.execute(select(sub.c.status, func.count()).group_by(sub.c.status))}
    if status:
        stmt = stmt.where(Report.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(session.scalars(stmt.order_by(Report.period.desc(), Report.id).limit(limit).offset(offset)))
    ids = {r.branch_id for r in rows if r.branch_id is not None}
    names = {int(i): str(n) for i, n in session.execute(select(Branch.id, Branch.name).where(Branch.id.in_(ids)))}
    return ReportList(total=total, items=[_info(r, names) for r in rows], progress=progress)


def _content(session: Session, period_text: str, branch_id: int | None) -> JsonObject:
    period = resolve_period(session, period_text)
    scope = "firm" if branch_id is None else f"branch:{branch_id}"
    row = session.scalar(select(Report).where(Report.period == period.key, Report.scope == scope))
    if row is None or row.content is None:
        state = f" (status: {row.status})" if row is not None else ""
        raise NotFound(f"no report for {scope} in {period.key} yet{state}: generate it with "
                       f"`callsight reports --period {period.key}` or wait for the scheduled run")
    return row.content


def _respond(content: JsonObject, fmt: str) -> Any:
    if fmt == "html":
        return HTMLResponse(render_with_font(content, find_font(settings.report_font_file)))
    return content


@router.get("/reports/{period}/branches/{branch}", summary="One branch's report (JSON, or format=html)")
def get_branch_report(
    session: SessionDep, principal: PrincipalDep, period: str, branch: str,
    format: Literal["json", "html"] = "json",
) -> Any:
    b = _branch(session, principal, branch)
    return _respond(_content(session, period, b.id), format)


class GenerateOut(BaseModel):
    period: str
    branches: int
    firm: bool
    progress: str


@router.post("/reports/{period}/generate", status_code=202, response_model=GenerateOut,
             summary="Generate (or regenerate) a period's reports in your scope; poll /v1/reports for progress")
def generate_reports(session: SessionDep, principal: PrincipalDep, period: str) -> GenerateOut:
    require_role(principal, *READERS)
    target = resolve_period(session, period)
    ids = list(session.scalars(_scoped(select(Branch.id), Branch.id, principal).order_by(Branch.id)))
    firm = principal.all_branches
    for bid in [*ids, *([None] if firm else [])]:
        row = report_row(session, target, bid)
        row.status, row.error = "pending", None
    session.commit()  # pending rows first: the console polls them from the first second
    generate(target.key, ids, firm)
    return GenerateOut(period=target.key, branches=len(ids), firm=firm,
                       progress=f"/v1/reports?period={target.key}")


@router.get("/reports/{period}/firm", summary="The firm-level summary: branches ranked, outliers (admin, qa)")
def get_firm_report(
    session: SessionDep, principal: PrincipalDep, period: str,
    format: Literal["json", "html"] = "json",
) -> Any:
    require_role(principal, Role.admin, Role.qa)
    if not principal.all_branches:
        raise Forbidden("the firm summary covers every branch: only admins and firm-wide QA may read it")
    return _respond(_content(session, period, None), format)


@router.get("/alerts", summary="Trend alerts (sudden changes against the trailing baseline) in your scope")
def list_alerts(
    session: SessionDep, principal: PrincipalDep, period: str | None = None, branch: str | None = None,
    metric: Literal["volume", "complaint_rate", "negative_share"] | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Offset = 0,
) -> JsonObject:
    stmt = _scoped(select(Alert), Alert.branch_id, principal)
    if period:
        stmt = stmt.where(Alert.period == resolve_period(session, period).key)
    if branch:
        stmt = stmt.where(Alert.branch_id == _branch(session, principal, branch).id)
    if metric:
        stmt = stmt.where(Alert.metric == metric)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Alert.period.desc(), Alert.p_value, Alert.id).limit(limit).offset(offset))
    return {"total": total, "items": [alert_json(a) for a in rows]}


@router.get("/reports/calls", response_model=FactList,
            summary="The calls behind a report figure (every number in a report links here)")
def report_calls(
    session: SessionDep, principal: PrincipalDep,
    date_from: Annotated[IsoDate, Query(alias="from")], date_to: Annotated[IsoDate, Query(alias="to")],
    branch_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    intent: str | None = None, category: str | None = None,
    agent: str | None = None, risk: Literal["high", "low", "none"] | None = None,
    opening: Literal["detected", "taken"] | None = None, converted: bool | None = None,
    complaint: bool | None = None, rule_failed: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100, offset: Offset = 0,
) -> FactList:
    if date_to <= date_from:
        raise InvalidInput("'to' (exclusive) must be after 'from'")
    if branch_id is not None:
        _branch(session, principal, str(branch_id))
    stmt = _scoped(select(CallFact), CallFact.branch_id, principal).where(
        CallFact.day >= date_from, CallFact.day < date_to)
    filters = {CallFact.branch_id: branch_id, CallFact.primary_intent: intent, CallFact.complaint_category: category,
               CallFact.agent_code: agent, CallFact.complaint_risk: risk, CallFact.converted: converted}
    stmt = stmt.where(*(col == v for col, v in filters.items() if v is not None))
    if opening:
        stmt = stmt.where((CallFact.openings_taken if opening == "taken" else CallFact.openings_detected) > 0)
    if complaint is not None:
        col = CallFact.complaint_category
        stmt = stmt.where(col.is_not(None) if complaint else col.is_(None))
    if rule_failed:
        if not queries.review_available(session):
            raise InvalidInput("rule filters need the QA review tables (findings)")
        f = queries.findings_t
        stmt = stmt.where(CallFact.call_id.in_(select(f.c.call_id).where(
            f.c.rule == rule_failed, f.c.applicable.is_(True), f.c.effective_passed.is_(False))))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(CallFact.day, CallFact.call_id).limit(limit).offset(offset))
    return FactList(total=total, limit=limit, offset=offset, items=[
        FactOut(call_id=r.call_id, branch_id=r.branch_id, agent=r.agent_code, day=r.day, intent=r.primary_intent,
                complaint_category=r.complaint_category, complaint_risk=r.complaint_risk,
                openings_detected=r.openings_detected, openings_taken=r.openings_taken, converted=r.converted,
                link=f"/v1/calls/{r.call_id}") for r in rows])

"""The QA workspace API (issue 14): saved views, bulk verdicts, the calibration list,
and CSV / XLSX export of the queue and of transcript search."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel, Field

from api.deps import PrincipalDep, SessionDep
from api.params import MAX_ID, IsoDateTime
from api.routes.review import finding_out
from api.routes.review_schemas import FindingOut, user_names
from callsight import privacy
from callsight.db.console import SavedView
from callsight.services import calls as calls_svc
from callsight.services import review_queue
from callsight.services import workspace as svc

router = APIRouter(prefix="/v1", tags=["workspace"])

ExportFormat = Annotated[Literal["csv", "xlsx"], Query(alias="format", description="csv (UTF-8 with BOM) or xlsx")]
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class ViewIn(BaseModel):
    page: Literal["queue", "calls", "search"] = Field(description="the console page the view belongs to")
    name: str = Field(min_length=1, max_length=100, examples=["城东支行致命项"])
    query: str = Field(default="", max_length=2000, examples=["branch=城东支行&rule=forbidden_promise"],
                       description="the page's filters as a URL query string")


class ViewOut(ViewIn):
    id: int
    created_at: datetime


class BulkVerdictIn(BaseModel):
    finding_ids: list[int] = Field(min_length=1, max_length=svc.MAX_BULK, examples=[[12, 13, 40]])
    verdict: Literal["confirmed", "dismissed"]
    comment: str | None = Field(default=None, max_length=2000)


class BulkVerdictOut(BaseModel):
    count: int
    findings: list[FindingOut]


class Reviewer(BaseModel):
    id: int
    name: str
    senior: bool = False


class CalibrationSummary(BaseModel):
    id: int
    title: str
    status: str = Field(description="open | closed")
    created_by: str | None
    created_at: datetime
    closed_at: datetime | None
    reviewers: list[Reviewer]


def _view(v: SavedView) -> ViewOut:
    return ViewOut.model_validate({"id": v.id, "page": v.page, "name": v.name, "query": v.query,
                                   "created_at": v.created_at})


@router.get("/views", response_model=list[ViewOut], summary="Your saved views of a console list page")
def get_views(session: SessionDep, principal: PrincipalDep,
              page: Annotated[Literal["queue", "calls", "search"], Query(description="queue | calls | search")],
              ) -> list[ViewOut]:
    return [_view(v) for v in svc.list_views(session, principal, page)]


@router.post("/views", response_model=ViewOut, status_code=status.HTTP_201_CREATED,
             summary="Save (or replace, by name) a view: the page's filters under a name")
def post_view(session: SessionDep, principal: PrincipalDep, body: ViewIn) -> ViewOut:
    view = svc.save_view(session, principal, body.page, body.name, body.query)
    session.commit()
    return _view(view)


@router.delete("/views/{view_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete one of your views")
def delete_view(session: SessionDep, principal: PrincipalDep,
                view_id: Annotated[int, Path(ge=1, le=MAX_ID, description="the saved view's id")]) -> Response:
    svc.delete_view(session, principal, view_id)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/findings/verdicts", response_model=BulkVerdictOut,
             summary="One verdict on many failed findings, all or nothing",
             description="Roles: qa, admin. Each finding is judged as by POST /v1/findings/{id}/verdict; the first "
             "one that cannot take the verdict (scope, appeal, not failed) fails the whole batch with its id.")
def post_bulk_verdicts(session: SessionDep, principal: PrincipalDep, body: BulkVerdictIn) -> BulkVerdictOut:
    # A failure raises before the commit: the session closes and nothing of the batch is kept.
    rows = svc.bulk_verdicts(session, principal, body.finding_ids, body.verdict, body.comment)
    session.commit()
    return BulkVerdictOut(count=len(rows), findings=[finding_out(session, r) for r in rows])


@router.get("/review/calibrations", response_model=list[CalibrationSummary],
            summary="Calibration sessions: all for leads, your own for other reviewers")
def get_calibrations(session: SessionDep, principal: PrincipalDep) -> list[CalibrationSummary]:
    cals = svc.list_calibrations(session, principal)
    ids = {c.id: svc.members(session, c.id) for c in cals}
    wanted: set[int | None] = {u for m in ids.values() for u in m}
    names = user_names(session, wanted | {c.created_by_id for c in cals})
    return [CalibrationSummary(id=c.id, title=c.title, status=c.status, created_by=names.get(c.created_by_id or -1),
                               created_at=c.created_at, closed_at=c.closed_at,
                               reviewers=[Reviewer(id=u, name=names.get(u, str(u))) for u in ids[c.id]])
            for c in cals]


@router.get("/review/reviewers", response_model=list[Reviewer],
            summary="Active QA reviewers and admins (for calibrations and assignment)")
def get_reviewers(session: SessionDep, principal: PrincipalDep) -> list[Reviewer]:
    return [Reviewer(id=u.id, name=u.name, senior=bool(u.is_senior)) for u in svc.reviewers(session, principal)]


def _download(data: bytes, fmt: str, stem: str) -> Response:
    name = f"{stem}-{datetime.now().strftime('%Y%m%d-%H%M')}.{fmt}"
    return Response(content=data, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/review/queue/export", summary="The review queue as CSV or XLSX (same filters as the queue)",
            response_class=Response,
            responses={200: {"content": {MEDIA["csv"]: {}, MEDIA["xlsx"]: {}}}},
            description=f"At most {svc.MAX_EXPORT} calls, most urgent first. Rule titles, Chinese labels.")
def export_queue(
    session: SessionDep,
    principal: PrincipalDep,
    fmt: ExportFormat = "csv",
    branch: Annotated[str | None, Query(description="only calls of this branch (name or code)")] = None,
    agent: Annotated[str | None, Query(description="only calls of this agent code")] = None,
    rule: Annotated[str | None, Query(description="only calls failing this rule id")] = None,
    date_from: Annotated[IsoDateTime | None, Query(alias="from", description="calls started at or after")] = None,
    date_to: Annotated[IsoDateTime | None, Query(alias="to", description="calls started before")] = None,
    state: Annotated[str | None, Query(description="review state, or 'all'")] = None,
    kind: Annotated[str | None, Query(description="flagged | sample | manual")] = None,
    assignee: Annotated[str | None, Query(description="a user id, 'me' or 'none'")] = None,
    min_service: Annotated[float | None, Query(ge=0, le=100, description="service score at least")] = None,
    max_service: Annotated[float | None, Query(ge=0, le=100, description="service score at most")] = None,
) -> Response:
    flt = review_queue.QueueFilter(branch, agent, rule, date_from, date_to, state, kind, assignee,
                                   min_service=min_service, max_service=max_service)
    rows = svc.queue_table(session, principal, flt)
    session.rollback()
    data = svc.to_csv(svc.QUEUE_HEADERS, rows) if fmt == "csv" else svc.to_xlsx(svc.QUEUE_HEADERS, rows, "质检队列")
    return _download(data, fmt, "review-queue")


@router.get("/search/export", summary="Transcript search hits as CSV or XLSX", response_class=Response,
            responses={200: {"content": {MEDIA["csv"]: {}, MEDIA["xlsx"]: {}}}},
            description="The same search as GET /v1/search (personal numbers masked unless you hold 'pii').")
def export_search(
    session: SessionDep,
    principal: PrincipalDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="words to find; \"quoted\" for a phrase")],
    fmt: ExportFormat = "csv",
    branch: Annotated[str | None, Query(description="only calls of this branch (name or code)")] = None,
    agent: Annotated[str | None, Query(description="only calls of this agent code")] = None,
    speaker: Annotated[Literal["agent", "customer"] | None, Query(description="only turns of this speaker")] = None,
    date_from: Annotated[IsoDateTime | None, Query(alias="from", description="calls started at or after")] = None,
    date_to: Annotated[IsoDateTime | None, Query(alias="to", description="calls started before")] = None,
) -> Response:
    flt = calls_svc.CallFilter(branch=branch, agent=agent, date_from=date_from, date_to=date_to)
    hits = calls_svc.search_segments(session, principal, q, svc.MAX_EXPORT, flt, speaker)
    rows: list[list[svc.Cell]] = []
    for s, c in hits:
        when = c.started_at or c.created_at
        rows.append([c.id, c.branch.name if c.branch else "", c.agent_code or "",
                     when.isoformat(timespec="seconds") if when else "", svc.SPEAKERS.get(s.speaker, s.speaker),
                     round(s.start, 1), s.text if principal.can_see_pii else privacy.mask_text(s.text)])
    session.rollback()
    data = svc.to_csv(svc.SEARCH_HEADERS, rows) if fmt == "csv" else svc.to_xlsx(svc.SEARCH_HEADERS, rows, "转写搜索")
    return _download(data, fmt, "transcript-search")

"""Upsell (服务营销): detected openings, 开口 counts, script tests (营销话术测试), an
agent's next-best actions, CRM sales, and the live-suggestion WebSocket (api/routes/live.py).
Every endpoint checks the role and scopes the data (manager: own branches; agent:
own calls). Protocol and decisions: docs/upsell.md."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from api.deps import PrincipalDep, SessionDep
from api.params import IsoDateTime, Offset
from api.routes import live
from callsight.auth import Role, require_role
from callsight.services import next_actions
from callsight.services import upsell as svc
from callsight.services import upsell_reports as reports
from core.jsonio import JsonObject, to_json

router = APIRouter(prefix="/v1", tags=["upsell"])
router.include_router(live.router)

OpeningType = Literal["maturity", "idle_funds", "education", "retirement", "yield_dissatisfaction", "large_inflow",
                      "protection_need"]
From = Annotated[IsoDateTime | None, Query(alias="from", description="ISO 8601; naive values are UTC")]
To = Annotated[IsoDateTime | None, Query(alias="to", description="exclusive")]


class OpeningList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[JsonObject]


class KaikouOut(BaseModel):
    group: str
    date_from: datetime | None
    date_to: datetime | None
    rows: list[JsonObject]


class ScriptTestsOut(BaseModel):
    date_from: datetime | None
    date_to: datetime | None
    scripts: list[JsonObject]


class NextActionsOut(BaseModel):
    agent: str | None
    items: list[JsonObject]


class SaleIn(BaseModel):
    customer: str = Field(min_length=1, max_length=50)
    product: str = Field(min_length=1, max_length=100, description="our product id (large_cd) or its name (大额存单)")
    amount: float = Field(ge=0, strict=True)  # strict: "12.5" or true is not an amount
    sold_at: IsoDateTime
    reference: str = Field(min_length=1, max_length=100, description="the CRM's own id; posting it again is a no-op")


class SaleOut(BaseModel):
    id: int
    reference: str
    customer: str
    product: str
    amount: float
    sold_at: datetime
    created: bool


@router.get("/upsell/openings", response_model=OpeningList,
            summary="Detected upsell openings with their suggested scripts, use and outcome")
def list_openings(
    session: SessionDep, principal: PrincipalDep,
    branch: Annotated[str | None, Query(description="branch name or code")] = None,
    agent: Annotated[str | None, Query(description="agent code (工号)")] = None,
    type_: Annotated[OpeningType | None, Query(alias="type")] = None,
    taken: bool | None = None,
    date_from: From = None, date_to: To = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> OpeningList:
    flt = reports.OpeningFilter(branch, agent, type_, taken, date_from, date_to, limit, offset)
    items, total = reports.list_openings(session, principal, flt)
    return OpeningList(total=total, limit=limit, offset=offset, items=to_json(items))


@router.get("/upsell/kaikou", response_model=KaikouOut,
            summary="开口 counts per agent or branch: openings detected, taken, taken rate (apart from service score)")
def kaikou(session: SessionDep, principal: PrincipalDep, date_from: From = None, date_to: To = None,
           group: Literal["agent", "branch"] = "agent") -> KaikouOut:
    rows = reports.kaikou(session, principal, group, date_from, date_to)
    # The row's key is the group ("agent": "A01" or "branch": "城东支行").
    return KaikouOut(group=group, date_from=date_from, date_to=date_to,
                     rows=[{group: r.name, "openings": r.openings, "taken": r.taken, "taken_rate": r.taken_rate}
                           for r in rows])


@router.get("/upsell/script-tests", response_model=ScriptTestsOut,
            summary="Per script variant: suggested, used, conversions, rate with a 95% Wilson interval")
def script_tests(session: SessionDep, principal: PrincipalDep, date_from: From = None,
                 date_to: To = None) -> ScriptTestsOut:
    scripts = reports.script_tests(session, principal, date_from, date_to)
    return ScriptTestsOut(date_from=date_from, date_to=date_to, scripts=to_json(scripts))


@router.get("/agents/me/next-actions", response_model=NextActionsOut,
            summary="The calling agent's next-best actions from their own calls, newest first")
def my_next_actions(session: SessionDep, principal: PrincipalDep, date_from: From = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 50) -> NextActionsOut:
    items = next_actions.todo(session, principal, limit, date_from)  # with due dates and done marks
    return NextActionsOut(agent=principal.agent_code, items=[to_json(i) for i in items])


@router.post("/crm/sales", response_model=SaleOut, status_code=status.HTTP_201_CREATED,
             responses={200: {"model": SaleOut, "description": "already recorded (same reference)"}},
             summary="A confirmed sale from the CRM (idempotent on reference): the outcome of suggested scripts")
def post_sale(session: SessionDep, principal: PrincipalDep, body: SaleIn, response: Response) -> SaleOut:
    require_role(principal, Role.admin)
    sale = svc.SaleIn(body.customer, body.product, body.amount, body.sold_at, body.reference)
    try:
        row, created = svc.record_sale(session, sale, principal.user_id)
        session.commit()
    except IntegrityError:
        # The same reference posted concurrently: the other request stored it; answer as a repeat.
        session.rollback()
        row, created = svc.record_sale(session, sale, principal.user_id)
    if not created:
        response.status_code = status.HTTP_200_OK
    sold_at = svc.aware(row.sold_at)
    assert sold_at is not None
    return SaleOut(id=row.id, reference=row.reference, customer=row.customer_code, product=row.product,
                   amount=row.amount, sold_at=sold_at, created=created)

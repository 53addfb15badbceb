"""客户之声: topics of what customers said in a period, and how they changed."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import PrincipalDep, SessionDep
from callsight.auth import Role, require_role
from callsight.services import topics as svc

router = APIRouter(prefix="/v1", tags=["topics"])


class TopicOut(BaseModel):
    id: int
    label: str
    terms: list[str]
    size: int
    share: float
    previous_size: int
    examples: list[str]
    calls: int
    previous_calls: int
    call_share: float
    previous_call_share: float | None
    ratio: float | None
    p_value: float | None
    trend: Literal["up", "down", "steady", "unknown"]
    call_ids: list[str]


class TopicsOut(BaseModel):
    from_: str = Field(serialization_alias="from")
    to: str
    branch: str | None
    previous_from: str
    previous_to: str
    utterances: int
    previous_utterances: int
    kept: int
    previous_kept: int
    unassigned: int
    calls: int
    previous_calls: int
    k: int
    fitted_on: int
    silhouette: float | None
    topics: list[TopicOut]


@router.get(
    "/topics",
    response_model=TopicsOut,
    summary="客户之声: customer topics of a period, compared with the previous period",
    description="Clusters the customer turns of the calls started between `from` and `to` (calendar days, "
    "UTC+8, both included) into topics with top terms and example sentences (personal numbers masked), "
    "and tests each topic's share of calls against the previous period of the same length: `trend` is "
    "`up`/`down` only for a significant and large change. Roles: admin, qa, manager (own branches).",
)
def get_topics(
    session: SessionDep,
    principal: PrincipalDep,
    date_from: Annotated[str, Query(alias="from", examples=["2026-10-01"])],
    date_to: Annotated[str, Query(alias="to", examples=["2026-10-31"])],
    branch: Annotated[str | None, Query(examples=["城东支行"])] = None,
    max_call_ids: Annotated[int, Query(ge=0, le=1000)] = 50,
) -> dict[str, object]:
    require_role(principal, Role.admin, Role.qa, Role.manager)
    query = svc.make_query(svc.parse_day(date_from, "from"), svc.parse_day(date_to, "to"), branch)
    report = svc.topics_report(session, principal, query)
    prev_from, prev_to = query.previous
    return {"from_": query.date_from.isoformat(), "to": query.date_to.isoformat(), "branch": query.branch,
            "previous_from": prev_from.isoformat(), "previous_to": prev_to.isoformat(),
            **report.to_json(max_call_ids)}

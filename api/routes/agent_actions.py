"""The agent's next-best actions as a to-do list: mark one done (or open again)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from api.deps import PrincipalDep, SessionDep
from callsight.services import next_actions

router = APIRouter(prefix="/v1", tags=["upsell"])


class MarkIn(BaseModel):
    done: bool = Field(default=True, description="true: done; false: open again")


class MarkOut(BaseModel):
    call_id: str
    key: str
    done: bool
    done_at: str | None


@router.put("/agents/me/next-actions/{call_id}/{key}", response_model=MarkOut,
            summary="Mark one of your next-best actions done (key: <action>:<segment> from the list)")
def mark_action(session: SessionDep, principal: PrincipalDep, call_id: str,
                key: Annotated[str, Path(max_length=80, description="<action>:<segment>, as listed")],
                body: MarkIn) -> MarkOut:
    out = next_actions.mark(session, principal, call_id, key, body.done)
    session.commit()
    return MarkOut(call_id=out.call_id, key=out.key, done=out.done, done_at=out.done_at)

"""An agent's to-do list of next-best actions (issue 14): every action with a due date
(the day the customer named, else a default after the call: high priority the next day,
others within three), the customer, and whether it is done. Marks are kept apart from
the result JSON (``action_marks``), keyed by ``<action>:<segment>``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from callsight.auth import Principal, Role, require_role
from callsight.db.actions import ActionMark
from callsight.db.models import Call
from callsight.errors import Forbidden, NotFound
from callsight.services.results import load_result
from callsight.services.upsell_reports import agent_next_actions
from callsight.timefmt import to_local
from core.enums import ActionId, Priority
from core.result import NextActionRecord

DEFAULT_DUE_DAYS = {"high": 1, "normal": 3}


@dataclass(frozen=True, slots=True)
class TodoItem:
    """One line of the agent's list: the action's fields (``due`` as decided here), the
    call it came from, and its mark. Field order is the JSON key order."""

    action: ActionId | str
    opening: str
    segment: int
    text: str
    priority: Priority
    due: str | None
    date_text: str | None
    script: str | None
    call_id: str
    call: str
    customer: str | None
    call_started_at: str
    key: str
    due_source: Literal["customer", "default", "none"]
    done: bool
    done_at: str | None


def action_key(action: NextActionRecord) -> str:
    return f"{action.action}:{action.segment}"


def _due(action: NextActionRecord, started: str | None) -> tuple[str | None, Literal["customer", "default", "none"]]:
    if action.due:
        return action.due.isoformat(), "customer"  # the day the customer named (到期日、约定时间)
    if not started:
        return None, "none"
    day: date = to_local(datetime.fromisoformat(started)).date()
    return (day + timedelta(days=DEFAULT_DUE_DAYS.get(action.priority, 3))).isoformat(), "default"


def todo(session: Session, principal: Principal, limit: int, date_from: datetime | None) -> list[TodoItem]:
    """Open actions first (earliest due first), then the done ones."""
    items = agent_next_actions(session, principal, limit, date_from)
    ids = {i.call_id for i in items}
    marks = {(m.call_id, m.action_key): m for m in session.scalars(
        select(ActionMark).where(ActionMark.call_id.in_(ids)))} if ids else {}
    out = []
    for item in items:
        a = item.action
        key = action_key(a)
        due, source = _due(a, item.call_started_at)
        mark = marks.get((item.call_id, key))
        out.append(TodoItem(a.action, a.opening, a.segment, a.text, a.priority, due, a.date_text, a.script,
                            item.call_id, f"/v1/calls/{item.call_id}", item.customer, item.call_started_at, key,
                            source, mark is not None, mark.done_at.isoformat() if mark else None))
    out.sort(key=lambda i: (i.done, i.due or "9999", i.priority != "high"))
    return out


@dataclass(frozen=True, slots=True)
class Mark:
    """An action's mark after marking it."""

    call_id: str
    key: str
    done: bool
    done_at: str | None


def mark(session: Session, principal: Principal, call_id: str, key: str, done: bool) -> Mark:
    """Mark one of the agent's own actions done (or open again); idempotent."""
    require_role(principal, Role.agent)
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(f"no call {call_id}")
    if call.agent_code != principal.agent_code:
        raise Forbidden("you may only mark actions of your own calls")
    result = load_result(call)
    if not any(action_key(a) == key for a in (result.next_actions if result is not None else ())):
        raise NotFound(f"call {call_id} has no next action '{key}'")
    existing = session.scalar(select(ActionMark).where(ActionMark.call_id == call_id, ActionMark.action_key == key))
    if done and existing is None:
        existing = ActionMark(call_id=call_id, action_key=key, agent_code=principal.agent_code,
                              user_id=principal.user_id)
        session.add(existing)
        session.flush()
    elif not done and existing is not None:
        session.execute(delete(ActionMark).where(ActionMark.id == existing.id))
        existing = None
    return Mark(call_id, key, existing is not None, existing.done_at.isoformat() if existing else None)

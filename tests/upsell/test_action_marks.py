"""Agents' next-best actions as a to-do list: due dates, customer, marked done (issue 14)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.conftest import Keys
from tests.factories import auth
from tests.upsell.test_api import _seed


def test_actions_have_due_dates_and_can_be_marked_done(client: TestClient, keys: Keys, db: Session) -> None:
    ids = _seed(db)
    items = client.get("/v1/agents/me/next-actions", headers=auth(keys.agent_1024)).json()["items"]
    assert items and all(i["due"] and i["due_source"] in ("customer", "default") for i in items)
    assert all(i["done"] is False and i["key"] == f"{i['action']}:{i['segment']}" for i in items)
    assert all("customer" in i for i in items)
    first = items[0]
    url = f"/v1/agents/me/next-actions/{first['call_id']}/{quote(first['key'], safe='')}"
    done = client.put(url, json={"done": True}, headers=auth(keys.agent_1024))
    assert done.status_code == 200 and done.json()["done"] is True and done.json()["done_at"]
    assert client.put(url, json={"done": True}, headers=auth(keys.agent_1024)).json()["done"] is True  # idempotent
    again = client.get("/v1/agents/me/next-actions", headers=auth(keys.agent_1024)).json()["items"]
    marked = next(i for i in again if i["call_id"] == first["call_id"] and i["key"] == first["key"])
    assert marked["done"] is True and again[-1]["done"] is True  # done ones sort last
    # Someone else's call, an unknown action, a manager: refused.
    assert client.put(url, json={"done": True}, headers=auth(keys.agent_1023)).status_code == 403
    assert client.put(url, json={"done": True}, headers=auth(keys.manager_west)).status_code == 403
    bad = f"/v1/agents/me/next-actions/{ids['west']}/nope:9"
    assert client.put(bad, json={"done": True}, headers=auth(keys.agent_1024)).status_code == 404
    reopened = client.put(url, json={"done": False}, headers=auth(keys.agent_1024)).json()
    assert reopened["done"] is False and reopened["done_at"] is None

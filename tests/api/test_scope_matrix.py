"""Scope of every data route not already covered elsewhere: two branches, two agents,
two customers, calls processed through the real job path (the inline runner). For
each route the principal of the other branch / the other agent is refused (403) or
sees nothing of the other side; the right principal gets 200 and the data. A second
table proves personal numbers stay masked for a principal without the PII permission.

Covered elsewhere: GET /v1/calls, /v1/calls/{id}, /v1/calls/{id}/transcript, /v1/search
(tests/api/test_calls_api.py), WS /v1/live (tests/live), reports (tests/reports)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight.db.models import User
from tests.api.conftest import Keys
from tests.factories import auth, make_user, transcript_doc

PHONE = "13812345678"  # said by the customer in tests.factories.DIALOGUE


@dataclass
class World:
    keys: Keys
    east: str  # call id: 城东支行, agent A1023, customer C-EAST
    west: str  # call id: 城西支行, agent A1024, customer C-WEST
    qa_pii: str


@pytest.fixture
def world(client: TestClient, keys: Keys, db: Session) -> World:
    def ingest(branch: str, agent: str, customer: str) -> str:
        r = client.post("/v1/calls/transcript", json=transcript_doc(branch, agent, customer=customer),
                        headers=auth(keys.admin))
        assert r.status_code == 202, r.text
        call_id: str = r.json()["id"]
        assert client.get(f"/v1/calls/{call_id}", headers=auth(keys.admin)).json()["status"] == "done"
        return call_id

    east, west = ingest("城东支行", "A1023", "C-EAST"), ingest("城西支行", "A1024", "C-WEST")
    # Both calls pass every rule; put them in the QA queue by hand so the queue has rows to scope.
    qa_id = db.scalar(select(User.id).where(User.name == "qa"))
    r = client.post("/v1/review/assignments", json={"call_ids": [east, west], "reviewer_id": qa_id},
                    headers=auth(keys.admin))
    assert r.status_code == 200, r.text
    return World(keys, east, west, make_user(db, "qa", name="qa-pii", pii=True))


# Routes about one call or one customer: (path template, {who: expected status}).
# {call} is the east call, {customer} its customer. 404 for the right principal on
# /audio: the call exists and is readable, but was ingested as a transcript.
SINGLE: list[tuple[str, dict[str, int]]] = [
    ("/v1/calls/{call}/result", {"manager_east": 200, "agent_1023": 200, "manager_west": 403, "agent_1024": 403}),
    ("/v1/calls/{call}/findings", {"manager_east": 200, "agent_1023": 200, "manager_west": 403, "agent_1024": 403}),
    ("/v1/calls/{call}/audio", {"manager_east": 404, "agent_1023": 404, "manager_west": 403, "agent_1024": 403}),
    ("/v1/customers/{customer}/tags", {"manager_east": 200, "agent_1023": 200, "manager_west": 403,
                                       "agent_1024": 403}),
    ("/v1/customers/{customer}/tags/history", {"manager_east": 200, "agent_1023": 200, "manager_west": 403,
                                               "agent_1024": 403}),
    ("/v1/upsell/openings?branch=城东支行", {"manager_east": 200, "manager_west": 403}),
    ("/v1/upsell/openings?agent=A1023", {"agent_1023": 200, "agent_1024": 403}),
    ("/v1/customers?tag=upsell_opening&branch=城东支行", {"manager_east": 200, "manager_west": 403}),
    ("/v1/signals/cadence?branch=城东支行", {"manager_east": 200, "manager_west": 403}),
    ("/v1/topics?from=2026-10-01&to=2026-10-31&branch=城东支行", {"manager_east": 200, "manager_west": 403,
                                                                    "agent_1023": 403}),
    ("/v1/review/queue?branch=城东支行", {"manager_east": 200, "agent_1023": 403}),
    ("/v1/audit?call_id={call}", {"qa": 200, "manager_east": 403, "agent_1023": 403}),
    ("/v1/reports/calls?from=2026-10-01&to=2026-11-01&branch_id={east_branch}", {"manager_east": 200,
                                                                                    "manager_west": 403}),
]


def _get(client: TestClient, w: World, who: str, template: str) -> Any:
    branches = {b["name"]: b["id"] for b in client.get("/v1/branches", headers=auth(w.keys.admin)).json()}
    path = template.format(call=w.east, customer="C-EAST", east_branch=branches["城东支行"])
    key = w.qa_pii if who == "qa_pii" else getattr(w.keys, who)
    return client.get(path, headers=auth(key))


@pytest.mark.parametrize(("template", "expect"), SINGLE, ids=[t for t, _ in SINGLE])
def test_single_resource_scope(client: TestClient, world: World, template: str, expect: dict[str, int]) -> None:
    for who, status in expect.items():
        r = _get(client, world, who, template)
        assert r.status_code == status, f"{who} {template}: {r.status_code} {r.text[:200]}"
        if status == 403:
            assert r.json()["error"]["code"] == "forbidden"


# List routes: (path, principal, must contain east call/customer?). The lists are
# scoped silently: the wrong principal gets 200 and nothing of the east branch.
LISTS: list[tuple[str, str, bool]] = [
    (path, who, who in ("manager_east", "agent_1023", "qa"))
    for path in ("/v1/upsell/openings", "/v1/tags/export", "/v1/appeals", "/v1/customers?tag=upsell_opening",
                 "/v1/review/queue?state=all", "/v1/reports/calls?from=2026-10-01&to=2026-11-01",
                 "/v1/upsell/kaikou", "/v1/search?q=大额存单")
    for who in ("qa", "manager_east", "manager_west", "agent_1023", "agent_1024")
]
# Roles a list route refuses outright (403) instead of filtering.
REFUSED = {("/v1/review/queue?state=all", "agent_1023"), ("/v1/review/queue?state=all", "agent_1024"),
           ("/v1/reports/calls?from=2026-10-01&to=2026-11-01", "agent_1023"),
           ("/v1/reports/calls?from=2026-10-01&to=2026-11-01", "agent_1024")}


@pytest.mark.parametrize(("path", "who", "sees_east"), LISTS, ids=[f"{w}:{p}" for p, w, _ in LISTS])
def test_list_scope(client: TestClient, world: World, path: str, who: str, sees_east: bool) -> None:
    r = _get(client, world, who, path)
    if (path, who) in REFUSED:
        assert r.status_code == 403, r.text[:200]
        return
    assert r.status_code == 200, f"{who} {path}: {r.status_code} {r.text[:200]}"
    body = r.text
    if path == "/v1/appeals":  # no appeals exist: the list is empty for everyone, but answers
        assert r.json()["items"] == []
        return
    assert (world.east in body or "C-EAST" in body or "A1023" in body) is sees_east, f"{who} {path}: {body[:300]}"
    if who in ("manager_east", "agent_1023"):
        assert world.west not in body and "C-WEST" not in body, f"{who} sees the west call: {body[:300]}"


# Every route that returns call text: a principal without PII permission never sees
# the customer's phone number; one with it may ask for it explicitly.
TEXT_ROUTES = ["/v1/calls/{call}/result", "/v1/calls/{call}/transcript", "/v1/calls/{call}/findings",
               "/v1/search?q=手机号", "/v1/customers/{customer}/tags/history", "/v1/customers/{customer}/tags",
               "/v1/tags/export", "/v1/upsell/openings", "/v1/audit?call_id={call}",
               "/v1/topics?from=2026-10-01&to=2026-10-31", "/v1/review/queue?state=all"]


@pytest.mark.parametrize("template", TEXT_ROUTES)
def test_personal_numbers_masked_without_pii_permission(client: TestClient, world: World, template: str) -> None:
    for who in ("qa", "manager_east", "agent_1023"):
        r = _get(client, world, who, template)
        if r.status_code == 403:  # a role the route refuses
            continue
        assert r.status_code == 200, f"{who} {template}: {r.status_code} {r.text[:200]}"
        assert PHONE not in r.text, f"{who} {template} shows the phone number"


@pytest.mark.parametrize("template", ["/v1/calls/{call}/result", "/v1/calls/{call}/transcript",
                                      "/v1/calls/{call}/findings"])
def test_show_pii_needs_the_permission(client: TestClient, world: World, template: str) -> None:
    denied = _get(client, world, "manager_east", template + "?show_pii=true")
    assert denied.status_code == 403 and "pii" in denied.json()["error"]["message"]
    shown = _get(client, world, "qa_pii", template + "?show_pii=true")
    assert shown.status_code == 200


def test_search_shows_numbers_to_pii_users_only(client: TestClient, world: World) -> None:
    # Masked by default for everyone; unmasked only on request, with the permission.
    hits = _get(client, world, "qa_pii", "/v1/search?q=手机号").json()["hits"]
    assert hits and not any(PHONE in h["text"] for h in hits)
    hits = _get(client, world, "qa_pii", "/v1/search?q=手机号&show_pii=true").json()["hits"]
    assert any(PHONE in h["text"] for h in hits)
    assert _get(client, world, "agent_1023", "/v1/search?q=手机号&show_pii=true").status_code == 403


def test_shared_customer_shows_no_evidence_from_the_other_branch(client: TestClient, keys: Keys) -> None:
    """A customer who called both branches: each manager sees the customer's tags, but no
    call id or words of the other branch's call (fixed hole: history leaked them)."""
    ids = {}
    for branch, agent in (("城东支行", "A1023"), ("城西支行", "A1024")):
        r = client.post("/v1/calls/transcript", json=transcript_doc(branch, agent, customer="C-SHARED"),
                        headers=auth(keys.admin))
        ids[branch] = r.json()["id"]
    paths = ["/v1/customers/C-SHARED/tags/history", "/v1/customers/C-SHARED/tags", "/v1/tags/export",
             "/v1/tags/export?format=csv", "/v1/customers?tag=upsell_opening"]
    for key, own, foreign in ((keys.manager_west, "城西支行", "城东支行"), (keys.agent_1023, "城东支行", "城西支行")):
        history = client.get(paths[0], headers=auth(key))
        assert history.status_code == 200 and ids[own] in history.text  # its own evidence stays
        for path in paths:
            r = client.get(path, headers=auth(key))
            assert r.status_code == 200 and ids[foreign] not in r.text, f"{path} leaks the {foreign} call"
    assert ids["城东支行"] in client.get(paths[0], headers=auth(keys.admin)).text

"""The HTTP API on SQLite and PostgreSQL: ingest, status, transcript, scopes, search."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callsight.db.models import Call, CallEvent, SegmentRow
from tests.api.conftest import Keys
from tests.factories import DIALOGUE, auth, transcript_doc


def _ingest(client: TestClient, key: str, **meta: str) -> str:
    r = client.post("/v1/calls/transcript", json=transcript_doc(**meta), headers=auth(key))
    assert r.status_code == 202, r.text
    return r.json()["id"]


def test_transcript_ingest_runs_to_done_and_keeps_turn_order(client: TestClient, keys: Keys) -> None:
    call_id = _ingest(client, keys.admin)
    status = client.get(f"/v1/calls/{call_id}", headers=auth(keys.admin)).json()
    assert status["status"] == "done"
    assert status["progress"] == 1.0
    assert status["branch"] == "城东支行" and status["agent"] == "A1023"
    tr = client.get(f"/v1/calls/{call_id}/transcript", headers=auth(keys.admin)).json()
    assert [s["speaker"] for s in tr["segments"]] == [s for s, _ in DIALOGUE]
    assert [s["index"] for s in tr["segments"]] == list(range(len(DIALOGUE)))
    starts = [s["start"] for s in tr["segments"]]
    assert starts == sorted(starts)
    result = client.get(f"/v1/calls/{call_id}/result", headers=auth(keys.admin)).json()
    assert result["schema_version"] == "1.3"
    assert result["call"]["id"] == call_id and result["call"]["source"] == "transcript"
    assert len(result["segments"]) == len(DIALOGUE)


def test_personal_numbers_masked_unless_pii_permission(client: TestClient, keys: Keys) -> None:
    call_id = _ingest(client, keys.admin)
    masked = client.get(f"/v1/calls/{call_id}/transcript", headers=auth(keys.qa)).json()
    phone_turn = masked["segments"][3]["text"]
    assert "13812345678" not in phone_turn and "138****5678" in phone_turn
    assert masked["pii_masked"] is True
    denied = client.get(f"/v1/calls/{call_id}/transcript?show_pii=true", headers=auth(keys.qa))
    assert denied.status_code == 403
    shown = client.get(f"/v1/calls/{call_id}/transcript?show_pii=true", headers=auth(keys.admin)).json()
    assert "13812345678" in shown["segments"][3]["text"]
    result = client.get(f"/v1/calls/{call_id}/result", headers=auth(keys.qa)).json()
    assert "13812345678" not in str(result)


def test_agent_sees_only_own_calls(client: TestClient, keys: Keys) -> None:
    own = _ingest(client, keys.admin, agent="A1023")
    other = _ingest(client, keys.admin, agent="A1024")
    assert client.get(f"/v1/calls/{own}", headers=auth(keys.agent_1023)).status_code == 200
    r = client.get(f"/v1/calls/{other}", headers=auth(keys.agent_1023))
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert client.get(f"/v1/calls/{other}/transcript", headers=auth(keys.agent_1023)).status_code == 403
    listed = client.get("/v1/calls", headers=auth(keys.agent_1023)).json()
    assert [c["id"] for c in listed["items"]] == [own]


def test_manager_sees_only_own_branch(client: TestClient, keys: Keys) -> None:
    east = _ingest(client, keys.admin, branch="城东支行")
    west = _ingest(client, keys.admin, branch="城西支行")
    assert client.get(f"/v1/calls/{east}", headers=auth(keys.manager_east)).status_code == 200
    assert client.get(f"/v1/calls/{west}", headers=auth(keys.manager_east)).status_code == 403
    ids = {c["id"] for c in client.get("/v1/calls", headers=auth(keys.manager_west)).json()["items"]}
    assert ids == {west}
    # A manager cannot submit into another branch either.
    r = client.post("/v1/calls/transcript", json=transcript_doc(branch="城东支行"), headers=auth(keys.manager_west))
    assert r.status_code == 403


def test_authentication_required(client: TestClient, keys: Keys) -> None:
    r = client.get("/v1/calls")
    assert r.status_code == 401 and "API key" in r.json()["error"]["message"]
    assert client.get("/v1/calls", headers=auth("cs_wrong")).status_code == 401
    assert client.get("/v1/calls", headers={"X-API-Key": keys.qa}).status_code == 200
    r = client.post("/v1/calls/transcript", json=transcript_doc(), headers=auth(keys.agent_1023))
    assert r.status_code == 403


def test_bad_json_body_is_400_and_stores_nothing(client: TestClient, keys: Keys, db: Session) -> None:
    r = client.post("/v1/calls/transcript", content=b'{"turns": [', headers={
        **auth(keys.admin), "Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_json"
    assert db.scalar(select(func.count()).select_from(Call)) == 0


def test_transcript_with_missing_fields_names_them(client: TestClient, keys: Keys, db: Session) -> None:
    r = client.post("/v1/calls/transcript", json={"meta": {}}, headers=auth(keys.admin))
    assert r.status_code == 422 and "turns" in r.json()["error"]["message"]
    r = client.post("/v1/calls/transcript", json={"turns": [{"speaker": "boss", "text": "x"}]},
                    headers=auth(keys.admin))
    assert r.status_code == 422 and "speaker" in r.json()["error"]["message"]
    r = client.post("/v1/calls/transcript", json={"turns": [{"speaker": "agent"}]}, headers=auth(keys.admin))
    assert r.status_code == 422 and "text" in r.json()["error"]["message"]
    assert db.scalar(select(func.count()).select_from(Call)) == 0


def test_bad_metadata_is_rejected_with_the_field(client: TestClient, keys: Keys, db: Session) -> None:
    r = client.post("/v1/calls/transcript", json=transcript_doc(started_at="2026-13-45"), headers=auth(keys.admin))
    assert r.status_code == 422
    body = r.json()["error"]
    assert body["code"] == "invalid_meta" and "started_at" in body["message"]
    r = client.post("/v1/calls/transcript", json=transcript_doc(branch="不存在支行"), headers=auth(keys.admin))
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_branch"
    r = client.post("/v1/calls/transcript", json=transcript_doc(direction="sideways"), headers=auth(keys.admin))
    assert r.status_code == 422 and "direction" in r.json()["error"]["message"]
    assert db.scalar(select(func.count()).select_from(Call)) == 0


def test_search_is_word_based_and_scoped(client: TestClient, keys: Keys) -> None:
    _ingest(client, keys.admin, branch="城东支行")
    hits = client.get("/v1/search", params={"q": "大额存单"}, headers=auth(keys.qa)).json()["hits"]
    assert hits and all("大额存单" in h["text"] for h in hits)
    assert hits[0]["speaker"] == "customer"
    none = client.get("/v1/search", params={"q": "大额存单"}, headers=auth(keys.manager_west)).json()
    assert none["hits"] == []
    assert client.get("/v1/search", params={"q": "基金定投"}, headers=auth(keys.qa)).json()["hits"] == []


def test_list_filters(client: TestClient, keys: Keys) -> None:
    a = _ingest(client, keys.admin, agent="A1023", started_at="2026-10-01T10:00:00+08:00")
    b = _ingest(client, keys.admin, agent="A1024", started_at="2026-10-20T10:00:00+08:00")
    q = lambda **p: {c["id"] for c in client.get("/v1/calls", params=p, headers=auth(keys.qa)).json()["items"]}  # noqa: E731
    assert q(agent="A1024") == {b}
    assert q(**{"from": "2026-10-10T00:00:00+08:00"}) == {b}
    assert q(**{"to": "2026-10-10T00:00:00+08:00"}) == {a}
    assert q(status="done") == {a, b}
    assert client.get("/v1/calls", params={"status": "bogus"}, headers=auth(keys.qa)).status_code == 422


def test_reprocess_replaces_results_without_duplicates(client: TestClient, keys: Keys, db: Session) -> None:
    call_id = _ingest(client, keys.admin)
    r = client.post(f"/v1/calls/{call_id}/reprocess", headers=auth(keys.qa))
    assert r.status_code == 202
    n = db.scalar(select(func.count()).select_from(SegmentRow).where(SegmentRow.call_id == call_id))
    assert n == len(DIALOGUE)
    done = db.scalars(select(CallEvent.kind).where(CallEvent.call_id == call_id, CallEvent.kind == "done")).all()
    assert len(done) == 2
    assert client.get(f"/v1/calls/{call_id}", headers=auth(keys.qa)).json()["attempts"] == 2


def test_unknown_call_is_404(client: TestClient, keys: Keys) -> None:
    r = client.get("/v1/calls/doesnotexist", headers=auth(keys.admin))
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_health_and_openapi(client: TestClient) -> None:
    h = client.get("/v1/health").json()
    assert h["status"] == "ok" and h["database"] == "ok" and h["broker"] == "embedded"
    spec = client.get("/openapi.json").json()
    for path in ("/v1/calls", "/v1/calls/transcript", "/v1/calls/{call_id}", "/v1/calls/{call_id}/transcript",
                 "/v1/search", "/v1/health"):
        assert path in spec["paths"], path
    assert "examples" in str(spec["paths"]["/v1/calls/transcript"])

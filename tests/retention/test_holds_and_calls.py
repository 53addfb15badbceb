"""DELETE of one call and legal holds through the API: roles (403), the hold's 409
with a clear message, audit entries for every change, and the call's derived rows,
tag evidence and recording gone while the customer's other call stays."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callsight.config import settings
from callsight.db.models import Call, SegmentRow, User
from callsight.db.retention import LegalHold, RetentionAudit
from callsight.db.review import FindingRow
from callsight.db.tags import CustomerTag, TagObservationRow
from tests.api.conftest import Keys
from tests.factories import auth, make_user
from tests.retention.helpers import CODE, NAME, customer_calls, table_hits


def _count(db: Session, model: type, *where: object) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def test_delete_one_call_and_roles(db: Session, client: TestClient, keys: Keys) -> None:
    first, second = customer_calls(db)
    audio = settings.audio_dir / f"{first}.wav"
    assert audio.exists() and _count(db, SegmentRow, SegmentRow.call_id == first) > 0
    # What `callsight demo` leaves: the result JSON named after the recording.
    call = db.get(Call, first)
    assert call is not None
    call.original_filename = "retention-test-call.opus"
    db.flush()
    demo_result = settings.data_dir / "results" / "retention-test-call.json"
    demo_result.parent.mkdir(parents=True, exist_ok=True)
    demo_result.write_text(json.dumps({"call": {"id": first}, "summary": NAME}, ensure_ascii=False))
    for who in (keys.qa, keys.manager_east, keys.agent_1023):
        assert client.delete(f"/v1/calls/{first}", headers=auth(who)).status_code == 403
    assert client.delete(f"/v1/calls/{first}", headers={}).status_code == 401
    r = client.delete(f"/v1/calls/{first}", headers=auth(keys.admin))
    assert r.status_code == 200, r.text
    assert r.json()["counts"]["calls"] == 1 and r.json()["files_deleted"] == 2
    db.expire_all()
    assert db.get(Call, first) is None and not audio.exists() and not demo_result.exists()
    for model in (SegmentRow, FindingRow, TagObservationRow):
        assert _count(db, model, model.call_id == first) == 0  # type: ignore[attr-defined]
    # The profile was recomputed from the remaining call: no tag points at the deleted one.
    assert _count(db, CustomerTag, CustomerTag.call_id == first) == 0
    assert _count(db, CustomerTag, CustomerTag.customer_code == CODE) > 0
    assert db.get(Call, second) is not None
    assert client.delete(f"/v1/calls/{first}", headers=auth(keys.admin)).status_code == 404
    entry = db.scalars(select(RetentionAudit).where(RetentionAudit.subject == f"call:{first}")).one()
    assert entry.action == "call.deleted" and entry.actor_name == "admin"


def test_legal_hold_blocks_delete_and_is_audited(db: Session, client: TestClient, keys: Keys) -> None:
    first, second = customer_calls(db)
    lead_key = make_user(db, "qa", name="qa-lead")
    lead = db.scalars(select(User).where(User.name == "qa-lead")).one()
    lead.is_senior = True
    db.flush()
    body = {"reason": "诉讼案号 (2026)京0105民初1234号"}
    # Plain QA reviewers, managers and agents may not set holds.
    for who in (keys.qa, keys.manager_east, keys.agent_1023):
        assert client.put(f"/v1/calls/{first}/legal-hold", json=body, headers=auth(who)).status_code == 403
    assert client.put(f"/v1/calls/{first}/legal-hold", json={"reason": ""}, headers=auth(lead_key)).status_code == 422
    r = client.put(f"/v1/calls/{first}/legal-hold", json=body, headers=auth(lead_key))
    assert r.status_code == 200, r.text
    assert r.json()["reason"] == body["reason"]

    r = client.delete(f"/v1/calls/{first}", headers=auth(keys.admin))
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["code"] == "legal_hold" and "法律保全" in err["message"] and "legal hold" in err["message"]
    assert err["details"]["held_calls"] == [first]
    # A customer deletion touching a held call is refused whole: nothing of the customer goes.
    before = table_hits(db, [NAME, CODE])
    r = client.delete(f"/v1/customers/{CODE}", headers=auth(keys.admin))
    assert r.status_code == 409 and r.json()["error"]["details"]["held_calls"] == [first]
    assert table_hits(db, [NAME, CODE]) == before
    assert db.get(Call, second) is not None

    assert client.delete(f"/v1/calls/{first}/legal-hold", headers=auth(keys.qa)).status_code == 403
    assert client.delete(f"/v1/calls/{first}/legal-hold", headers=auth(keys.admin)).status_code == 204
    assert db.get(LegalHold, first) is None
    assert client.delete(f"/v1/calls/{first}/legal-hold", headers=auth(keys.admin)).status_code == 404
    assert client.delete(f"/v1/calls/{first}", headers=auth(keys.admin)).status_code == 200
    actions = [(a.action, a.actor_name) for a in db.scalars(
        select(RetentionAudit).where(RetentionAudit.subject == f"call:{first}").order_by(RetentionAudit.id))]
    assert actions == [("hold.set", "qa-lead"), ("hold.cleared", "admin"), ("call.deleted", "admin")]


def test_call_being_processed_is_not_deleted(db: Session, client: TestClient, keys: Keys) -> None:
    first, _ = customer_calls(db)
    call = db.get(Call, first)
    assert call is not None
    call.status = "transcribing"  # what processing.start sets while a worker holds it
    db.flush()
    r = client.delete(f"/v1/calls/{first}", headers=auth(keys.admin))
    assert r.status_code == 409 and r.json()["error"]["code"] == "busy", r.text
    r = client.delete(f"/v1/customers/{CODE}", headers=auth(keys.admin))
    assert r.status_code == 409 and r.json()["error"]["details"]["busy_calls"] == [first]
    db.expire_all()
    assert db.get(Call, first) is not None and (settings.audio_dir / f"{first}.wav").exists()


def test_policy_preview_is_for_admins(db: Session, client: TestClient, keys: Keys) -> None:
    for who in (keys.qa, keys.manager_east, keys.agent_1023):
        assert client.get("/v1/retention", headers=auth(who)).status_code == 403
    r = client.get("/v1/retention", headers=auth(keys.admin))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["audio_days"] == settings.retention_audio_days and body["preview"]["dry_run"] is True
    assert set(body["preview"]["counts"]) >= {"audio", "transcript", "result"}

"""The result contract (issue 13): the published schema is current, older documents
(1.0, 1.1, 1.2: the examples of docs/result-schema.md) stay readable and are served by
GET /v1/calls/{id}/result unchanged in meaning, and a corrupt stored result is a clear error."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from callsight.db.models import CallStatus
from core.result import CallResult
from tests.api.conftest import Keys
from tests.contract import SCHEMA_PATH, assert_valid_result
from tests.factories import auth, make_transcript_call
from tools import result_schema

_EXAMPLES = [json.loads(block) for block in
             re.findall(r"```json\n(.*?)```", (SCHEMA_PATH.parent / "result-schema.md").read_text("utf-8"), re.S)]


def _old(version: str) -> dict[str, Any]:
    """The document of ``version`` built from the doc's examples (each adds its keys)."""
    base, added_11, added_12 = _EXAMPLES
    doc = {**base, **(added_11 if version >= "1.1" else {}), **(added_12 if version >= "1.2" else {})}
    return {**doc, "schema_version": version}


def test_published_schema_and_tables_are_current() -> None:
    assert result_schema.main(["--check"]) == 0, "run: python -m tools.result_schema"
    published = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert published["version"] == "1.3" and published["$id"].endswith("result-schema.json")
    assert "segments" in published["required"]


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2", "1.3"])
def test_older_documents_read_through_the_typed_result(version: str) -> None:
    doc = _old(version)
    result = CallResult.from_json(doc)
    written = result.to_json()
    assert {k: v for k, v in written.items() if k in doc} == doc  # nothing the document said is lost
    assert result.segments[0].speaker == "agent" and result.call.meta_str("branch") == "城东支行"
    if version == "1.0":
        assert result.intents is None and result.compliance is None and result.upsell_openings == ()
    if version >= "1.2":
        assert result.upsell_openings[0].evidence.agent is not None
        assert str(result.next_actions[0].due) == "2026-07-15"


def _store(db: Session, doc: object) -> str:
    call = make_transcript_call(db)
    call.status, call.result = CallStatus.done.value, doc
    db.commit()
    return call.id


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_older_stored_results_are_served_unchanged_in_meaning(
        client: TestClient, keys: Keys, db: Session, version: str) -> None:
    doc = _old(version)
    call_id = _store(db, doc)
    r = client.get(f"/v1/calls/{call_id}/result?show_pii=true", headers=auth(keys.admin))
    assert r.status_code == 200, r.text
    served = r.json()
    assert_valid_result(served)
    assert {k: v for k, v in served.items() if k in doc} == doc
    for later in set(served) - set(doc):  # keys of later versions: absent in meaning (empty)
        assert served[later] in ([], ""), later


def test_corrupt_stored_result_is_a_clear_error(client: TestClient, keys: Keys, db: Session) -> None:
    call_id = _store(db, {"schema_version": "1.3", "call": {"id": "x"}, "segments": "not a list"})
    r = client.get(f"/v1/calls/{call_id}/result", headers=auth(keys.admin))
    assert r.status_code == 500
    assert r.json()["error"]["code"] == "corrupt_result"


def test_openapi_result_response_is_the_generated_schema(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    ok = spec["paths"]["/v1/calls/{call_id}/result"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/CallResult"}
    components = spec["components"]["schemas"]
    assert set(components["CallResult"]["required"]) == {"schema_version", "call", "segments", "role_confidence"}
    assert components["CallInfo"]["properties"]["source"]["enum"] == ["audio", "transcript"]

"""`callsight review set-senior` / `backfill`, and the review endpoints in OpenAPI."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from callsight.cli import main
from callsight.db.models import Call, User
from callsight.db.review import FindingRow, ReviewItem
from tests.factories import auth, make_user
from tests.review.conftest import Team
from tests.review.helpers import PROMISE, ingest


def test_set_senior_lets_a_reviewer_rule(db: Session, capsys: pytest.CaptureFixture[str]) -> None:
    make_user(db, "qa", name="王质检")
    make_user(db, "agent", name="张坐席", agent_code="A1")
    assert main(["review", "set-senior", "王质检"]) == 0
    assert "now a senior reviewer" in capsys.readouterr().out
    db.expire_all()
    assert db.scalar(select(User.is_senior).where(User.name == "王质检")) is True
    assert main(["review", "set-senior", "王质检", "--off"]) == 0
    db.expire_all()
    assert db.scalar(select(User.is_senior).where(User.name == "王质检")) is False
    assert main(["review", "set-senior", "nobody"]) == 1
    assert main(["review", "set-senior", "张坐席"]) == 1
    assert "only qa users" in capsys.readouterr().err


def test_backfill_syncs_calls_without_findings(client: TestClient, team: Team, db: Session) -> None:
    call = ingest(client, team.keys.admin, PROMISE)
    # As if the call had been analysed before the review tables existed.
    db.execute(delete(FindingRow).where(FindingRow.call_id == call))
    db.execute(delete(ReviewItem).where(ReviewItem.call_id == call))
    db.flush()
    assert main(["review", "backfill"]) == 0
    db.expire_all()
    n = db.scalar(select(func.count()).select_from(FindingRow).where(FindingRow.call_id == call))
    assert n == len(db.get(Call, call).result["compliance"]["findings"])  # type: ignore[union-attr,index]
    assert db.get(ReviewItem, call) is not None


def test_review_endpoints_documented_with_examples(client: TestClient, team: Team) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/v1/review/queue", "/v1/review/assignments", "/v1/calls/{call_id}/findings",
                 "/v1/findings/{finding_id}/verdict", "/v1/findings/{finding_id}/appeal",
                 "/v1/appeals/{appeal_id}/ruling", "/v1/appeals", "/v1/audit", "/v1/review/rule-precision",
                 "/v1/review/calibrations", "/v1/review/calibrations/{calibration_id}",
                 "/v1/review/calibrations/{calibration_id}/verdicts", "/v1/review/calls/{call_id}/close"):
        assert path in paths, path
    schemas = spec["components"]["schemas"]
    for name in ("VerdictIn", "AppealIn", "RulingIn", "AssignmentIn", "CalibrationIn"):
        assert "examples" in schemas[name], name
    assert schemas["VerdictIn"]["properties"]["verdict"]["enum"] == ["confirmed", "dismissed"]
    assert client.get("/v1/review/queue", headers=auth(team.keys.qa)).status_code == 200

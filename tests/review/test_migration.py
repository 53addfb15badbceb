"""Migration 0002_review upgrades and downgrades cleanly on SQLite and PostgreSQL."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from sqlalchemy import inspect

from callsight.db.migrate import downgrade, upgrade
from callsight.db.session import make_engine
from tests.conftest import create_pg_database, drop_pg_database, pg_available

REVIEW_TABLES = {"findings", "review_items", "appeals", "calibrations", "calibration_reviewers",
                 "calibration_calls", "calibration_verdicts", "review_audit"}
CALL_COLUMNS = {"service_score", "marketing_score", "flagged", "flag_reasons", "review_state"}


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_upgrade_downgrade_roundtrip(dialect: str) -> None:
    if dialect == "postgresql":
        if not pg_available():
            pytest.skip("PostgreSQL unreachable")
        url = create_pg_database("callsight_mig")
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'mig.db'}"
    engine = make_engine(url)
    try:
        upgrade(engine, "0002_review")
        insp = inspect(engine)
        assert set(insp.get_table_names()) >= REVIEW_TABLES
        assert {c["name"] for c in insp.get_columns("calls")} >= CALL_COLUMNS
        assert "is_senior" in {c["name"] for c in insp.get_columns("users")}
        downgrade(engine, "0001")
        insp = inspect(engine)
        assert not REVIEW_TABLES & set(insp.get_table_names())
        assert not CALL_COLUMNS & {c["name"] for c in insp.get_columns("calls")}
        upgrade(engine, "0002_review")
    finally:
        engine.dispose()
        if dialect == "postgresql":
            drop_pg_database(url)

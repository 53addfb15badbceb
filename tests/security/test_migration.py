"""Migration 0009_security on SQLite and PostgreSQL: segments indexed before it (from
unmasked text) are re-indexed from masked text on upgrade, the unmasked tokens kept
for pii readers; downgrade puts them back and drops the new table and columns."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from callsight import search
from callsight.db.migrate import downgrade, upgrade
from callsight.db.session import make_engine
from tests.conftest import create_pg_database, drop_pg_database, pg_available

PHONE_TURN = "我的手机号是13812345678"


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_upgrade_reindexes_stored_segments(dialect: str) -> None:
    if dialect == "postgresql":
        if not pg_available():
            pytest.skip("PostgreSQL unreachable")
        url = create_pg_database("callsight_mig15")
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'mig.db'}"
    engine = make_engine(url)
    try:
        upgrade(engine, "0008_reliability")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO calls (id, meta, status, progress, attempts, source, created_at, "
                              "updated_at) VALUES ('c1', '{}', 'done', 1.0, 1, 'transcript', CURRENT_TIMESTAMP, "
                              "CURRENT_TIMESTAMP)"))
            for idx, (speaker, said) in enumerate([("agent", "请问您的手机号"), ("customer", PHONE_TURN),
                                                   ("customer", "备用一三九八七六"), ("customer", "五四三二一")]):
                conn.execute(text('INSERT INTO segments (call_id, idx, speaker, start, "end", text, search_text) '
                                  "VALUES ('c1', :i, :s, 0, 1, :t, :st)"),
                             {"i": idx, "s": speaker, "t": said, "st": search.search_text(said)})  # the old index
        upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT idx, search_text, search_text_pii FROM segments ORDER BY idx")).all()
        assert rows[0][2] is None and rows[0][1] == search.search_text("请问您的手机号")
        assert "13812345678" not in rows[1][1] and "13812345678" in rows[1][2]
        assert rows[2][2] is not None and rows[3][2] is not None  # the split number, both halves
        assert {"console_sessions"} <= set(inspect(engine).get_table_names())
        downgrade(engine, "0008_reliability")
        with engine.connect() as conn:
            back = conn.execute(text("SELECT search_text FROM segments WHERE idx = 1")).scalar_one()
        assert "13812345678" in back
        insp = inspect(engine)
        assert "console_sessions" not in insp.get_table_names()
        assert "password_hash" not in {c["name"] for c in insp.get_columns("users")}
        upgrade(engine)
    finally:
        engine.dispose()
        if dialect == "postgresql":
            drop_pg_database(url)

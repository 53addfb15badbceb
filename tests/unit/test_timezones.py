"""Timestamps are stored as instants and come back aware (UTC) on SQLite and PostgreSQL;
old SQLite rows that lost their offset are repaired by migration 0012."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from callsight.db.migrate import downgrade, upgrade
from callsight.db.models import Call
from callsight.db.session import make_engine

BEIJING = timezone(timedelta(hours=8))


def test_aware_round_trip_and_filters(db: Session) -> None:
    start = datetime(2026, 10, 12, 9, 30, tzinfo=BEIJING)
    call = Call(source="transcript", started_at=start, meta={"started_at": start.isoformat()})
    db.add(call)
    db.flush()
    db.expire_all()
    back = db.get(Call, call.id)
    assert back is not None and back.started_at is not None
    assert back.started_at.tzinfo is not None
    assert back.started_at == start  # the same instant
    assert back.started_at.astimezone(BEIJING).hour == 9
    assert back.created_at.tzinfo is not None
    # A filter on a Beijing day boundary includes the call on both databases.
    day_start = datetime(2026, 10, 12, tzinfo=BEIJING)
    hit = db.scalar(select(Call.id).where(Call.id == call.id, Call.started_at >= day_start,
                                          Call.started_at < day_start + timedelta(days=1)))
    assert hit == call.id
    after = datetime(2026, 10, 12, 2, tzinfo=UTC)
    miss = db.scalar(select(Call.id).where(Call.id == call.id, Call.started_at >= after))
    assert miss is None  # 09:30 Beijing is 01:30 UTC


def test_naive_values_are_utc(db: Session) -> None:
    call = Call(source="transcript", started_at=datetime(2026, 10, 12, 1, 30))
    db.add(call)
    db.flush()
    db.expire_all()
    back = db.get(Call, call.id)
    assert back is not None and back.started_at == datetime(2026, 10, 12, 1, 30, tzinfo=UTC)


def _old_row(key: str, meta_start: str | None, stored: str) -> dict[str, str]:
    meta = json.dumps({"started_at": meta_start} if meta_start else {})
    return {"id": key * 32, "meta": meta, "start": stored}


def test_migration_repairs_sqlite_start_times(tmp_path: Path) -> None:
    engine: Engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0011_console")
    with engine.begin() as conn:  # rows as the old code wrote them: wall time, offset dropped
        conn.execute(text(
            "INSERT INTO calls (id, meta, source, status, progress, attempts, created_at, updated_at, started_at) "
            "VALUES (:id, :meta, 'transcript', 'done', 1.0, 1, '2026-10-12 02:00:00.000000', "
            "'2026-10-12 02:00:00.000000', :start)"),
            [_old_row("a", "2026-10-12T09:30:00+08:00", "2026-10-12 09:30:00.000000"),
             _old_row("b", None, "2026-10-12 03:00:00.000000"),
             _old_row("c", "2026-10-12T00:30:00+08:00", "2026-10-12 00:30:00.000000")])
        conn.execute(text("INSERT INTO call_facts (call_id, day, primary_intent, complaint_risk, sentiment, "
                          "negative_share, duration_s, openings_detected, openings_taken, products, converted) "
                          "VALUES (:id, '2026-10-11', 'other', 'none', 'neutral', 0, 0, 0, 0, '', 0)"),
                     {"id": "c" * 32})
    upgrade(engine)
    with Session(engine) as session:
        starts = {c.id[0]: c.started_at for c in session.scalars(select(Call))}
        assert starts["a"] == datetime(2026, 10, 12, 1, 30, tzinfo=UTC)
        assert starts["b"] == datetime(2026, 10, 12, 3, 0, tzinfo=UTC)  # no offset known: it was UTC
        assert starts["c"] == datetime(2026, 10, 11, 16, 30, tzinfo=UTC)
        day = session.execute(text("SELECT day FROM call_facts")).scalar_one()
        assert str(day) == "2026-10-12"  # 00:30 Beijing is still the 12th there
    downgrade(engine, "0011_console")  # a no-op that must not fail
    engine.dispose()


def test_naive_start_times_given_as_input_are_local(db: Session) -> None:
    from callsight.schemas import parse_meta
    from callsight.services.calls import _apply_meta

    call = Call(source="transcript")
    _apply_meta(call, parse_meta({"started_at": "2026-10-12T09:30:00"}), None)
    assert call.started_at == datetime(2026, 10, 12, 9, 30, tzinfo=BEIJING)  # the deployment's wall clock
    _apply_meta(call, parse_meta({"started_at": "2026-10-12T09:30:00+00:00"}), None)
    assert call.started_at == datetime(2026, 10, 12, 9, 30, tzinfo=UTC)  # an explicit offset wins

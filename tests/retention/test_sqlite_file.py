"""The embedded default keeps everything in one SQLite file: a customer's deletion
must not survive in its free pages (secure_delete) once the WAL is checkpointed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from callsight.auth import Principal, Role
from callsight.db.migrate import upgrade
from callsight.db.models import Call, SegmentRow
from callsight.db.session import make_engine
from callsight.services.retention import delete_customer

PHONE = "13987650000"
ADMIN = Principal(user_id=1, name="admin", role=Role.admin, branch_ids=frozenset(), agent_code=None,
                  can_see_pii=True)


def test_deleted_customer_is_not_left_in_the_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "callsight.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        # Debian's SQLite defaults to it; other builds do not, hence the pragma in make_engine.
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1
    with Session(engine) as s:
        for k in range(20):
            call = Call(source="transcript", status="done", customer_code="K9", meta={"phone": PHONE})
            s.add(call)
            s.flush()
            s.add(SegmentRow(call_id=call.id, idx=0, speaker="customer", start=0.0, end=1.0,
                             text=f"我的手机号是{PHONE}，第{k}通", search_text=f" {PHONE} "))
        s.commit()
    with engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    assert PHONE.encode() in path.read_bytes()  # the check can fail
    with Session(engine) as s:
        er = delete_customer(s, ADMIN, "K9")
        s.commit()
    assert er.counts["calls"] == 20
    with engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    leftovers = [p.name for p in tmp_path.iterdir() if PHONE.encode() in p.read_bytes()]
    assert leftovers == []

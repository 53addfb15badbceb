"""``callsight tags rebuild`` / ``tags deliver`` against the test database."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from callsight.cli import main
from callsight.db.tags import CustomerTag
from tests.factories import make_branch
from tests.tags.helpers import processed_call


def test_rebuild_restores_profiles_and_deliver_runs(db: Session, capsys) -> None:  # type: ignore[no-untyped-def]
    make_branch(db, "城东支行")
    processed_call(db, [("agent", "您好"), ("customer", "我是C3 想买基金")], started_at="2026-10-12T09:30:00+08:00")
    before = sorted(db.scalars(select(CustomerTag.key + ":" + CustomerTag.value)))
    db.execute(delete(CustomerTag))
    db.flush()
    assert main(["tags", "rebuild"]) == 0
    db.expire_all()
    assert sorted(db.scalars(select(CustomerTag.key + ":" + CustomerTag.value))) == before
    assert "1 call(s) re-applied" in capsys.readouterr().out
    assert main(["tags", "rebuild"]) == 0
    assert "0 tag change(s)" in capsys.readouterr().out  # idempotent
    assert main(["tags", "deliver", "--now"]) == 0
    assert "0 webhook payload(s)" in capsys.readouterr().out

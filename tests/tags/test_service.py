"""The tag service on SQLite and PostgreSQL, fed by the real pipeline: provenance,
contradiction with history, reinforcement, decay and expiry, idempotent re-analysis."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callsight.db.models import Call
from callsight.db.tags import CustomerTag, TagEvent, TagObservationRow
from callsight.services import processing
from callsight.services import tags as svc
from tests.factories import make_branch
from tests.tags.helpers import processed_call
from workers.jobs import run_process_call

A, C = "agent", "customer"
NOW = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)


def current(db: Session, customer: str = "K100", now: datetime = NOW) -> dict[str, list[CustomerTag]]:
    out: dict[str, list[CustomerTag]] = {}
    for t in svc.current_rows(db, customer, now):
        out.setdefault(t.key, []).append(t)
    return out


def test_real_call_gives_tags_with_provenance(db: Session) -> None:
    make_branch(db, "城东支行")
    call_id = processed_call(db, [
        (A, "您好，这里是城东支行理财中心，我是理财经理小王，工号1023"),
        (C, "你好我有一笔大额存单下个月十五号到期了，想问问有没有收益高一点的理财"),
        (A, "好的，请问您做过风险测评吗"),
        (C, "做过的，是C3，下午打给我比较方便"),
    ], started_at="2026-10-12T09:30:00+08:00")
    tags = current(db)
    assert [t.value for t in tags["maturity_date"]] == ["2026-11-15"]
    mat = tags["maturity_date"][0]
    assert mat.call_id == call_id and mat.segment == 1 and "下个月十五号到期" in mat.words
    assert mat.value_date is not None and mat.value_date.isoformat() == "2026-11-15"
    assert tags["risk_level"][0].value == "C3" and tags["risk_level"][0].segment == 3
    assert tags["preferred_contact_time"][0].value == "afternoon"
    assert {t.value for t in tags["product_interest"]} >= {"large_cd"}
    assert tags["intent_level"][0].value in ("medium", "high")
    assert svc.aware(tags["last_contact"][0].last_seen) == datetime(2026, 10, 12, 1, 30, tzinfo=UTC)
    added = db.scalars(select(TagEvent.key).where(TagEvent.change == "added")).all()
    assert {"maturity_date", "risk_level", "last_contact"} <= set(added)


def test_contradiction_replaces_and_keeps_history(db: Session) -> None:
    make_branch(db, "城东支行")
    first = processed_call(db, [(A, "您的测评结果是C2"), (C, "对我是C2")], started_at="2026-09-01T10:00:00+08:00")
    second = processed_call(db, [(A, "您好"), (C, "我上周重新做了测评 现在是C4了")],
                            started_at="2026-10-01T10:00:00+08:00")
    tags = current(db)
    assert [t.value for t in tags["risk_level"]] == ["C4"]
    assert tags["risk_level"][0].call_id == second
    ev = db.scalars(select(TagEvent).where(TagEvent.key == "risk_level").order_by(TagEvent.id)).all()
    assert [(e.change, e.value, e.previous_value) for e in ev] == [("added", "C2", None), ("replaced", "C4", "C2")]
    assert ev[1].trigger_call_id == second
    _, observations = svc.history(db, "K100", "risk_level")
    fates = {(o.value, o.provenance.call_id): o.status for o in observations}
    assert fates == {("C2", first): "superseded", ("C4", second): "current"}


def test_out_of_order_analysis_ends_in_the_same_state(db: Session) -> None:
    make_branch(db, "城东支行")
    processed_call(db, [(A, "您好"), (C, "现在是C4了")], started_at="2026-10-01T10:00:00+08:00")
    processed_call(db, [(A, "您好"), (C, "我是C2")], started_at="2026-09-01T10:00:00+08:00")
    assert [t.value for t in current(db)["risk_level"]] == ["C4"]


def test_reanalysis_is_idempotent(db: Session) -> None:
    make_branch(db, "城东支行")
    call_id = processed_call(db, [(A, "您好"), (C, "我想买二十万的基金 孩子明年上大学")],
                             started_at="2026-10-12T09:30:00+08:00")

    def snapshot() -> tuple[object, ...]:
        rows = db.scalars(select(CustomerTag).order_by(CustomerTag.key, CustomerTag.value)).all()
        return tuple((t.key, t.value, t.confidence, t.observations, t.call_id) for t in rows)

    before = snapshot()
    n_obs = db.scalar(select(func.count()).select_from(TagObservationRow))
    n_ev = db.scalar(select(func.count()).select_from(TagEvent))
    call = db.get(Call, call_id)
    assert call is not None
    processing.requeue(db, call)
    db.flush()
    assert run_process_call(call_id) == "done"
    db.expire_all()
    svc.apply_call(db, call)  # and once more directly
    db.flush()
    db.expire_all()
    assert snapshot() == before
    assert db.scalar(select(func.count()).select_from(TagObservationRow)) == n_obs
    assert db.scalar(select(func.count()).select_from(TagEvent)) == n_ev
    assert {t.value for t in current(db)["product_interest"]} == {"fund"}
    assert next(t for t in current(db)["product_interest"]).observations == 1


def test_same_value_twice_reinforces(db: Session) -> None:
    make_branch(db, "城东支行")
    processed_call(db, [(A, "您好"), (C, "基金最近怎么样")], started_at="2026-10-01T10:00:00+08:00")
    one = current(db)["product_interest"][0].confidence
    processed_call(db, [(A, "您好"), (C, "我还想再问问基金的事")], started_at="2026-10-08T10:00:00+08:00")
    tag = current(db)["product_interest"][0]
    assert tag.value == "fund" and tag.observations == 2 and tag.confidence > one
    first, last = svc.aware(tag.first_seen), svc.aware(tag.last_seen)
    assert first is not None and last is not None and first < last
    refreshed = db.scalars(select(TagEvent).where(TagEvent.key == "product_interest")).all()
    assert [e.change for e in refreshed] == ["added", "refreshed"]


def test_weak_hint_does_not_replace_strong_words(db: Session) -> None:
    make_branch(db, "城东支行")
    processed_call(db, [(A, "您好"), (C, "你下午再打给我吧")], started_at="2026-10-01T10:00:00+08:00")
    # Next call at 09:30 with no words about time: only a weak "morning" hint.
    processed_call(db, [(A, "您好"), (C, "账户余额查一下")], started_at="2026-10-05T09:30:00+08:00")
    assert [t.value for t in current(db)["preferred_contact_time"]] == ["afternoon"]
    _, observations = svc.history(db, "K100", "preferred_contact_time")
    assert {o.value: o.status for o in observations} == {"afternoon": "current", "morning": "outweighed"}


def test_decay_and_expiry(db: Session) -> None:
    make_branch(db, "城东支行")
    processed_call(db, [(A, "您好"), (C, "我想买点基金 大概二十万")], started_at="2026-10-12T09:30:00+08:00")
    fresh = {t.key: t for t in svc.current_rows(db, "K100", NOW)}
    interest = fresh["product_interest"]
    assert svc.effective(interest, NOW + timedelta(days=60)) < svc.effective(interest, NOW)
    late = NOW + timedelta(days=200)  # past product_interest's 180 days, within fund_size's 365
    keys = {t.key for t in svc.current_rows(db, "K100", late)}
    assert "product_interest" not in keys and "fund_size" in keys
    assert "intent_level" not in keys  # expired after 120 days
    with_expired = {t.key for t in svc.current_rows(db, "K100", late, include_expired=True)}
    assert "product_interest" in with_expired


def test_maturity_tag_expires_after_the_date(db: Session) -> None:
    make_branch(db, "城东支行")
    processed_call(db, [(A, "您好"), (C, "我的定期11月15号到期")], started_at="2026-10-12T09:30:00+08:00")
    assert "maturity_date" in current(db, now=datetime(2026, 12, 1, tzinfo=UTC))
    assert "maturity_date" not in current(db, now=datetime(2026, 12, 20, tzinfo=UTC))


def test_call_without_customer_gives_no_tags(db: Session) -> None:
    make_branch(db, "城东支行")
    processed_call(db, [(A, "您好"), (C, "我想买基金")], customer="", started_at="2026-10-12T09:30:00+08:00")
    assert db.scalar(select(func.count()).select_from(TagObservationRow)) == 0

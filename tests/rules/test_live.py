"""How published versions become live: the pack built from them, the audit trail, scopes."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight import runtime
from callsight.db.rules import RuleEvent
from callsight.services import rules as svc
from callsight.services.rules import PublishedRule, PublishedRules, apply_published, base_pack
from tests.api.conftest import Keys
from tests.factories import auth, make_user
from tests.rules.test_flow import NEW_HIT, VARIANT, _draft, _ingest


def test_published_versions_replace_pack_rules_and_name_themselves() -> None:
    base = base_pack()
    pack = apply_published(base, [PublishedRule("forbidden_promise", 3, VARIANT)])
    assert pack.version == f"{base.version}+forbidden_promise@v3"
    assert pack.get("forbidden_promise").source == "db:forbidden_promise@v3"
    assert [r.id for r in pack.rules if r.report] == [r.id for r in base.rules if r.report]  # same place
    assert base.get("forbidden_promise").source != "db:forbidden_promise@v3"  # the base is not touched


def test_a_version_that_no_longer_compiles_is_skipped_not_fatal() -> None:
    base = base_pack()
    broken = VARIANT.replace("keywords:", "keywordz:")
    pack = apply_published(base, [PublishedRule("forbidden_promise", 2, broken),
                                  PublishedRule("closing", 1, VARIANT.replace("forbidden_promise", "closing"))])
    assert pack.version == f"{base.version}+closing@v1"
    assert pack.get("forbidden_promise") == base.get("forbidden_promise")


def test_runtime_reloads_only_when_the_stamp_changes(db: Session) -> None:
    first = runtime.analyzers(PublishedRules("s1", (PublishedRule("forbidden_promise", 1, VARIANT),)))
    assert first.rule_pack.version.endswith("+forbidden_promise@v1") and runtime.rules_stamp() == "s1"
    assert runtime.analyzers() is first  # nothing handed in: keep the last set
    assert runtime.analyzers(PublishedRules("s1", ())) is first  # same stamp: no recompiling
    back = runtime.analyzers(PublishedRules("", ()))
    assert back.rule_pack.version == base_pack().version
    # The job's check: nothing published here, so an unchanged stamp hands nothing in.
    assert svc.published_if_changed(db, runtime.rules_stamp()) is None
    assert svc.published_if_changed(db, "stale") == PublishedRules("", ())


def test_audit_trail(client: TestClient, keys: Keys, db: Session) -> None:
    v1 = _draft(client, keys.qa)
    client.put(f"/v1/rules/drafts/{v1}", json={"yaml": VARIANT.replace("闭眼买", "闭眼入")}, headers=auth(keys.qa))
    client.post(f"/v1/rules/drafts/{v1}/backtest", json={}, headers=auth(keys.qa))
    assert client.post(f"/v1/rules/drafts/{v1}/publish", headers=auth(keys.admin)).status_code == 200
    v2 = _draft(client, keys.qa)
    assert client.post(f"/v1/rules/drafts/{v2}/publish", headers=auth(keys.admin)).status_code == 200
    events = db.scalars(select(RuleEvent).order_by(RuleEvent.id)).all()
    assert [(e.rule_version_id, e.action) for e in events] == [
        (v1, "created"), (v1, "updated"), (v1, "backtested"), (v1, "published"),
        (v2, "created"), (v1, "retired"), (v2, "published")]
    updated = events[1]
    assert "闭眼买" in updated.detail["before"] and "闭眼入" in updated.detail["after"]
    assert events[2].detail["calls"] == 0
    assert events[-1].detail["replaces"] == "forbidden_promise@v1"


def test_backtest_stays_in_the_qa_users_branches(client: TestClient, keys: Keys, db: Session) -> None:
    _ingest(client, keys.admin, NEW_HIT)  # 城东支行
    west_qa = make_user(db, "qa", name="qa-west", branches=["城西支行"])
    vid = _draft(client, keys.qa)
    assert client.post(f"/v1/rules/drafts/{vid}/backtest", json={}, headers=auth(keys.qa)).json()["calls"] == 1
    assert client.post(f"/v1/rules/drafts/{vid}/backtest", json={}, headers=auth(west_qa)).json()["calls"] == 0


def test_parallel_backtest_matches_the_sequential_one(client: TestClient, keys: Keys, db: Session) -> None:
    from callsight.auth import authenticate
    from callsight.services.rule_backtest import BacktestFilter, backtest
    from tests.rules.test_flow import BOTH_HIT, CUSTOMER_ONLY, NO_LONGER

    for doc in (NEW_HIT, BOTH_HIT, CUSTOMER_ONLY, NO_LONGER, NEW_HIT):
        _ingest(client, keys.admin, doc)
    vid = _draft(client, keys.qa)
    who = authenticate(db, keys.qa)
    flt = BacktestFilter(samples=3)
    one = backtest(db, who, vid, flt, workers=1)
    # BATCH-sized work units: shrink them so two processes each get some calls.
    import callsight.services.rule_backtest as bt
    old, bt.BATCH = bt.BATCH, 2
    try:
        two = backtest(db, who, vid, flt, workers=2)
    finally:
        bt.BATCH = old
    assert two.workers == 2 and one.workers == 1
    assert (one.calls, one.hits, one.applicable, one.samples, one.change) == (
        two.calls, two.hits, two.applicable, two.samples, two.change)
    assert one.change is not None
    assert (one.calls, one.hits, one.change.newly_hit) == (5, 3, 2)


def test_backtest_reads_the_stored_analysis_when_a_rule_needs_it(client: TestClient, keys: Keys) -> None:
    call_id = _ingest(client, keys.admin, NEW_HIT)
    level = client.get(f"/v1/calls/{call_id}/result", headers=auth(keys.admin)).json()["complaint_risk"]["level"]
    draft = ("rules:\n  - id: complaint_level_probe\n    title: 投诉风险探针\n    scope: any\n    mode: must_not\n"
             f"    condition: {{meta: {{path: analysis.complaint_risk.level, equals: {level}}}}}\n")
    vid = _draft(client, keys.qa, draft)
    out = client.post(f"/v1/rules/drafts/{vid}/backtest", json={}, headers=auth(keys.qa)).json()
    assert (out["calls"], out["hits"], out["change"]) == (1, 1, None)  # a new rule: nothing live to compare
    other = draft.replace(f"equals: {level}", "equals: no_such_level")
    vid = _draft(client, keys.qa, other)
    assert client.post(f"/v1/rules/drafts/{vid}/backtest", json={}, headers=auth(keys.qa)).json()["hits"] == 0


def test_the_database_allows_one_published_version_per_rule(db: Session) -> None:
    import pytest
    from sqlalchemy.exc import IntegrityError

    from callsight.db.models import utcnow
    from callsight.db.rules import RuleVersion

    for n in (1, 2):
        db.add(RuleVersion(rule_id="greeting", version=n, yaml_text=VARIANT, status="published", comment="",
                           published_at=utcnow()))
    with pytest.raises(IntegrityError), db.begin_nested():
        db.flush()

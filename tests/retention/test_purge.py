"""The retention policy applied by the purge service and ``callsight purge``: each
stage removes what its period says and nothing else, a held call is skipped, a dry
run counts exactly what the real run then does and changes nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callsight.cli import main
from callsight.config import settings
from callsight.db.facts import CallFact
from callsight.db.models import Call, SegmentRow, utcnow
from callsight.db.retention import LegalHold, RetentionAudit
from callsight.db.review import FindingRow
from callsight.db.tags import CustomerTag
from tests.factories import make_branch
from tests.retention.helpers import CODE, ID_NO, NAME, PHONE, TURNS, table_hits
from tests.tags.helpers import processed_call

STAGES = ("result", "transcript", "audio")
# 4 years old: anonymised (its audio and transcript with it); 200 days: audio only.
EXPECTED = {"result": 1, "transcript": 0, "audio": 1}


def _call(db: Session, days_ago: int, customer: str) -> str:
    cid = processed_call(db, TURNS, customer=customer, started_at=utcnow() - timedelta(days=days_ago),
                         customer_name=NAME)
    settings.audio_dir.mkdir(parents=True, exist_ok=True)
    audio = settings.audio_dir / f"{cid}.wav"
    audio.write_bytes(b"RIFF" + PHONE.encode())
    call = db.get(Call, cid)
    assert call is not None
    call.audio_path = str(audio)
    db.flush()
    return cid


def _segments(db: Session, cid: str) -> int:
    return db.scalar(select(func.count()).select_from(SegmentRow).where(SegmentRow.call_id == cid)) or 0


@pytest.fixture
def calls(db: Session) -> dict[str, str]:
    make_branch(db, "城东支行")
    out = {"old": _call(db, 4 * 365, "K1"), "mid": _call(db, 200, "K2"), "new": _call(db, 3, "K3"),
           "held": _call(db, 4 * 365, "K4")}
    db.add(LegalHold(call_id=out["held"], reason="案号 42"))
    db.flush()
    return out


def test_dry_run_counts_what_the_run_does_and_changes_nothing(db: Session, calls: dict[str, str], capsys) -> None:  # type: ignore[no-untyped-def]
    before = table_hits(db, [NAME, PHONE, ID_NO])
    assert main(["purge", "--dry-run", "--json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] is True
    assert {k: dry["counts"][k] for k in STAGES} == EXPECTED
    db.expire_all()
    assert table_hits(db, [NAME, PHONE, ID_NO]) == before
    assert all((settings.audio_dir / f"{cid}.wav").exists() for cid in calls.values())
    assert db.scalar(select(func.count()).select_from(RetentionAudit)) == 0

    assert main(["purge", "--json"]) == 0
    real = json.loads(capsys.readouterr().out)
    assert {k: real["counts"][k] for k in STAGES} == EXPECTED
    assert real["counts"]["files_deleted"] == 2
    db.expire_all()
    # 4 years old: anonymised. Aggregates stay, words and identity go.
    old = db.get(Call, calls["old"])
    assert old is not None and old.result is None and old.customer_code is None and old.meta == {}
    assert old.audio_path is None and _segments(db, calls["old"]) == 0
    fact = db.get(CallFact, calls["old"])
    assert fact is not None and fact.customer_code is None and fact.sample_text is None and fact.primary_intent
    findings = db.scalars(select(FindingRow).where(FindingRow.call_id == calls["old"])).all()
    assert findings and all(f.evidence == [] for f in findings)
    assert db.scalar(select(func.count()).select_from(CustomerTag).where(CustomerTag.customer_code == "K1")) == 0
    # 200 days: only the recording went.
    mid = db.get(Call, calls["mid"])
    assert mid is not None and mid.audio_path is None and mid.result is not None and _segments(db, calls["mid"]) > 0
    assert not (settings.audio_dir / f"{calls['mid']}.wav").exists()
    # Recent and held calls: untouched.
    for key in ("new", "held"):
        c = db.get(Call, calls[key])
        assert c is not None and c.audio_path and c.result and _segments(db, calls[key]) > 0
        assert (settings.audio_dir / f"{calls[key]}.wav").exists()
    hits = table_hits(db, [NAME])
    assert "calls.meta" in hits  # the recent and held calls still carry the name
    entry = db.scalars(select(RetentionAudit).where(RetentionAudit.action == "purge")).one()
    assert entry.subject == "policy" and entry.counts["result"] == 1 and entry.actor_id is None
    # Idempotent: a second run finds nothing more.
    assert main(["purge", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)["counts"]
    assert again["result"] == again["audio"] == again["transcript"] == 0


def test_transcript_stage_and_keep_forever(db: Session, calls: dict[str, str], monkeypatch: pytest.MonkeyPatch,
                                           capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(settings, "retention_result_days", 0)  # keep results forever
    monkeypatch.setattr(settings, "retention_transcript_days", 100)
    assert main(["purge"]) == 0
    out = capsys.readouterr().out
    assert "kept forever" in out
    db.expire_all()
    for key in ("old", "mid"):
        c = db.get(Call, calls[key])
        assert c is not None and _segments(db, calls[key]) == 0 and c.audio_path is None
        assert c.result is not None and "segments" not in c.result and c.customer_code  # result kept
    assert _segments(db, calls["new"]) > 0 and _segments(db, calls["held"]) > 0


def test_audit_stage_removes_old_entries(db: Session, calls: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    db.add(RetentionAudit(at=utcnow() - timedelta(days=400), actor_name="admin", action="call.deleted",
                          subject="call:x", counts={}, reason=""))
    db.flush()
    monkeypatch.setattr(settings, "retention_audit_days", 365)
    from callsight.services.purge import purge

    rep = purge(db, dry_run=False)
    assert rep.counts["audit.retention"] == 1
    assert rep.counts["audit.call_events"] >= 0
    assert db.scalar(select(func.count()).select_from(RetentionAudit).where(RetentionAudit.subject == "call:x")) == 0
    assert CODE  # the shared customer constants stay importable for the other tests


def test_beat_runs_the_purge_daily() -> None:
    from workers.celery_app import celery_app

    celery_app.loader.import_default_modules()  # what a worker / beat process does at start
    entry = celery_app.conf.beat_schedule["retention-purge"]
    assert entry["task"] == "callsight.retention_purge" and "callsight.retention_purge" in celery_app.tasks
    assert entry["schedule"].remaining_estimate(utcnow()).total_seconds() <= 24 * 3600

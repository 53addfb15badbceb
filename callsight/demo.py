"""The main job of a fresh install: migrate, register the sample branches and demo
users, push every bundled sample call through the real pipeline (same services and
job runner as the API and the worker) and write the results."""

from __future__ import annotations

import json
import time
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy import select

from callsight import auth
from callsight.config import settings
from callsight.db.migrate import upgrade
from callsight.db.models import Branch, Call, CallStatus, User
from callsight.db.session import get_engine, session_scope
from callsight.schemas import CallMeta, parse_meta
from callsight.services import calls as svc
from callsight.services import processing
from core.jsonio import JsonObject
from core.result import CallResult

AUDIO_SUFFIXES = (".opus", ".ogg", ".flac", ".wav", ".mp3", ".m4a")
DEMO_USERS = [
    # name, role, branches, agent code, may see personal data
    ("demo-admin", "admin", [], None, True),
    ("demo-qa", "qa", [], None, False),
    ("demo-manager", "manager", ["城东支行"], None, False),
    ("demo-agent", "agent", [], "A1023", False),
]


class _SampleRef(BaseModel):
    """A bundled sample's reference file: only its call meta matters here."""

    meta: JsonObject = Field(default_factory=dict)


def _sample_meta(audio: Path) -> CallMeta:
    ref = audio.with_suffix(".json")
    found = _SampleRef.model_validate_json(ref.read_text(encoding="utf-8")).meta if ref.exists() else {}
    return parse_meta(found)


def _ensure_branches(names: set[str]) -> None:
    with session_scope() as session:
        for name in sorted(names):
            if session.scalar(select(Branch).where(Branch.name == name)) is None:
                session.add(Branch(name=name, region="示范区域", size_band="M"))
        session.commit()


def _ensure_users() -> dict[str, str]:
    """Create (or re-key) the demo users; returns name -> API key."""
    keys: dict[str, str] = {}
    with session_scope() as session:
        for name, role, branches, agent, pii in DEMO_USERS:
            user = session.scalar(select(User).where(User.name == name))
            if user is None:
                _, key = auth.create_user(session, name=name, role=role, branch_names=branches,
                                          agent_code=agent, can_see_pii=pii)
            else:
                key = auth.generate_key()
                user.api_key_hash = auth.hash_key(key)
            keys[name] = key
        session.commit()
    return keys


def run_demo(samples_dir: Path, out_dir: Path) -> None:
    from callsight import dispatch

    run_process_call = dispatch.jobs().process_call
    upgrade(get_engine())
    audios = sorted(p for p in samples_dir.iterdir() if p.suffix in AUDIO_SUFFIXES) if samples_dir.is_dir() else []
    if not audios:
        raise SystemExit(f"no sample calls found in {samples_dir}")
    metas = {a: _sample_meta(a) for a in audios}
    _ensure_branches({m.branch for m in metas.values() if m.branch})
    keys = _ensure_users()
    out_dir.mkdir(parents=True, exist_ok=True)
    print(f"processing {len(audios)} sample call(s) from {samples_dir}")
    total_audio = total_wall = 0.0
    for audio in audios:
        meta = metas[audio]
        with session_scope() as session:
            existing = session.scalar(select(Call).where(Call.original_filename == audio.name,
                                                         Call.sha256 == svc.file_sha256(audio)))
            if existing is None:
                call = svc.create_audio_call(session, meta=meta, upload_path=audio, filename=audio.name,
                                             audio_dir=settings.audio_dir, max_duration_s=settings.max_duration_s)
            else:
                call = existing
                processing.requeue(session, call)  # re-running replaces the results
            session.commit()
            call_id = call.id
        t0 = time.perf_counter()
        status = run_process_call(call_id)
        wall = time.perf_counter() - t0
        with session_scope() as session:
            done = session.get(Call, call_id)
            assert done is not None
            duration = done.duration_s or 0.0
            if status == CallStatus.done.value and done.result is not None:
                (out_dir / f"{audio.stem}.json").write_text(
                    json.dumps(done.result, ensure_ascii=False, indent=2), encoding="utf-8")
                print(f"  {audio.name:40s} {duration:6.1f} s audio  {wall:5.1f} s  "
                      f"{len(done.segments):3d} segments  -> {out_dir / (audio.stem + '.json')}")
                total_audio += duration
                total_wall += wall
            else:
                print(f"  {audio.name:40s} FAILED: {done.error}")
    if total_wall:
        print(f"\n{total_audio:.0f} s of audio in {total_wall:.0f} s ({total_audio / total_wall:.1f}x real time)")
    _print_findings(out_dir)
    _reports(settings.data_dir / "reports")
    print(f"results: {out_dir}/  database: {settings.resolved_database_url}")
    print("demo API keys (use as 'Authorization: Bearer <key>'):")
    for name, key in keys.items():
        print(f"  {name:14s} {key}")
    (settings.data_dir / "demo-keys.json").write_text(json.dumps(keys, indent=2), encoding="utf-8")


def _print_findings(out_dir: Path) -> None:
    """What a QA lead would look at first: per call the intent, risk, failed rules and openings."""
    print("\nper call: primary intent | complaint risk | failed rules | upsell openings (taken?)")
    for path in sorted(out_dir.glob("*.json")):
        r = CallResult.from_json(json.loads(path.read_text(encoding="utf-8")))
        failed = [f.rule for f in r.findings if f.applicable and not f.passed]
        openings = [f"{o.type}({'开口' if o.taken else '未开口'})" for o in r.upsell_openings]
        level = r.complaint_risk.level if r.complaint_risk is not None else "-"
        print(f"  {path.stem:34s} {r.primary_intent or '-':16s} {level:5s} {','.join(failed) or '-':40s} "
              f"{','.join(openings) or '-'}")


def _reports(out: Path) -> None:
    """Branch reports for the latest complete month with calls (HTML, PDF where Chromium is)."""
    from callsight.commands.reports import write_reports
    from callsight.errors import CallsightError

    print()
    try:
        write_reports("latest", None, out)
    except CallsightError as exc:  # e.g. no complete month with calls yet
        print(f"reports skipped: {exc.message}")

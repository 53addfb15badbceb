"""The ``callsight`` command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from callsight.config import settings
from callsight.errors import CallsightError, InvalidInput
from core.jsonio import JsonObject


def _parse_meta_args(items: list[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"--meta takes key=value, got '{item}'")
        meta[key.strip()] = value.strip()
    return meta


def cmd_analyze(args: argparse.Namespace) -> int:
    from callsight import privacy, runtime
    from callsight.analyze import analyze_file
    from callsight.analyze_summary import format_summary
    from core.result import CallResult

    meta = _parse_meta_args(args.meta or [])
    failures = 0
    for raw in args.paths:
        path = Path(raw)
        try:
            result = analyze_file(
                path, meta=meta, engine=runtime.asr_engine, analyzers=runtime.analyzers(),
                channel_map=runtime.channel_map, max_duration_s=settings.max_duration_s,
            )
            doc: JsonObject = result.to_json()
            if not args.show_pii:
                doc = privacy.mask_result(doc)
        except CallsightError as exc:
            failures += 1
            doc = {"input": str(path), "error": exc.to_dict()}
            print(f"callsight: {path}: {exc.message}", file=sys.stderr)
        if args.json:  # always JSON Lines: one object per line, also for a single input
            print(json.dumps(doc, ensure_ascii=False), flush=True)
        elif "error" not in doc:
            # The masked document read back: the summary shows what --json would (cheap).
            print(format_summary(CallResult.from_json(doc)) + "\n", flush=True)
    return 1 if failures else 0


def cmd_migrate(_: argparse.Namespace) -> int:
    from callsight.db.migrate import upgrade
    from callsight.db.session import get_engine

    upgrade(get_engine())
    print(f"database at head: {_safe_url()}")
    return 0


def _safe_url() -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    cmd_migrate(args)
    if settings.embedded:
        from callsight.dispatch import requeue_stale

        # In-process queue did not survive the last shutdown: pick its calls up again.
        n = requeue_stale(older_than_s=0, abandon_live_claims=True)
        if n:
            print(f"resuming {n} unfinished call(s)")
    uvicorn.run("api.app:app", host=args.host, port=args.port, log_level=settings.log_level.lower())
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    if settings.embedded:
        raise InvalidInput("no broker configured: set CALLSIGHT_BROKER_URL=redis://... to run a worker")
    # The app names its task modules (workers/): Celery imports them as the worker starts.
    from callsight.queue import celery_app

    argv = ["worker", f"--loglevel={settings.log_level}", f"--concurrency={args.concurrency}",
            "--prefetch-multiplier=1", "-Q", "callsight", "--without-gossip", "--without-mingle"]
    if args.beat:
        # Beat keeps its schedule state beside the data, not in whatever directory it was started from.
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        argv += ["--beat", f"--schedule={settings.data_dir / 'celerybeat-schedule'}"]
    celery_app.worker_main(argv)
    return 0


def cmd_requeue(args: argparse.Namespace) -> int:
    from callsight.dispatch import requeue_stale

    print(f"re-enqueued {requeue_stale(older_than_s=args.older_than)} call(s)")
    return 0


def cmd_branches(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from callsight.db.models import Branch
    from callsight.db.session import session_scope

    with session_scope() as session:
        if args.action == "add":
            if session.scalar(select(Branch).where(Branch.name == args.name)) is None:
                session.add(Branch(name=args.name, code=args.code, region=args.region, size_band=args.size_band))
                session.commit()
            print(f"branch '{args.name}' registered")
        else:
            for b in session.scalars(select(Branch).order_by(Branch.name)):
                print(f"{b.id}\t{b.name}\t{b.code or ''}\t{b.region or ''}\t{b.size_band or ''}")
    return 0


def _read_password() -> str:
    """From the terminal (asked twice), or the first line of stdin when piped (scripts)."""
    import getpass

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise InvalidInput("the two passwords differ")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    from callsight.auth import create_user
    from callsight.db.session import session_scope
    from callsight.sessions import set_password

    with session_scope() as session:
        if args.action == "set-password":
            set_password(session, args.name, _read_password())
            session.commit()
            print(f"password of '{args.name}' set; the user's console sessions were ended")
            return 0
        if not args.role:
            raise InvalidInput("users create needs --role")
        password = _read_password() if args.password else None
        user, key = create_user(session, name=args.name, role=args.role, branch_names=args.branch,
                                agent_code=args.agent_code, can_see_pii=args.pii)
        if password is not None:
            set_password(session, user.name, password)
        session.commit()
        print(f"user '{user.name}' ({user.role}) created; API key (shown once): {key}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from callsight.demo import run_demo

    run_demo(samples_dir=Path(args.samples), out_dir=Path(args.out))
    if args.serve:
        return cmd_serve(args)
    return 0


def cmd_redact(args: argparse.Namespace) -> int:
    """Transcribe, find where personal numbers were said, write a bleeped copy."""
    from asr.audio import AudioError
    from asr.redact import bleep
    from callsight import runtime
    from callsight.services.calls import audio_error_to_http
    from nlp.pii_audio import pii_time_spans

    src, out = Path(args.path), Path(args.out)
    try:
        transcript = runtime.asr_engine().transcribe(src, channel_map=runtime.channel_map(args.channel_layout),
                                                     max_duration_s=settings.max_duration_s)
        spans = pii_time_spans(transcript.segments)
        n = bleep(src, spans, out)
    except AudioError as exc:
        raise audio_error_to_http(exc, str(src)) from exc
    print(json.dumps({"input": str(src), "output": str(out), "bleeped": [[round(a, 2), round(b, 2)] for a, b in spans],
                      "count": n}, ensure_ascii=False))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from callsight import runtime
    from nlp.intents import evaluate_intents

    model = runtime.train_intent_model()
    print(f"intent model: {len(model.intents)} intents -> {settings.intent_model_file}")
    if settings.call_intent_enabled and runtime.call_corpus_files():
        # Its features include the turn model's probabilities: retrain it with the turn model.
        runtime.train_call_intent_model(model)
        print(f"call intent model -> {settings.call_intent_model_file}")
    if args.eval:
        scores = evaluate_intents(model, Path(args.eval))
        print(f"held-out {args.eval}: n={scores.n} accuracy={scores.accuracy:.3f} macro-F1={scores.macro_f1:.3f}")
        for intent, (p, r, f1, n) in sorted(scores.per_class.items()):
            print(f"  {intent:18s} P={p:.3f} R={r:.3f} F1={f1:.3f} n={n}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="callsight", description="Speech analytics for bank call centres")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="analyse recordings or transcript files in-process")
    a.add_argument("paths", nargs="+", help="audio files or transcript JSON files")
    a.add_argument("--meta", action="append", metavar="KEY=VALUE", help="call metadata (repeatable)")
    a.add_argument("--json", action="store_true", help="print the result JSON, one line per input (JSON Lines)")
    a.add_argument("--show-pii", action="store_true", help="do not mask personal numbers")
    a.set_defaults(fn=cmd_analyze)

    s = sub.add_parser("serve", help="run the HTTP API (migrates first)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(fn=cmd_serve)

    w = sub.add_parser("worker", help="run a Celery worker (needs CALLSIGHT_BROKER_URL)")
    w.add_argument("--concurrency", type=int, default=1)
    w.add_argument("--beat", action="store_true", help="also run the periodic sweeper")
    w.set_defaults(fn=cmd_worker)

    x = sub.add_parser("redact", help="write a copy of a recording with spoken personal numbers bleeped")
    x.add_argument("path")
    x.add_argument("--out", required=True, help="output file (FLAC)")
    x.add_argument("--channel-layout", default=None, help="e.g. agent,customer")
    x.set_defaults(fn=cmd_redact)

    t = sub.add_parser("train", help="(re)train a text model from its corpus")
    t.add_argument("what", choices=["intents"])
    t.add_argument("--eval", metavar="DIR", help="then score it on a labelled held-out folder")
    t.set_defaults(fn=cmd_train)

    sub.add_parser("migrate", help="create or upgrade the database schema").set_defaults(fn=cmd_migrate)

    r = sub.add_parser("requeue", help="re-enqueue calls whose message was lost or whose worker died")
    r.add_argument("--older-than", type=float, default=None, help="seconds (default: settings)")
    r.set_defaults(fn=cmd_requeue)

    b = sub.add_parser("branches", help="register or list branches")
    b.add_argument("action", choices=["add", "list"])
    b.add_argument("name", nargs="?")
    b.add_argument("--code")
    b.add_argument("--region")
    b.add_argument("--size-band")
    b.set_defaults(fn=cmd_branches)

    u = sub.add_parser("users", help="create a user and print its API key; set a console password")
    u.add_argument("action", choices=["create", "set-password"])
    u.add_argument("--name", required=True)
    u.add_argument("--role", choices=["admin", "qa", "manager", "agent"])
    u.add_argument("--password", action="store_true",
                   help="also set a console password (asked on the terminal, or the first line of stdin)")
    u.add_argument("--branch", action="append", help="branch name or code (repeatable)")
    u.add_argument("--agent-code")
    u.add_argument("--pii", action="store_true", help="may see unmasked personal data")
    u.set_defaults(fn=cmd_users)

    d = sub.add_parser("demo", help="the main job: process the bundled sample calls end to end")
    d.add_argument("--samples", default=str(Path(__file__).resolve().parent.parent / "samples" / "calls"))
    d.add_argument("--out", default=str(settings.data_dir / "results"))
    d.add_argument("--serve", action="store_true", help="then serve the API")
    d.add_argument("--host", default="127.0.0.1")
    d.add_argument("--port", type=int, default=8000)
    d.set_defaults(fn=cmd_demo)

    from callsight.commands import register_all

    register_all(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    if getattr(args, "action", None) == "add" and not getattr(args, "name", None):
        print("callsight: branches add needs a name", file=sys.stderr)
        return 2
    try:
        return int(args.fn(args))
    except CallsightError as exc:
        print(f"callsight: {exc.message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

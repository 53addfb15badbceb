"""``callsight purge [--dry-run] [--json]``: apply the retention policy now, or show
what it would remove. The beat task ``callsight.retention_purge`` runs the same
service daily (workers/retention.py)."""

from __future__ import annotations

import argparse
import json

from callsight.services.purge import PurgeReport

LABELS = {"audio": "recordings", "transcript": "transcripts", "result": "calls anonymised (results, identity)",
          "audit.review": "review audit entries", "audit.retention": "retention audit entries",
          "audit.call_events": "call events", "audit.webhooks": "sent webhook payloads"}


def run_purge(*, dry_run: bool, actor_name: str = "system:retention") -> PurgeReport:
    """One purge run in its own transaction; files go only after the commit."""
    from callsight.db.session import session_scope
    from callsight.services.purge import purge
    from callsight.services.retention import unlink_files

    with session_scope() as session:
        report = purge(session, dry_run=dry_run, actor_name=actor_name)
        if dry_run:
            session.rollback()
            return report
        session.commit()
    report.counts["files_deleted"] = unlink_files(report.files)
    return report


def cmd_purge(args: argparse.Namespace) -> int:
    report = run_purge(dry_run=args.dry_run, actor_name="cli:callsight purge")
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, sort_keys=True))
        return 0
    print("retention purge: " + ("dry run, nothing changed; would remove:" if args.dry_run else "removed:"))
    for key, label in LABELS.items():
        if key in report.counts:
            print(f"  {report.counts[key]:>7} {label}")
    if "files_deleted" in report.counts:
        print(f"  {report.counts['files_deleted']:>7} files")
    print("periods (from the call's start):")
    for stage, cut in report.cutoffs.items():
        print(f"  {stage:<10} {'kept forever' if cut is None else 'older than ' + cut[:19] + 'Z'}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("purge", help="apply the retention policy (audio, transcripts, results, audit periods)")
    p.add_argument("--dry-run", action="store_true", help="count what would go; change nothing")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(fn=cmd_purge)

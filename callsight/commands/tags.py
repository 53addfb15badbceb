"""``callsight tags``: client-tag maintenance from the command line.

``tags deliver`` re-sends CRM webhook payloads left in the outbox (receiver down,
lost broker message); under Celery the beat schedule does this every minute.
``tags rebuild`` re-applies stored results to the profiles (after upgrading the
tag rules); it is idempotent.
"""

from __future__ import annotations

import argparse
from datetime import timedelta


def cmd_deliver(args: argparse.Namespace) -> int:
    from callsight.db.models import utcnow
    from callsight.webhooks import sweep_outbox

    # --now also takes rows still in their backoff (or first-attempt grace) window.
    n = sweep_outbox(now=utcnow() + timedelta(days=3650) if args.now else utcnow())
    print(f"{n} webhook payload(s) handed for delivery")
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from callsight.db.models import Call, CallStatus
    from callsight.db.session import session_scope
    from callsight.services.tags import apply_call

    with session_scope() as session:
        ids = list(session.scalars(select(Call.id).where(Call.status == CallStatus.done.value,
                                                         Call.customer_code.is_not(None)).order_by(Call.id)))
    changed = 0
    for call_id in ids:
        with session_scope() as session:
            call = session.get(Call, call_id)
            if call is not None:
                changed += len(apply_call(session, call))
                session.commit()
    print(f"{len(ids)} call(s) re-applied, {changed} tag change(s)")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("tags", help="client tags: deliver pending CRM webhooks, rebuild profiles")
    tsub = p.add_subparsers(dest="tags_cmd", required=True)
    d = tsub.add_parser("deliver", help="send webhook payloads still pending in the outbox")
    d.add_argument("--now", action="store_true", help="also those still waiting out their retry backoff")
    d.set_defaults(fn=cmd_deliver)
    r = tsub.add_parser("rebuild", help="re-apply every analysed call to the customer profiles (idempotent)")
    r.set_defaults(fn=cmd_rebuild)

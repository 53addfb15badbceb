"""``callsight review``: mark senior reviewers, backfill findings of calls analysed
before the review workflow existed."""

from __future__ import annotations

import argparse

from callsight.errors import InvalidInput


def cmd_set_senior(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from callsight.db.models import Role, User
    from callsight.db.session import session_scope

    with session_scope() as session:
        user = session.scalar(select(User).where(User.name == args.name))
        if user is None:
            raise InvalidInput(f"no user named '{args.name}'")
        if user.role != Role.qa.value:
            raise InvalidInput(f"'{args.name}' is a {user.role}: only qa users can be senior reviewers")
        user.is_senior = not args.off
        session.commit()
        print(f"user '{user.name}' is {'now' if user.is_senior else 'no longer'} a senior reviewer")
    return 0


def cmd_backfill(args: argparse.Namespace) -> int:
    """Create findings rows, scores and queue entries for done calls that have none."""
    from sqlalchemy import select

    from callsight.db.models import Call, CallStatus
    from callsight.db.review import FindingRow
    from callsight.db.session import session_scope
    from callsight.services import review
    from callsight.services.results import load_result

    done = 0
    with session_scope() as session:
        ids = list(session.scalars(
            select(Call.id).where(Call.status == CallStatus.done.value, Call.result.is_not(None),
                                  ~Call.id.in_(select(FindingRow.call_id).distinct())).order_by(Call.id)))
    for start in range(0, len(ids), args.batch):
        with session_scope() as session:
            for call_id in ids[start : start + args.batch]:
                call = session.get(Call, call_id)
                result = load_result(call) if call is not None else None
                if call is not None and result is not None:
                    review.sync_findings(session, call, result)
                    done += 1
            session.commit()
    print(f"synced findings of {done} calls")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("review", help="QA review workflow administration")
    rsub = p.add_subparsers(dest="review_cmd", required=True)
    s = rsub.add_parser("set-senior", help="let a qa user assign work to others and rule on appeals")
    s.add_argument("name")
    s.add_argument("--off", action="store_true", help="remove the senior flag")
    s.set_defaults(fn=cmd_set_senior)
    b = rsub.add_parser("backfill", help="sync findings of done calls that have none (after upgrading)")
    b.add_argument("--batch", type=int, default=200)
    b.set_defaults(fn=cmd_backfill)

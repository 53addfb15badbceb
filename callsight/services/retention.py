"""Deletion of a call and of one customer's data (个人信息保护法: deletion on request),
legal holds, and the erasure steps the scheduled purge (callsight/services/purge.py)
shares with them.

Where a call leaves data, and what happens to it here:
- rows with a foreign key to ``calls`` (segments — the search index —, events, findings,
  review items, appeals, calibration rows, call facts, tag observations, upsell openings
  and suggestions, legal holds) go with the call (ON DELETE CASCADE);
- rows that name a call without a foreign key on purpose (review audit, tag history,
  current tags' provenance, suggestions' outcome call, webhook outbox) are redacted or
  recomputed, because they outlive the call;
- stored reports that quote a deleted call's sentence are rebuilt from what remains;
  report files that quote it are removed (``callsight reports`` writes them again);
- audio files are returned to the caller, who deletes them after the commit (a rolled
  back deletion must not have lost the recording).

Services never commit; the route, task or command does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from callsight import webhooks
from callsight.auth import Principal, Role
from callsight.config import settings
from callsight.db.facts import CallFact
from callsight.db.models import Call, CallStatus, utcnow
from callsight.db.reports import Report
from callsight.db.retention import LegalHold, RetentionAudit
from callsight.db.review import ReviewAudit
from callsight.db.tags import CustomerTag, TagEvent, TagObservationRow, TagOutbox
from callsight.db.upsell import CrmSale, UpsellSuggestionRow
from callsight.errors import Conflict, Forbidden, InvalidInput, NotFound

REDACTED = {"redacted": "call deleted (retention)"}


@dataclass
class Erasure:
    """What one deletion removed: counts for the audit, files to unlink after commit."""

    counts: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    def add(self, key: str, n: int) -> None:
        if n:
            self.counts[key] = self.counts.get(key, 0) + n


def affected(session: Session, stmt: Any) -> int:
    """Rows an UPDATE / DELETE touched."""
    return int(getattr(session.execute(stmt), "rowcount", 0) or 0)


def customer_digest(customer_code: str) -> str:
    """How the audit names a customer: enough to answer "was customer X deleted?" by
    hashing X again, without storing the code itself."""
    return hashlib.sha256(f"callsight-customer:{customer_code}".encode()).hexdigest()[:32]


# --------------------------------------------------------------------------- permissions

def require_deleter(principal: Principal) -> None:
    if principal.role is not Role.admin:
        raise Forbidden("只有管理员可以删除数据 (only an admin may delete calls or customer data)")


def require_hold_keeper(session: Session, principal: Principal) -> None:
    """Admins and QA leads (senior QA reviewers) set and clear legal holds."""
    from callsight.db.models import User

    if principal.role is Role.admin:
        return
    user = session.get(User, principal.user_id)
    if principal.role is Role.qa and user is not None and user.is_senior:
        return
    raise Forbidden("只有管理员或质检主管可以设置法律保全 (only an admin or a QA lead may set a legal hold)")


# --------------------------------------------------------------------------- legal hold

def held_ids(session: Session, call_ids: Sequence[str]) -> list[str]:
    if not call_ids:
        return []
    return sorted(session.scalars(select(LegalHold.call_id).where(LegalHold.call_id.in_(call_ids))))


def check_not_held(session: Session, call_ids: Sequence[str]) -> None:
    held = held_ids(session, call_ids)
    if held:
        raise Conflict(
            f"通话处于法律保全中，不能删除：{', '.join(held)} "
            f"(call(s) under legal hold cannot be deleted; clear the hold first)",
            code="legal_hold", details={"held_calls": held})


def check_not_busy(calls: Sequence[Call]) -> None:
    """A call a worker is transcribing or analysing right now would be written back
    by it; wait for it to finish (a queued call is fine: the job finds it gone)."""
    busy = sorted(c.id for c in calls if c.status in (CallStatus.transcribing.value, CallStatus.analysing.value))
    if busy:
        raise Conflict(f"通话正在处理中，请稍后再删除：{', '.join(busy)} (call(s) being processed right now; retry "
                       f"when done)", code="busy", details={"busy_calls": busy})


def set_hold(session: Session, principal: Principal, call_id: str, reason: str) -> LegalHold:
    require_hold_keeper(session, principal)
    if not reason.strip():
        raise InvalidInput("a legal hold needs a reason (e.g. the case number)")
    if session.get(Call, call_id) is None:
        raise NotFound(f"no call with id {call_id}")
    hold = session.get(LegalHold, call_id)
    if hold is None:
        hold = LegalHold(call_id=call_id, reason=reason.strip(), set_by_id=principal.user_id, set_at=utcnow())
        session.add(hold)
    else:
        hold.reason, hold.set_by_id, hold.set_at = reason.strip(), principal.user_id, utcnow()
    audit(session, principal, "hold.set", f"call:{call_id}", {}, reason.strip())
    session.flush()
    return hold


def clear_hold(session: Session, principal: Principal, call_id: str) -> None:
    require_hold_keeper(session, principal)
    hold = session.get(LegalHold, call_id)
    if hold is None:
        raise NotFound(f"call {call_id} has no legal hold")
    session.delete(hold)
    audit(session, principal, "hold.cleared", f"call:{call_id}", {}, "")
    session.flush()


def audit(session: Session, principal: Principal | None, action: str, subject: str,
          counts: dict[str, int], reason: str) -> None:
    session.add(RetentionAudit(
        at=utcnow(), actor_id=principal.user_id if principal else None,
        actor_name=principal.name if principal else "system:retention", action=action, subject=subject,
        counts=dict(counts), reason=reason[:2000]))


# --------------------------------------------------------------------------- erasure steps

def recording_files(call: Call) -> list[Path]:
    """The stored recording, and anything else under the audio directory named after
    the call (a redacted copy, a leftover .part)."""
    out: list[Path] = []
    if call.audio_path:
        out.append(Path(call.audio_path))
    audio_dir = settings.audio_dir
    if audio_dir.is_dir():
        out.extend(p for p in audio_dir.glob(f"{call.id}*") if p not in out)
    return out


def call_files(call: Call) -> list[Path]:
    """Every file of the call: its recordings, and the result file `callsight demo`
    wrote for it as <recording stem>.json under data_dir/results."""
    out = recording_files(call)
    if call.original_filename:
        result = settings.data_dir / "results" / f"{Path(call.original_filename).stem}.json"
        if result.is_file() and call.id in result.read_text(encoding="utf-8", errors="replace"):
            out.append(result)
    return out


def unlink_files(paths: Iterable[Path]) -> int:
    """After the commit: remove the files the committed deletion released."""
    n = 0
    for p in paths:
        try:
            p.unlink()
            n += 1
        except FileNotFoundError:
            pass
    return n


def redact_call_mentions(session: Session, call_ids: Sequence[str], er: Erasure) -> None:
    """Rows that name these calls without a foreign key keep their shape, lose the words.
    Bulk statements on purpose: review_audit is append-only for the ORM, and erasure is
    the one sanctioned exception (its action and actor stay; before/after may quote)."""
    ids = list(call_ids)
    er.add("review_audit_redacted", affected(session, update(ReviewAudit).where(ReviewAudit.call_id.in_(ids))
                                             .values(before=None, after=None, detail=REDACTED)))
    er.add("tag_events_redacted", affected(session, update(TagEvent).where(
        or_(TagEvent.call_id.in_(ids), TagEvent.trigger_call_id.in_(ids))).values(words="", segment=None)))
    session.execute(update(UpsellSuggestionRow).where(UpsellSuggestionRow.outcome_call_id.in_(ids))
                    .values(outcome_call_id=None))


def _quotes(text: str, needles: Sequence[str]) -> bool:
    return any(n and n in text for n in needles)


@dataclass
class Quotes:
    """What reports may quote of some calls, and where to look: their sample
    sentences, branches and days (read from call_facts before the rows change)."""

    needles: list[str]
    branch_ids: set[int]
    first_day: date | None = None
    last_day: date | None = None


def quotes_of(session: Session, call_ids: Sequence[str]) -> Quotes:
    rows = session.execute(select(CallFact.sample_text, CallFact.branch_id, CallFact.day).where(
        CallFact.call_id.in_(list(call_ids)))).all()
    q = Quotes(needles=sorted({r.sample_text for r in rows if r.sample_text}),
               branch_ids={r.branch_id for r in rows if r.branch_id is not None})
    if rows:
        q.first_day, q.last_day = min(r.day for r in rows), max(r.day for r in rows)
    return q


def refresh_reports(session: Session, quotes: Quotes, er: Erasure) -> None:
    """Rebuild the stored reports that quote one of the sample sentences (only those of
    the calls' branches and periods are read) and drop their written files; call after
    the rows are gone."""
    if not quotes.needles or quotes.first_day is None or quotes.last_day is None:
        return
    from callsight.db.models import Branch
    from callsight.reports.build import build_branch_report
    from callsight.reports.firm import build_firm_report
    from callsight.reports.store import resolve_period

    stmt = select(Report).where(
        Report.content.is_not(None), Report.period_start <= quotes.last_day, Report.period_end > quotes.first_day,
        or_(Report.branch_id.in_(quotes.branch_ids), Report.branch_id.is_(None)))
    out_dir = settings.report_out_dir or settings.data_dir / "reports"
    for rep in session.scalars(stmt).all():
        if not _quotes(json.dumps(rep.content, ensure_ascii=False), quotes.needles):
            continue
        period = resolve_period(session, rep.period)
        branch = session.get(Branch, rep.branch_id) if rep.branch_id is not None else None
        rep.content = build_firm_report(session, period) if branch is None else build_branch_report(
            session, branch, period)
        rep.generated_at = utcnow()
        er.add("reports_rebuilt", 1)
        # Where `callsight reports` / the demo wrote this report (commands/reports.py).
        stem = "firm" if branch is None else branch.code or f"branch-{branch.id}"
        html = out_dir / rep.period.replace("..", "_") / f"{stem}.html"
        if html.is_file() and _quotes(html.read_text(encoding="utf-8", errors="replace"), quotes.needles):
            er.files.extend(html.parent.glob(f"{stem}.*"))
            er.add("report_files", 1)


def erase_calls(session: Session, calls: Sequence[Call], er: Erasure) -> None:
    """Delete these calls and everything derived from them (see the module docstring)."""
    if not calls:
        return
    ids = [c.id for c in calls]
    quotes = quotes_of(session, ids)
    for call in calls:
        er.files.extend(call_files(call))
    redact_call_mentions(session, ids, er)
    # Tag evidence of these calls is withdrawn and the profiles recomputed, unless the
    # caller deletes the whole profile anyway (customer deletion).
    from callsight.services.tags import apply_call

    for call in calls:
        if session.scalar(select(TagObservationRow.id).where(TagObservationRow.call_id == call.id).limit(1)):
            call.result = None
            apply_call(session, call)
    session.flush()
    er.add("calls", affected(session, delete(Call).where(Call.id.in_(ids))))
    refresh_reports(session, quotes, er)


# --------------------------------------------------------------------------- requests

def delete_call(session: Session, principal: Principal, call_id: str, reason: str = "") -> Erasure:
    require_deleter(principal)
    call = session.get(Call, call_id)
    if call is None:
        raise NotFound(f"no call with id {call_id}")
    check_not_held(session, [call_id])
    check_not_busy([call])
    er = Erasure()
    erase_calls(session, [call], er)
    audit(session, principal, "call.deleted", f"call:{call_id}", er.counts, reason)
    session.flush()
    return er


def delete_customer(session: Session, principal: Principal, customer_code: str, reason: str = "") -> Erasure:
    """Everything stored about one customer: calls (with all they derived), audio,
    profile, tag history, CRM sales, webhook payloads; then a deletion event for the CRM."""
    require_deleter(principal)
    code = customer_code.strip()
    if not code:
        raise InvalidInput("customer code is empty")
    calls = list(session.scalars(select(Call).where(Call.customer_code == code)))
    tables: list[Any] = [CustomerTag, TagEvent, TagObservationRow, CrmSale, TagOutbox]
    known = bool(calls) or any(session.scalar(select(t.id).where(t.customer_code == code).limit(1))
                               for t in tables)
    if not known:
        raise NotFound(f"no data stored for customer {code}")
    check_not_held(session, [c.id for c in calls])
    check_not_busy(calls)
    er = Erasure()
    # Profile rows first, so erase_calls does not recompute a profile about to go.
    for table, key in ((TagObservationRow, "tag_observations"), (CustomerTag, "customer_tags"),
                       (TagEvent, "tag_events"), (CrmSale, "crm_sales"), (TagOutbox, "webhook_payloads")):
        er.add(key, affected(session, delete(table).where(table.customer_code == code)))
    erase_calls(session, calls, er)
    if settings.tags_webhook_url:
        # The CRM learns of the deletion through the same signed outbox; the code is its
        # own identifier, and the payload is scrubbed once delivered (callsight/webhooks.py).
        row = TagOutbox(customer_code=code, payload={
            "type": "customer.deleted", "created_at": utcnow().isoformat(), "customer": code,
            "calls_deleted": er.counts.get("calls", 0)},
            # The first attempt follows the commit; the sweeper only takes rows left behind.
            next_attempt_at=utcnow() + timedelta(seconds=webhooks.SWEEP_GRACE_S))
        session.add(row)
        session.flush()
        webhooks.deliver_after_commit(session, [row.id])
        er.add("crm_notified", 1)
    audit(session, principal, "customer.deleted", f"customer:{customer_digest(code)}", er.counts, reason)
    session.flush()
    return er

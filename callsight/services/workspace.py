"""The QA workspace (issue 14): saved views, bulk verdicts, the list of calibration
sessions, and the tables behind CSV / XLSX export. Services never commit."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from callsight.auth import Principal, Role, require_role
from callsight.db.console import SavedView
from callsight.db.models import User
from callsight.db.review import Calibration, CalibrationReviewer, FindingRow
from callsight.errors import CallsightError, InvalidInput, NotFound
from callsight.services import review, review_queue
from callsight.xlsx import Cell, write_xlsx

VIEW_PAGES = ("queue", "calls", "search")
# The filters each page understands; anything else in a saved query is refused, not kept silently.
VIEW_KEYS = {
    "queue": {"branch", "agent", "rule", "state", "kind", "assignee", "from", "to", "min_service", "max_service"},
    "calls": {"branch", "agent", "status", "from", "to"},
    "search": {"q", "branch", "agent", "speaker", "from", "to"},
}
MAX_BULK = 200
MAX_EXPORT = 5000


def _page(page: str) -> str:
    if page not in VIEW_PAGES:
        raise InvalidInput(f"page: unknown page '{page}' ({', '.join(VIEW_PAGES)})")
    return page


def list_views(session: Session, principal: Principal, page: str) -> list[SavedView]:
    stmt = select(SavedView).where(SavedView.user_id == principal.user_id, SavedView.page == _page(page))
    return list(session.scalars(stmt.order_by(SavedView.name)))


def save_view(session: Session, principal: Principal, page: str, name: str, query: str) -> SavedView:
    """Create or replace the caller's view ``name`` on ``page``."""
    name = name.strip()
    if not name:
        raise InvalidInput("name: a saved view needs a name")
    pairs = [(k, v) for k, v in parse_qsl(query.lstrip("?"), keep_blank_values=False) if k != "offset"]
    unknown = sorted({k for k, _ in pairs} - VIEW_KEYS[_page(page)])
    if unknown:
        raise InvalidInput(f"query: unknown filter(s) for the {page} page: {', '.join(unknown)}",
                           details=[{"field": "query", "problem": f"unknown filter '{k}'"} for k in unknown])
    view = session.scalar(select(SavedView).where(SavedView.user_id == principal.user_id, SavedView.page == page,
                                                  SavedView.name == name))
    if view is None:
        view = SavedView(user_id=principal.user_id, page=page, name=name)
        session.add(view)
    view.query = urlencode(pairs)
    session.flush()
    return view


def delete_view(session: Session, principal: Principal, view_id: int) -> None:
    view = session.get(SavedView, view_id)
    if view is None or view.user_id != principal.user_id:  # another user's view does not exist for you
        raise NotFound(f"saved view {view_id} not found")
    session.delete(view)


def bulk_verdicts(session: Session, principal: Principal, finding_ids: Sequence[int], verdict: str,
                  comment: str | None) -> list[FindingRow]:
    """One verdict on many failed findings, all or nothing: the first finding that cannot
    take it stops the batch (the route rolls back), with its id in the error."""
    require_role(principal, Role.admin, Role.qa)
    ids = list(dict.fromkeys(finding_ids))
    if not ids:
        raise InvalidInput("finding_ids: choose at least one finding")
    if len(ids) > MAX_BULK:
        raise InvalidInput(f"finding_ids: at most {MAX_BULK} findings at once, got {len(ids)}")
    out: list[FindingRow] = []
    for fid in ids:
        try:
            out.append(review.record_verdict(session, principal, fid, verdict, comment))
        except CallsightError as err:
            err.message = f"finding {fid}: {err.message} (no verdict of this batch was saved)"
            err.args = (err.message,)
            err.details = {"finding_id": fid, "done_before": len(out)}
            raise
    return out


def list_calibrations(session: Session, principal: Principal) -> list[Calibration]:
    """Leads see every session; other reviewers those they are in or created."""
    require_role(principal, Role.admin, Role.qa)
    stmt = select(Calibration)
    if not review.is_lead(session, principal):
        mine = select(CalibrationReviewer.calibration_id).where(CalibrationReviewer.user_id == principal.user_id)
        stmt = stmt.where(or_(Calibration.id.in_(mine), Calibration.created_by_id == principal.user_id))
    return list(session.scalars(stmt.order_by(Calibration.created_at.desc(), Calibration.id.desc()).limit(200)))


def reviewers(session: Session, principal: Principal) -> list[User]:
    """Active QA reviewers and admins: whom a lead can put in a calibration or assign calls to."""
    require_role(principal, Role.admin, Role.qa)
    stmt = select(User).where(User.active, User.role.in_((Role.qa.value, Role.admin.value)))
    return list(session.scalars(stmt.order_by(User.name)))


def members(session: Session, calibration_id: int) -> list[int]:
    return list(session.scalars(select(CalibrationReviewer.user_id)
                                .where(CalibrationReviewer.calibration_id == calibration_id)))


REVIEW_STATES = {"none": "无需审核", "queued": "待审核", "in_review": "审核中", "reviewed": "已审核",
                 "closed": "已结案"}
KIND_LABELS = {"flagged": "预警", "sample": "抽检", "manual": "人工加入"}
SEVERITY_LABELS = {"fatal": "致命", "major": "严重", "minor": "一般"}
STATUS_LABELS = {"auto": "待审核", "confirmed": "已确认", "dismissed": "已驳回"}
SPEAKERS = {"agent": "坐席", "customer": "客户"}

QUEUE_HEADERS = ("通话", "网点", "坐席", "开始时间", "来源", "未通过项", "服务分", "营销分", "审核状态", "审核人")
SEARCH_HEADERS = ("通话", "网点", "坐席", "开始时间", "说话人", "位置（秒）", "原文")


def queue_table(session: Session, principal: Principal, flt: review_queue.QueueFilter) -> list[list[Cell]]:
    """The queue as export rows (Chinese labels; rule titles, not ids), up to MAX_EXPORT calls."""
    entries, _ = review_queue.list_queue(session, principal, replace(flt, limit=MAX_EXPORT, offset=0))
    rows: list[list[Cell]] = []
    for e in entries:
        failed = "；".join(f"{SEVERITY_LABELS.get(f.severity, f.severity)}·{f.title}"
                          f"（{STATUS_LABELS.get(f.status, f.status)}）" for f in e.failed_rules)
        when = e.call.started_at or e.call.created_at
        rows.append([e.call.id, e.call.branch.name if e.call.branch else "", e.call.agent_code or "",
                     when.isoformat(timespec="seconds") if when else "", KIND_LABELS.get(e.item.kind, e.item.kind),
                     failed, e.call.service_score, e.call.marketing_score,
                     REVIEW_STATES.get(e.call.review_state, e.call.review_state), e.assignee_name or ""])
    return rows


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """UTF-8 with a BOM (Excel on Chinese Windows reads it right); cells that a spreadsheet
    would run as a formula are prefixed with an apostrophe (CSV injection)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers)
    for row in rows:
        w.writerow(["'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else
                    ("" if v is None else v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(headers: Sequence[str], rows: Sequence[Sequence[Cell]], sheet: str) -> bytes:
    return write_xlsx(headers, rows, sheet)


def check_export_format(fmt: str) -> str:
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(f"format: '{fmt}' is not csv or xlsx")
    return fmt


"""The web console under /ui: server-rendered page shells (Jinja2) whose scripts read
and write through the same /v1 API, so every scope check stays in the API.

The pages know who is logged in (from the session cookie, api/routes/ui_session.py)
only to choose the navigation and hide actions a role cannot take; a page a role may
not use answers 403 here as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from api.deps import SessionDep, client_ip
from api.routes import media
from api.routes.ui_session import COOKIE, SessionAuth, cookie_value
from callsight import oidc, ratelimit, sessions
from callsight.auth import Principal, Role, authenticate
from callsight.config import settings
from callsight.db.models import User
from callsight.errors import TooManyRequests, Unauthorized
from core.enums import INTENT_LABELS, OPENING_LABELS

HERE = Path(__file__).resolve().parent.parent
templates = Jinja2Templates(directory=HERE / "templates")
# The ids' Chinese names come from their one definition (core/enums.py); common.js reads them.
templates.env.globals["id_labels"] = {"intent": dict(INTENT_LABELS), "opening": dict(OPENING_LABELS)}
router = APIRouter(prefix="/ui", include_in_schema=False)

ROLE_LABELS = {"admin": "管理员", "qa": "质检员", "manager": "网点负责人", "agent": "坐席"}
ALL = (Role.admin, Role.qa, Role.manager, Role.agent)
# (page id, label, url, roles that see it) in navigation order.
NAV: list[tuple[str, str, str, tuple[Role, ...]]] = [
    ("agent", "我的工作台", "/ui/agent", (Role.agent,)),
    ("manager", "网点概览", "/ui/manager", (Role.admin, Role.qa, Role.manager)),
    ("topics", "客户之声", "/ui/topics", (Role.admin, Role.qa, Role.manager)),
    ("queue", "质检队列", "/ui/queue", (Role.admin, Role.qa, Role.manager)),
    ("search", "转写搜索", "/ui/search", (Role.admin, Role.qa, Role.manager)),
    ("calls", "通话列表", "/ui/calls", ALL),
    ("appeals", "申诉", "/ui/appeals", ALL),
    ("precision", "规则准确率", "/ui/precision", (Role.admin, Role.qa)),
    ("calibration", "校准", "/ui/calibration", (Role.admin, Role.qa)),
    ("rules", "规则编辑", "/ui/rules", (Role.admin, Role.qa)),
    ("live", "实时辅助", "/ui/live", (Role.admin, Role.agent)),
]
# Pages outside the navigation that not every role may open.
EXTRA_PAGES: dict[str, tuple[Role, ...]] = {"report": (Role.admin, Role.qa, Role.manager)}
HOME = {Role.admin: "/ui/queue", Role.qa: "/ui/queue", Role.manager: "/ui/manager", Role.agent: "/ui/agent"}


@dataclass(frozen=True, slots=True)
class Viewer:
    principal: Principal
    is_senior: bool

    def context(self) -> dict[str, Any]:
        p = self.principal
        return {"id": p.user_id, "name": p.name, "role": p.role.value, "role_label": ROLE_LABELS[p.role.value],
                "agent_code": p.agent_code or "", "senior": self.is_senior or p.role is Role.admin,
                "pii": p.can_see_pii, "tz": settings.report_timezone}


def _viewer(request: Request, session: Session) -> Viewer | None:
    sid = cookie_value(request.headers.get("cookie", ""))
    if sid is None:
        return None
    try:
        principal = sessions.authenticate_session(session, sid)
    except Unauthorized:
        session.rollback()
        return None
    user = session.get(User, principal.user_id)
    session.rollback()
    return Viewer(principal, bool(user and user.is_senior))


def _login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/ui/login?next={quote(target, safe='')}", status_code=303)


def _page(request: Request, session: Session, page: str, title: str, **extra: Any) -> Response:
    viewer = _viewer(request, session)
    if viewer is None:
        return _login_redirect(request)
    role = viewer.principal.role
    nav = [{"id": pid, "label": label, "url": url} for pid, label, url, roles in NAV if role in roles]
    allowed = next((roles for pid, _, _, roles in NAV if pid == page), EXTRA_PAGES.get(page, ALL))
    ctx: dict[str, Any] = {"me": viewer.context(), "nav": nav, "active": page, "title": title,
                           "pass_score": settings.review_low_score, **extra}
    if role not in allowed:
        ctx["message"] = f"您的角色（{ROLE_LABELS[role.value]}）无权使用「{title}」页面。"
        return templates.TemplateResponse(request, "denied.html", ctx, status_code=403)
    return templates.TemplateResponse(request, f"{page}.html", ctx)


def safe_next(target: str | None) -> str | None:
    # Only our own pages: an open redirect would let a link log someone in and send them elsewhere.
    if target and target.startswith("/ui/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> Response:
    viewer = _viewer(request, session)
    if viewer is None:
        return RedirectResponse("/ui/login", status_code=303)
    return RedirectResponse(HOME[viewer.principal.role], status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    return templates.TemplateResponse(request, "login.html", login_ctx(next, None))


def login_ctx(next: str | None, error: str | None) -> dict[str, Any]:
    return {"next": safe_next(next) or "", "error": error, "oidc": settings.oidc_display_name
            if oidc.enabled() else ""}


def _credentials(session: Session, ip: str, api_key: str, username: str, password: str) -> tuple[Principal, str]:
    """The principal of a login form (API key, or user name + password) and the method."""
    ratelimit.check_ip(ip)
    if api_key.strip():
        try:
            return authenticate(session, api_key.strip()), "api_key"
        except Unauthorized:
            ratelimit.record_failure(ip)
            raise
    if not username.strip() or not password:
        raise Unauthorized("enter a user name and password, or an API key")
    ratelimit.check_user(username.strip(), ip)
    try:
        principal = sessions.authenticate_password(session, username, password)
    except Unauthorized:
        ratelimit.record_failure(ip, username.strip())
        raise
    ratelimit.record_success(username.strip(), ip)
    return principal, "password"


def _start_session(request: Request, session: Session, principal: Principal, method: str, target: str) -> Response:
    """Create the server-side session, commit, and redirect with its cookie."""
    sid = sessions.create_session(session, principal, method)
    session.commit()
    resp = RedirectResponse(target, status_code=303)
    # No Max-Age: a browser-session cookie; the row's expires_at bounds its life server-side.
    resp.set_cookie(COOKIE, sid, httponly=True, samesite="strict", path="/",
                    secure=request.url.scheme == "https")
    return resp


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, session: SessionDep, api_key: Annotated[str, Form()] = "",
          username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = "") -> Response:
    try:
        principal, method = _credentials(session, client_ip(request), api_key, username, password)
    except TooManyRequests as exc:
        session.rollback()
        ctx = login_ctx(next, f"尝试次数过多，请 {exc.retry_after} 秒后再试。")
        return templates.TemplateResponse(request, "login.html", ctx, status_code=429,
                                          headers={"Retry-After": str(exc.retry_after)})
    except Unauthorized:
        session.rollback()
        ctx = login_ctx(next, "用户名、密码或 API 密钥无效，请检查后重试。")
        return templates.TemplateResponse(request, "login.html", ctx, status_code=401)
    return _start_session(request, session, principal, method, safe_next(next) or HOME[principal.role])


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    # Revoked server-side: a copy of the cookie kept elsewhere stops working too.
    sessions.revoke_session(session, cookie_value(request.headers.get("cookie", "")))
    session.commit()
    resp = RedirectResponse("/ui/login", status_code=303)
    resp.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return resp


@router.get("/calls", response_class=HTMLResponse)
def calls_page(request: Request, session: SessionDep) -> Response:
    return _page(request, session, "calls", "通话列表")


@router.get("/calls/{call_id}", response_class=HTMLResponse)
def call_page(request: Request, session: SessionDep, call_id: str) -> Response:
    return _page(request, session, "call", "通话详情", call_id=call_id)


@router.get("/queue", response_class=HTMLResponse)
def queue_page(request: Request, session: SessionDep) -> Response:
    return _page(request, session, "queue", "质检队列")


@router.get("/appeals", response_class=HTMLResponse)
def appeals_page(request: Request, session: SessionDep) -> Response:
    return _page(request, session, "appeals", "申诉")


@router.get("/agent", response_class=HTMLResponse)
def agent_page(request: Request, session: SessionDep) -> Response:
    return _page(request, session, "agent", "我的工作台")


@router.get("/manager", response_class=HTMLResponse)
def manager_page(request: Request, session: SessionDep) -> Response:
    return _page(request, session, "manager", "网点概览")


@router.get("/reports/{period}/{branch}", response_class=HTMLResponse)
def report_page(request: Request, session: SessionDep, period: str, branch: str) -> Response:
    # "firm" is the firm-wide summary (admin, firm-wide QA), not a branch called firm.
    if branch == "firm":
        src = f"/v1/reports/{quote(period, safe='')}/firm?format=html"
        return _page(request, session, "report", "全辖汇总报告", period=period, branch=branch, src=src)
    src = f"/v1/reports/{quote(period, safe='')}/branches/{quote(branch, safe='')}?format=html"
    return _page(request, session, "report", "网点报告", period=period, branch=branch, src=src)


@router.get("/topics", response_class=HTMLResponse)
def topics_page(request: Request, session: SessionDep) -> Response:
    return _page(request, session, "topics", "客户之声")


@router.get("/rules", response_class=HTMLResponse)
def rules_page(request: Request, session: SessionDep) -> Response:
    return _page(request, session, "rules", "规则编辑")


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, session: SessionDep) -> Response:
    return _page(request, session, "search", "转写搜索")


@router.get("/precision", response_class=HTMLResponse)
def precision_page(request: Request, session: SessionDep) -> Response:
    return _page(request, session, "precision", "规则准确率")


@router.get("/calibration", response_class=HTMLResponse)
def calibration_page(request: Request, session: SessionDep) -> Response:
    return _page(request, session, "calibration", "校准")


@router.get("/live", response_class=HTMLResponse)
def live_page(request: Request, session: SessionDep) -> Response:
    return _page(request, session, "live", "实时辅助")


def install(app: FastAPI) -> None:
    """Mount the console, its static files, the audio endpoint and the cookie bridge."""
    from api.routes import ui_oidc

    app.include_router(media.router)
    app.include_router(ui_oidc.router)  # before /ui/{...} pages: /ui/login/oidc
    app.include_router(router)
    app.mount("/ui/static", StaticFiles(directory=HERE / "static"), name="ui-static")
    app.add_middleware(SessionAuth)

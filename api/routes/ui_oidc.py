"""Console single sign-on (callsight/oidc.py): GET /ui/login/oidc sends the browser
to the provider; /ui/login/oidc/callback takes the code back, opens a server-side
session and lands on the console.

The flow's state, nonce and PKCE verifier ride in a short-lived HttpOnly cookie
scoped to these two paths, SameSite=Lax because the provider's redirect back is a
cross-site navigation. That is also why the callback answers a tiny page that moves
on by itself instead of a 303: a redirect chain started by another site would not
carry the SameSite=Strict session cookie to the next page.
"""

from __future__ import annotations

import html
import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from api.deps import SessionDep, client_ip
from api.routes import ui
from callsight import oidc, ratelimit, sessions
from callsight.config import settings
from callsight.errors import CallsightError, TooManyRequests

router = APIRouter(prefix="/ui/login/oidc", include_in_schema=False)
FLOW_COOKIE = "callsight_oidc"
FLOW_MAX_AGE_S = 600


class Flow(BaseModel):
    """The flow cookie: state, nonce, PKCE verifier and where to go after the login."""

    s: str
    n: str
    v: str
    next: str = ""


@router.get("")
def oidc_start(next: str | None = None) -> Response:
    req = oidc.start()
    resp = RedirectResponse(req.url, status_code=303)
    flow = json.dumps({"s": req.state, "n": req.nonce, "v": req.verifier, "next": ui.safe_next(next) or ""})
    resp.set_cookie(FLOW_COOKIE, flow, max_age=FLOW_MAX_AGE_S, httponly=True, samesite="lax",
                    path="/ui/login/oidc", secure=settings.oidc_redirect_uri.startswith("https://"))
    return resp


def _failed(request: Request, message: str, status: int) -> Response:
    ctx = ui.login_ctx(None, message)
    resp = ui.templates.TemplateResponse(request, "login.html", ctx, status_code=status)
    resp.delete_cookie(FLOW_COOKIE, path="/ui/login/oidc")
    return resp


@router.get("/callback")
def oidc_callback(request: Request, session: SessionDep, code: str = "", state: str = "",
                  error: str = "") -> Response:
    ip = client_ip(request)
    try:
        ratelimit.check_ip(ip)
    except TooManyRequests as exc:
        return _failed(request, f"尝试次数过多，请 {exc.retry_after} 秒后再试。", 429)
    try:
        flow: Flow | None = Flow.model_validate_json(request.cookies.get(FLOW_COOKIE, ""))
    except ValidationError:  # no cookie, not JSON, or not ours
        flow = None
    if error or not code or flow is None or not flow.s or flow.s != state:
        ratelimit.record_failure(ip)
        return _failed(request, "单点登录未完成或已过期，请重新登录。", 401)
    try:
        principal = oidc.finish(session, code, flow.n, flow.v)
    except CallsightError as exc:
        session.rollback()
        ratelimit.record_failure(ip)
        return _failed(request, f"单点登录失败：{exc.message}", exc.status_code)
    target = flow.next or ui.HOME[principal.role]
    sid = sessions.create_session(session, principal, "oidc")
    session.commit()
    page = (f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={html.escape(target)}">'
            f'<title>登录成功</title><a href="{html.escape(target)}">继续</a>')
    resp = HTMLResponse(page)
    resp.set_cookie(ui.COOKIE, sid, httponly=True, samesite="strict", path="/",
                    secure=request.url.scheme == "https")
    resp.delete_cookie(FLOW_COOKIE, path="/ui/login/oidc")
    return resp

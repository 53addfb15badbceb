"""The web console's session cookie and the ASGI middleware that lets it authenticate
/v1 requests.

The cookie (HttpOnly, SameSite=Strict, Secure over https) holds only a random
session id (callsight/sessions.py); the server keeps its hash, expiry and
revocation, so logout ends it everywhere and the API key never reaches the
browser after the login form.

Why a cookie and not sessionStorage: an ``<audio src>`` or ``<iframe src>`` request
cannot carry a Bearer header, and the player must stream with HTTP Range; a cookie
goes with every same-site request, and HttpOnly keeps it away from page scripts.
Scope is still decided by the /v1 routes (callsight/auth.py); the middleware only
hands the session id to ``api.deps.get_principal`` through the request state (not a
header a client could send). State-changing requests authenticated by the cookie
must carry ``X-Callsight-UI: 1`` (a custom header cross-site pages cannot send
without a CORS preflight this app never grants), on top of SameSite=Strict.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Receive, Scope, Send

from api.deps import SESSION_STATE

COOKIE = "callsight_session"
UI_HEADER = b"x-callsight-ui"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LIVE_PATH = "/v1/live"  # the live-suggestion WebSocket (api/routes/live.py)


def cookie_value(raw_cookie_header: str) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw_cookie_header)
    except Exception:  # a malformed Cookie header from a client is not our error
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel is not None and morsel.value else None


def _with_session(scope: Scope, session_id: str) -> Scope:
    return {**scope, "state": {**scope.get("state", {}), SESSION_STATE: session_id}}


def _raw_cookie(headers: list[tuple[bytes, bytes]]) -> str:
    return b"; ".join(v for k, v in headers if k == b"cookie").decode("latin-1")


class SessionAuth:
    """For /v1 requests without their own credentials, use the console session's id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == LIVE_PATH:
            # Only a same-origin handshake rides on the cookie (no cross-site WebSocket hijacking).
            headers = dict(scope["headers"])
            origin = headers.get(b"origin", b"").decode("latin-1")
            host = headers.get(b"host", b"").decode("latin-1")
            sid = cookie_value(_raw_cookie(list(scope["headers"])))
            if sid and host and origin in (f"http://{host}", f"https://{host}"):
                scope = _with_session(scope, sid)
        elif scope["type"] == "http" and scope["path"].startswith("/v1/"):
            names = {k for k, _ in scope["headers"]}
            if b"authorization" not in names and b"x-api-key" not in names and b"cookie" in names:
                sid = cookie_value(_raw_cookie(list(scope["headers"])))
                if sid is not None and (scope["method"] in SAFE_METHODS or UI_HEADER in names):
                    scope = _with_session(scope, sid)
        await self.app(scope, receive, send)

"""The web console's session: the user's API key in a signed, HttpOnly, SameSite=Strict
cookie, and an ASGI middleware that turns that cookie into the ``Authorization``
header the /v1 API already understands.

Why a cookie and not sessionStorage: an ``<audio src>`` or ``<iframe src>`` request
cannot carry a Bearer header, and the player must stream with HTTP Range; a cookie
goes with every same-site request, and HttpOnly keeps the key away from page scripts.
Scope is still decided by the /v1 routes (callsight/auth.py); the middleware only
supplies the credential. State-changing requests authenticated by the cookie must
carry ``X-Callsight-UI: 1`` (a custom header cross-site pages cannot send without a
CORS preflight this app never grants), on top of SameSite=Strict.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from functools import lru_cache
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from starlette.types import ASGIApp, Receive, Scope, Send

from callsight.config import settings

COOKIE = "callsight_session"
UI_HEADER = b"x-callsight-ui"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LIVE_PATH = "/v1/live"  # the live-suggestion WebSocket (api/routes/live.py)


@lru_cache(maxsize=1)
def secret() -> bytes:
    """settings.session_secret, else one generated once and kept under data_dir."""
    if settings.session_secret:
        return settings.session_secret.encode()
    path = settings.data_dir / "session_secret"
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
        # Another process may have won the race; keep whichever file landed first.
        if path.exists():
            tmp.unlink(missing_ok=True)
        else:
            os.replace(tmp, path)
    return path.read_text().strip().encode()


def _mac(payload: str) -> str:
    return hmac.new(secret(), payload.encode(), hashlib.sha256).hexdigest()


def sign(api_key: str, now: float | None = None) -> str:
    key_b64 = base64.urlsafe_b64encode(api_key.encode()).decode().rstrip("=")
    payload = f"{key_b64}.{int(now if now is not None else time.time())}"
    return f"{payload}.{_mac(payload)}"


def unsign(value: str | None, now: float | None = None) -> str | None:
    """The API key in a cookie value, or None when forged, malformed or expired."""
    if not value or value.count(".") != 2:
        return None
    key_b64, issued, mac = value.split(".")
    if not hmac.compare_digest(mac, _mac(f"{key_b64}.{issued}")):
        return None
    try:
        age = (now if now is not None else time.time()) - int(issued)
        key = base64.urlsafe_b64decode(key_b64 + "=" * (-len(key_b64) % 4)).decode()
    except ValueError:
        return None
    if age < 0 or age > settings.session_max_age_s:
        return None
    return key


def cookie_value(raw_cookie_header: str) -> str | None:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw_cookie_header)
    except Exception:  # a malformed Cookie header from a client is not our error
        return None
    morsel = jar.get(COOKIE)
    return morsel.value if morsel is not None else None


def _live_scope(scope: Scope) -> Scope:
    """WS /v1/live takes its key as ``?key=``: add the session's key server-side (page scripts
    never see it), only for a same-origin handshake (no cross-site WebSocket hijacking)."""
    query = scope.get("query_string", b"").decode("latin-1")
    if any(part.startswith("key=") for part in query.split("&")):
        return scope
    headers = dict(scope["headers"])
    origin = headers.get(b"origin", b"").decode("latin-1")
    host = headers.get(b"host", b"").decode("latin-1")
    if not host or origin not in (f"http://{host}", f"https://{host}"):
        return scope
    key = unsign(cookie_value(headers.get(b"cookie", b"").decode("latin-1")))
    if key is None:
        return scope
    extra = urlencode({"key": key})
    return {**scope, "query_string": (f"{query}&{extra}" if query else extra).encode("latin-1")}


class SessionAuth:
    """For /v1 requests without their own credentials, use the session cookie's key."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == LIVE_PATH:
            scope = _live_scope(scope)
        elif scope["type"] == "http" and scope["path"].startswith("/v1/"):
            headers: list[tuple[bytes, bytes]] = list(scope["headers"])
            names = {k for k, _ in headers}
            if b"authorization" not in names and b"x-api-key" not in names and b"cookie" in names:
                raw = b"; ".join(v for k, v in headers if k == b"cookie").decode("latin-1")
                key = unsign(cookie_value(raw))
                ui_request = UI_HEADER in names
                if key is not None and (scope["method"] in SAFE_METHODS or ui_request):
                    headers.append((b"authorization", f"Bearer {key}".encode()))
                    scope = {**scope, "headers": headers}
        await self.app(scope, receive, send)

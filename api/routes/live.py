"""WS /v1/live: suggestions while the call is going on. A thin handler: it
authenticates, then hands every message to callsight.live.LiveSession.

Auth, never in the URL (an access log or proxy would keep it): the console's session
cookie on a same-origin handshake (api/routes/ui_session.py), or a first message
``{"type": "auth", "key": ...}`` within AUTH_TIMEOUT_S; roles agent, qa, admin.
``?key=`` is refused. Failures count towards the address's lockout
(callsight/ratelimit.py). A connection that fails auth is closed with 1008 (policy
violation) and the reason. Protocol: docs/upsell.md.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, WebSocket, WebSocketDisconnect, status
from pydantic import ValidationError
from starlette.websockets import WebSocketState

from api.deps import client_ip, console_session_id, principal_for
from callsight.auth import Principal, require_role
from callsight.db.models import Role
from callsight.db.session import new_session
from callsight.errors import CallsightError
from callsight.live import LiveSession, script_library
from callsight.live_messages import AuthMessage, Ready, ServerMessage, wire
from core.jsonio import JsonObject

router = APIRouter()
AUTH_TIMEOUT_S = 10.0


def _principal(ip: str, key: str | None, session_id: str | None) -> Principal:
    with new_session() as session:
        principal = principal_for(session, ip, key, session_id)
    require_role(principal, Role.agent, Role.qa, Role.admin)
    return principal


async def _first_message_key(ws: WebSocket) -> tuple[str | None, JsonObject]:
    """The key from a first ``auth`` message (and any ``meta`` it carries)."""
    try:
        raw = await asyncio.wait_for(ws.receive_text(), AUTH_TIMEOUT_S)
    except TimeoutError:
        return None, {}
    try:
        msg = AuthMessage.model_validate_json(raw)
    except ValidationError:  # not JSON, not an auth message, or no string key
        return None, {}
    return msg.key, dict(msg.meta or {})


@router.websocket("/live")
async def live(ws: WebSocket) -> None:
    await ws.accept()
    if "key" in ws.query_params:
        await ws.close(code=status.WS_1008_POLICY_VIOLATION,
                       reason="?key= is not accepted (URLs are logged): send {\"type\":\"auth\",\"key\":...} first")
        return
    meta: JsonObject = {}
    key: str | None = None
    session_id = console_session_id(ws)
    if session_id is None:
        key, meta = await _first_message_key(ws)
        if key is None:
            await ws.close(code=status.WS_1008_POLICY_VIOLATION,
                           reason="authentication required: a first message {\"type\":\"auth\",\"key\":...} "
                                  "within 10 s")
            return
    try:
        principal = await asyncio.to_thread(_principal, client_ip(ws), key, session_id)
    except CallsightError as exc:
        await ws.close(code=status.WS_1008_POLICY_VIOLATION, reason=exc.message[:120])
        return
    send_lock = asyncio.Lock()

    async def send(msg: ServerMessage) -> None:
        async with send_lock:
            if ws.application_state is WebSocketState.CONNECTED:
                await ws.send_json(wire(msg))

    session = LiveSession(send, library=script_library(), meta=meta)
    await send(Ready(user=principal.name, role=principal.role.value))
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            match message:  # websocket.receive: one of text and bytes is set, the other absent or None
                case {"text": str() as text}:
                    await session.on_text(text)
                case {"bytes": bytes() as data}:
                    await session.on_bytes(data)
    except WebSocketDisconnect:
        pass
    finally:
        await session.close()

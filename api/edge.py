"""Checks at the API edge that hold for every route, before any route code runs.

Pure ASGI middlewares (no BaseHTTPMiddleware: it would buffer uploads and swallow
the streaming of large bodies):

- ``ErrorShield`` turns any unhandled exception into a 500 in the API's error shape.
  Starlette's own last-resort handler answers in plain text and re-raises, after
  which uvicorn closes the keep-alive connection; this one logs and answers JSON.
- ``InputGuard`` refuses what no route can use and what the database or the JSON
  columns would choke on: NUL characters in the path, query string, form or JSON
  body; non-finite numbers (``Infinity``, ``NaN``, ``1e309``) in JSON; JSON bodies
  over their own (much smaller than audio) size limit.
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


async def send_error(send: Send, status: int, code: str, message: str, details: object = None,
                     headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """Answer with the API's error shape (the same one api/errors.py renders)."""
    err: dict[str, object] = {"code": code, "message": message}
    if details is not None:
        err["details"] = details
    body = json.dumps({"error": err}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class ErrorShield:
    """Last resort: an exception no handler took becomes a JSON 500 (no traceback,
    no server detail in the body; the traceback goes to the log)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await send_error(send, 500, "internal_error",
                                 "internal server error; the request was not completed (see the server log)")


class BadInput(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def _check_text(where: str, value: str) -> None:
    if "\x00" in value:
        raise BadInput(422, "invalid_input", f"{where}: contains a NUL character", where)


def _walk(value: Any, where: str) -> None:
    """NUL in any string (keys too) and non-finite numbers, anywhere in a JSON document."""
    if isinstance(value, str):
        _check_text(where, value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise BadInput(422, "invalid_input", f"{where}: number out of range (must be finite)", where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(f"{where}.{key}" if where else str(key), key)
            _walk(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _walk(item, f"{where}.{i}" if where else str(i))


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def check_json(body: bytes) -> None:
    """Refuse NaN/Infinity literals, and NUL or non-finite values inside a document
    that parses. A body that is not JSON at all is left to the route's own parsing,
    which answers 400 naming the problem."""
    try:
        doc = json.loads(body, parse_constant=_no_constants)
    except ValueError as exc:
        if "is not JSON" in str(exc):
            raise BadInput(400, "bad_json", f"request body is not valid JSON: {exc}") from exc
        return
    _walk(doc, "")


def _content_type(scope: Scope) -> bytes:
    for name, value in scope.get("headers") or []:
        if name == b"content-type":
            return bytes(value.split(b";")[0].strip().lower())
    return b""


class InputGuard:
    def __init__(self, app: ASGIApp, max_json_bytes: int) -> None:
        self.app = app
        self.max_json_bytes = max_json_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        try:
            self._check_target(scope)
            ctype = _content_type(scope)
            buffered = scope["type"] == "http" and (
                ctype == b"application/json" or ctype.endswith(b"+json")
                or ctype == b"application/x-www-form-urlencoded")
            if buffered:
                body = await self._read(receive)
                if ctype == b"application/x-www-form-urlencoded":
                    for key, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
                        _check_text(f"form field {key!r}", key + value)
                else:
                    check_json(body)
        except BadInput as exc:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            details = [{"field": exc.field, "problem": exc.message}] if exc.field else None
            await send_error(send, exc.status, exc.code, exc.message, details)
            return
        if not buffered:
            await self.app(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    def _check_target(scope: Scope) -> None:
        _check_text("path", scope.get("path", ""))
        for key, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True):
            _check_text(f"query parameter {key!r}", key + value)

    async def _read(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise BadInput(400, "bad_request", "the client closed the connection before the body was sent")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_json_bytes:
                kb = self.max_json_bytes // 1024
                raise BadInput(413, "payload_too_large", f"JSON and form bodies are limited to {kb} KB")
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

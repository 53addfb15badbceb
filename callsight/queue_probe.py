"""Which calls have a ``process_call`` message waiting in the broker's queue.

The sweeper re-enqueues a call left 'queued' for long only when its message is
gone (a broker that lost its queue); a call merely waiting behind a backlog must
not get a second message. Redis only (the production broker): the queue is a list
per priority step holding kombu's JSON envelopes. Any other broker, or a Redis that
cannot be read, answers an empty set: then the sweeper re-enqueues, and the claim
keeps the duplicate from running the call twice.
"""

from __future__ import annotations

import base64
import json
import logging

from pydantic import BaseModel

from callsight.config import settings
from callsight.queue import PROCESS_CALL, QUEUE

log = logging.getLogger(__name__)

_SEP = "\x06\x16"  # kombu's separator between a queue's name and its priority step
_PRIORITY_STEPS = (0, 3, 6, 9)


def waiting_call_ids(limit: int = 200_000) -> set[str]:
    if not settings.broker_url.startswith(("redis://", "rediss://")):
        return set()
    import redis

    keys = [QUEUE if p == 0 else f"{QUEUE}{_SEP}{p}" for p in _PRIORITY_STEPS]
    try:
        client = redis.Redis.from_url(settings.broker_url, socket_timeout=10)
        try:
            raw = [m for k in keys for m in client.lrange(k, 0, limit - 1)]
        finally:
            client.close()
    except redis.RedisError:
        log.warning("could not read the broker's queue; the sweeper re-enqueues without it", exc_info=True)
        return set()
    out: set[str] = set()
    for item in raw:
        call_id = call_id_of(item)
        if call_id is not None:
            out.add(call_id)
    return out


class _Headers(BaseModel):
    task: str | None = None


class _Properties(BaseModel):
    body_encoding: str | None = None


class _Envelope(BaseModel):
    """The parts of kombu's JSON envelope read here (others are ignored)."""

    headers: _Headers = _Headers()
    properties: _Properties = _Properties()
    body: str


def call_id_of(raw: bytes | str) -> str | None:
    """The call id a queued message carries, or None for any other message."""
    try:
        env = _Envelope.model_validate_json(raw)  # pydantic's ValidationError is a ValueError
        if env.headers.task != PROCESS_CALL:
            return None
        body: str | bytes = base64.b64decode(env.body) if env.properties.body_encoding == "base64" else env.body
        args = json.loads(body)[0]
        return str(args[0]) if args else None
    except (ValueError, KeyError, IndexError, TypeError):
        return None

"""Rate limiting and lockout of authentication (issue 15).

Counters are fixed windows keyed by what is being limited:

* ``fail:ip:<ip>``: failed authentications (wrong API key, wrong password, bad
  session) from one client address. Past ``auth_max_failures_per_ip`` within
  ``auth_failure_window_s`` that address gets 429 for ``auth_lockout_s``, whatever
  it sends, so guessing stops; other addresses are unaffected.
* ``fail:user:<name>|<ip>``: failed passwords for one user name from one address
  (``auth_max_failures_per_user``), and ``fail:user:<name>`` from everywhere at
  five times that (a distributed guess): the user's API key and other addresses
  still work in the first case.
* ``req:key:<hash>``: requests per minute of one valid credential
  (``rate_limit_per_minute``; 0 = off), so one runaway client cannot starve others.

Where: Redis when a broker URL is set (several API processes share the counters;
``rate_limit_redis_url`` overrides), else a dictionary in this process (the
embedded default runs one process).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from callsight.config import Settings, settings
from callsight.errors import TooManyRequests

log = logging.getLogger(__name__)


class Counter(Protocol):
    def incr(self, key: str, window_s: int) -> int:
        """Add one to ``key`` in its current window (started by its first hit); the new count."""

    def get(self, key: str) -> int: ...

    def block(self, key: str, seconds: int) -> None: ...

    def blocked_for(self, key: str) -> int:
        """Seconds left on a block of ``key``, 0 when none."""

    def clear(self, key: str) -> None: ...


class MemoryCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}  # key -> (count, window end)
        self._blocks: dict[str, float] = {}

    def incr(self, key: str, window_s: int) -> int:
        now = time.monotonic()
        with self._lock:
            if len(self._counts) > 100_000:  # bound memory under a scan of many addresses
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            count, end = self._counts.get(key, (0, 0.0))
            if end <= now:
                count, end = 0, now + window_s
            self._counts[key] = (count + 1, end)
            return count + 1

    def get(self, key: str) -> int:
        count, end = self._counts.get(key, (0, 0.0))
        return count if end > time.monotonic() else 0

    def block(self, key: str, seconds: int) -> None:
        with self._lock:
            self._blocks[key] = time.monotonic() + seconds

    def blocked_for(self, key: str) -> int:
        left = self._blocks.get(key, 0.0) - time.monotonic()
        return int(left) + 1 if left > 0 else 0

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)
            self._blocks.pop(key, None)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
            self._blocks.clear()


class RedisCounter:
    """Counters in Redis. When Redis cannot be reached the limiter fails open (counts 0,
    blocks nothing) and logs it: a broker outage must not turn every read into a 500."""

    PREFIX = "callsight:rl:"

    def __init__(self, url: str) -> None:
        import redis

        self._r = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)

    def _fail_open(self, exc: Exception) -> None:
        log.warning("rate limiter: Redis unreachable, not limiting (%s)", exc)

    def incr(self, key: str, window_s: int) -> int:
        k = self.PREFIX + key
        try:
            pipe = self._r.pipeline()  # MULTI: the window starts with the first hit, atomically
            pipe.set(k, 0, ex=window_s, nx=True)
            pipe.incr(k)
            _, count = pipe.execute()
        except self._errors as exc:
            self._fail_open(exc)
            return 0
        return int(count)

    def get(self, key: str) -> int:
        try:
            return int(self._r.get(self.PREFIX + key) or 0)
        except self._errors as exc:
            self._fail_open(exc)
            return 0

    def block(self, key: str, seconds: int) -> None:
        try:
            self._r.set(self.PREFIX + "block:" + key, 1, ex=seconds)
        except self._errors as exc:
            self._fail_open(exc)

    def blocked_for(self, key: str) -> int:
        try:
            ttl = int(self._r.ttl(self.PREFIX + "block:" + key))
        except self._errors as exc:
            self._fail_open(exc)
            return 0
        return max(ttl, 0)

    def clear(self, key: str) -> None:
        try:
            self._r.delete(self.PREFIX + key, self.PREFIX + "block:" + key)
        except self._errors as exc:
            self._fail_open(exc)


@dataclass(frozen=True, slots=True)
class Limits:
    max_failures_per_ip: int
    max_failures_per_user: int
    failure_window_s: int
    lockout_s: int
    per_minute: int

    @classmethod
    def of(cls, s: Settings) -> Limits:
        return cls(s.auth_max_failures_per_ip, s.auth_max_failures_per_user, s.auth_failure_window_s,
                   s.auth_lockout_s, s.rate_limit_per_minute)


@lru_cache(maxsize=1)
def counter() -> Counter:
    url = settings.rate_limit_redis_url or settings.broker_url
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisCounter(url)
    return MemoryCounter()


def _limits() -> Limits:
    return Limits.of(settings)


def _too_many(seconds: int, what: str) -> TooManyRequests:
    return TooManyRequests(f"too many {what}: try again in {seconds} s", retry_after=seconds)


def check_ip(ip: str) -> None:
    """Refuse (429) an address locked out for failed authentications."""
    left = counter().blocked_for(f"ip:{ip}")
    if left:
        raise _too_many(left, "failed authentications from your address")


def check_user(name: str, ip: str) -> None:
    c = counter()
    left = max(c.blocked_for(f"user:{name}|{ip}"), c.blocked_for(f"user:{name}"))
    if left:
        raise _too_many(left, "failed logins for this user")


def record_failure(ip: str, user: str | None = None) -> None:
    """Count a failed authentication; past a threshold, block the address (or the user
    name from this address) for the lockout period."""
    lim, c = _limits(), counter()
    if c.incr(f"fail:ip:{ip}", lim.failure_window_s) >= lim.max_failures_per_ip:
        c.block(f"ip:{ip}", lim.lockout_s)
        log.warning("auth lockout of address %s for %d s", ip, lim.lockout_s)
    if user:
        if c.incr(f"fail:user:{user}|{ip}", lim.failure_window_s) >= lim.max_failures_per_user:
            c.block(f"user:{user}|{ip}", lim.lockout_s)
            log.warning("login lockout of user %r from %s for %d s", user, ip, lim.lockout_s)
        if c.incr(f"fail:user:{user}", lim.failure_window_s) >= 5 * lim.max_failures_per_user:
            c.block(f"user:{user}", lim.lockout_s)
            log.warning("login lockout of user %r from every address for %d s", user, lim.lockout_s)


def record_success(user: str, ip: str) -> None:
    """A correct password clears that user's failures from this address."""
    counter().clear(f"fail:user:{user}|{ip}")


def check_rate(credential: str) -> None:
    """Requests per minute of one credential (the hash of a key or session)."""
    lim = _limits()
    if lim.per_minute <= 0:
        return
    window = 60 - int(time.time()) % 60
    if counter().incr(f"req:{credential}:{int(time.time()) // 60}", window + 1) > lim.per_minute:
        raise _too_many(window, "requests for this credential")

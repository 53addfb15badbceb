"""The lease heartbeat of a running attempt: a daemon thread that renews the claim
every ``settings.lease_heartbeat_s`` while the job transcribes and analyses.

A thread, because the long step is one call into faster-whisper (CTranslate2
releases the GIL while it decodes). If the process dies the beats stop with it and
the lease runs out, which is exactly how a dead worker's call is recognised.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType

from callsight.db.session import session_scope
from callsight.services import claims

log = logging.getLogger(__name__)


class Heartbeat:
    def __init__(self, call_id: str, token: str | None, interval_s: float) -> None:
        self.call_id = call_id
        self.token = token
        self.interval_s = interval_s
        self.lost = threading.Event()  # set when the claim was taken over
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Heartbeat:
        # No token (a caller outside claims) or no interval (in-process tests that share
        # one connection between threads): nothing to renew.
        if self.token is not None and self.interval_s > 0:
            self._thread = threading.Thread(target=self._run, name=f"lease-{self.call_id[:8]}", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        assert self.token is not None
        while not self._stop.wait(self.interval_s):
            try:
                with session_scope() as session:
                    ok = claims.renew(session, self.call_id, self.token)
                    session.commit()
            except Exception:
                # The database is briefly away: keep beating; the lease has slack for a few misses.
                log.warning("call %s: lease renewal failed", self.call_id, exc_info=True)
                continue
            if not ok:
                # Either this attempt just finished (done / failed clear the claim) or another
                # attempt took the call over; the fence at the next write tells which, and logs it.
                log.debug("call %s: lease no longer renewable", self.call_id)
                self.lost.set()
                return

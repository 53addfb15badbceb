"""Keep credentials out of logs (issue 15): uvicorn writes every request line, query
string included, to its access log (and WebSocket handshakes to its error log). A
client that still puts an API key (``?key=``), a token or an OIDC authorization
code in a URL must not leave it in a log file."""

from __future__ import annotations

import logging
import re

_SECRET_PARAM = re.compile(r"(?i)([?&](?:key|api_key|apikey|token|access_token|id_token|code|state|password)=)"
                           r"[^&\s\"']*")


def redact(text: str) -> str:
    return _SECRET_PARAM.sub(r"\1[redacted]", text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "=" in record.msg:
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) and "=" in a else a for a in record.args)
        return True


def install() -> None:
    """Attach the filter to uvicorn's loggers (idempotent)."""
    for name in ("uvicorn.access", "uvicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())

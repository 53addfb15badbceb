"""Domain errors that carry their HTTP status. Services raise these; one handler in
api/ renders them as ``{"error": {"code", "message", "details"}}``. The CLI prints
the message and exits non-zero."""

from __future__ import annotations

from typing import Any

from core.jsonio import JsonObject


class CallsightError(Exception):
    status_code = 500
    code = "internal_error"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details

    def to_dict(self) -> JsonObject:
        body: JsonObject = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return body


class CorruptResult(CallsightError):
    """A stored result document that does not read as a result (docs/result-schema.json):
    the server's data is wrong, not the request."""

    status_code = 500
    code = "corrupt_result"


class BadRequest(CallsightError):
    status_code = 400
    code = "bad_request"


class InvalidInput(CallsightError):
    """Well-formed request whose content is wrong (bad date, unknown branch...)."""

    status_code = 422
    code = "invalid_input"


class Unauthorized(CallsightError):
    status_code = 401
    code = "unauthorized"


class Forbidden(CallsightError):
    status_code = 403
    code = "forbidden"


class NotFound(CallsightError):
    status_code = 404
    code = "not_found"


class Conflict(CallsightError):
    status_code = 409
    code = "conflict"


class PayloadTooLarge(CallsightError):
    status_code = 413
    code = "payload_too_large"


class UnsupportedMedia(CallsightError):
    status_code = 415
    code = "unsupported_media"


class TooManyRequests(CallsightError):
    """Rate limit or lockout (callsight/ratelimit.py); ``retry_after`` goes out as Retry-After."""

    status_code = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}

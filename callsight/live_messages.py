"""The WS /v1/live protocol (docs/upsell.md) as types: client messages are validated
into pydantic models once, where they arrive; server messages are frozen records that
become JSON only at the socket (api/routes/live.py). The client's error texts are part
of the protocol, so the validators raise them verbatim (``PydanticCustomError``) and
``first_problem`` hands the first one back in field order, the order they are checked in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field, StrictStr, ValidationError
from pydantic_core import PydanticCustomError

from core.enums import Speaker
from core.jsonio import JsonObject, to_json
from upsell.during_call import LiveEvent

SAMPLE_RATES = (8000, 16000)
DEFAULT_LAYOUT = "agent,customer"


def _problem(message: str) -> PydanticCustomError:
    return PydanticCustomError("invalid_message", message)


def _dict_or_none(value: object) -> object:
    """A ``meta`` that is not an object is ignored, not refused (as before there were types)."""
    return value if isinstance(value, dict) else None


def _speaker(value: object) -> object:
    if value not in ("agent", "customer"):
        raise _problem("'speaker' must be 'agent' or 'customer'")
    return value


def _text(value: object) -> object:
    if not isinstance(value, str) or not value.strip():
        raise _problem("'text' must be a non-empty string")
    return value


def _seconds(name: str) -> BeforeValidator:
    def check(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise _problem(f"'{name}' must be a non-negative number of seconds")
        return float(value)

    return BeforeValidator(check)


def _rate(value: object) -> int:  # object: whatever the JSON held
    if value not in SAMPLE_RATES:  # plain equality, as before: 8000.0 is 8000
        raise _problem(f"'sample_rate' must be one of {list(SAMPLE_RATES)}")
    return next(r for r in SAMPLE_RATES if r == value)


def _channels(value: object) -> int:
    if value not in (1, 2):
        raise _problem("'channels' must be 1 or 2")
    return 1 if value == 1 else 2


Meta = Annotated[JsonObject | None, BeforeValidator(_dict_or_none)]


class Envelope(BaseModel):
    """What every client message has: a string ``type``, and maybe ``meta`` (call meta such as
    ``customer_risk_level`` or ``call_id``, merged whatever the type)."""

    type: StrictStr
    meta: Meta = None


class TurnMessage(BaseModel):
    type: Literal["turn"]
    speaker: Annotated[Speaker, BeforeValidator(_speaker)] = Field(None, validate_default=True)
    text: Annotated[str, BeforeValidator(_text)] = Field(None, validate_default=True)
    start: Annotated[float | None, _seconds("start")] = None  # None: where the last turn ended
    end: Annotated[float | None, _seconds("end")] = None  # None: at its start


class StartMessage(BaseModel):
    type: Literal["start"]
    sample_rate: Annotated[int, BeforeValidator(_rate)] = Field(None, validate_default=True)
    channels: Annotated[int, BeforeValidator(_channels)] = 2
    layout: Annotated[str, BeforeValidator(str)] = DEFAULT_LAYOUT


class AuthMessage(BaseModel):
    """The first message of a connection without a console session."""

    type: Literal["auth"]
    key: StrictStr
    meta: Meta = None


def first_problem(exc: ValidationError) -> str:
    return exc.errors(include_url=False)[0]["msg"]


# -- server messages -------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Ready:
    type: Literal["ready"] = "ready"
    user: str
    role: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Started:
    type: Literal["started"] = "started"
    sample_rate: int
    channels: int
    layout: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Transcribed:
    type: Literal["transcript"] = "transcript"
    speaker: Speaker
    text: str
    start: float
    end: float
    latency_ms: int
    timing_ms: dict[str, int]  # queued / asr_start / asr_end, ms after the words ended


@dataclass(frozen=True, slots=True, kw_only=True)
class Ended:
    type: Literal["ended"] = "ended"
    turns: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    type: Literal["error"] = "error"
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Suggested:
    """An opening or complaint event of the conversation, and how long it took."""

    event: LiveEvent
    latency_ms: int


ServerMessage = Ready | Started | Transcribed | Ended | Problem | Suggested


def wire(msg: ServerMessage) -> JsonObject:
    """The JSON object sent on the socket."""
    if isinstance(msg, Suggested):
        return {**msg.event.to_json(), "latency_ms": msg.latency_ms}
    out: JsonObject = to_json(msg)
    return out

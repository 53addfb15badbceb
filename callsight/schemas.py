"""Validated input documents: call metadata and the transcript-input format.

Shared by the API (upload form / JSON body) and the CLI (``--meta k=v`` and
transcript files), so both reject the same bad input with the same message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from callsight.errors import InvalidInput
from core.jsonio import JsonObject
from core.types import Segment, Transcript

DIRECTION_ALIASES = {"inbound": "inbound", "in": "inbound", "呼入": "inbound",
                     "outbound": "outbound", "out": "outbound", "外呼": "outbound"}
# Reading speed used to place ingested turns that come without timestamps.
CHARS_PER_SECOND = 4.5


def nul_at(value: Any, where: str = "") -> str | None:
    """Where a NUL character sits in a JSON-like value (keys too), or None. PostgreSQL
    text and JSONB cannot store one, and no caller means one."""
    if isinstance(value, str):
        return where or "(value)" if "\x00" in value else None
    items: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if "\x00" in str(key):
                return path
            items.append((path, item))
    elif isinstance(value, list):
        items = [(f"{where}.{i}" if where else str(i), item) for i, item in enumerate(value)]
    for path, item in items:
        found = nul_at(item, path)
        if found:
            return found
    return None


class CallMeta(BaseModel):
    """Metadata of one call. Unknown keys are kept in ``extra``."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        where = nul_at(data)
        if where:
            raise ValueError(f"{where}: contains a NUL character")
        return data

    branch: str | None = Field(default=None, max_length=100, examples=["城东支行"])
    agent: str | None = Field(default=None, max_length=50, examples=["A1023"])
    customer: str | None = Field(default=None, max_length=50, examples=["C20231"])
    direction: Literal["inbound", "outbound"] | None = Field(default=None, examples=["inbound"])
    started_at: datetime | None = Field(default=None, examples=["2026-10-12T09:30:00+08:00"])
    channel_layout: str | None = Field(default=None, examples=["agent,customer"])

    @field_validator("direction", mode="before")
    @classmethod
    def _direction(cls, value: Any) -> Any:
        if value in (None, ""):
            return None
        key = str(value).strip().lower()
        if key not in DIRECTION_ALIASES:
            raise ValueError("direction must be inbound/outbound (呼入/外呼)")
        return DIRECTION_ALIASES[key]

    @field_validator("started_at", mode="before")
    @classmethod
    def _started_at(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("channel_layout")
    @classmethod
    def _layout(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        roles = [r.strip() for r in value.split(",")]
        if any(r not in ("agent", "customer", "-") for r in roles) or not roles:
            raise ValueError("channel_layout lists agent / customer / - per channel, e.g. 'agent,customer'")
        return ",".join(roles)

    def extra_fields(self) -> JsonObject:
        return dict(self.model_extra or {})

    def as_json(self) -> JsonObject:
        return self.model_dump(mode="json", exclude_none=True)


class TurnIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    speaker: Literal["agent", "customer"]
    text: str = Field(max_length=20000)
    # Finite only: 1e309 parses as infinity, which no JSON writer can put back out.
    start: float | None = Field(default=None, ge=0, allow_inf_nan=False)
    end: float | None = Field(default=None, ge=0, allow_inf_nan=False)

    @field_validator("text")
    @classmethod
    def _no_nul(cls, value: str) -> str:
        if "\x00" in value:
            raise ValueError("contains a NUL character")
        return value

    @model_validator(mode="after")
    def _times(self) -> TurnIn:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError("end is before start")
        return self


class TranscriptDoc(BaseModel):
    """``{"meta": {...}, "turns": [{"speaker", "text", "start"?, "end"?}]}``; other keys ignored."""

    model_config = ConfigDict(extra="ignore")

    meta: JsonObject = Field(default_factory=dict)
    turns: list[TurnIn] = Field(min_length=1, max_length=5000)


def format_validation_error(exc: ValidationError) -> list[JsonObject]:
    return [
        {"field": ".".join(str(p) for p in err["loc"]) or "(document)", "problem": err["msg"]}
        for err in exc.errors()
    ]


def parse_meta(data: JsonObject) -> CallMeta:
    try:
        return CallMeta.model_validate(data)
    except ValidationError as exc:
        details = format_validation_error(exc)
        summary = "; ".join(f"{d['field']}: {d['problem']}" for d in details)
        raise InvalidInput(f"invalid call metadata: {summary}", code="invalid_meta", details=details) from exc


def parse_transcript_doc(data: Any) -> TranscriptDoc:
    if not isinstance(data, dict):
        raise InvalidInput("a transcript must be a JSON object with 'turns'", code="invalid_transcript")
    try:
        return TranscriptDoc.model_validate(data)
    except ValidationError as exc:
        details = format_validation_error(exc)
        summary = "; ".join(f"{d['field']}: {d['problem']}" for d in details)
        raise InvalidInput(f"invalid transcript: {summary}", code="invalid_transcript", details=details) from exc


def transcript_from_doc(doc: TranscriptDoc) -> Transcript:
    """Each turn becomes one segment, in order (segment i is turn i). Turns without
    times are placed after the previous turn at a typical reading speed."""
    segments: list[Segment] = []
    clock = 0.0
    for turn in doc.turns:
        start = turn.start if turn.start is not None else clock
        end = turn.end if turn.end is not None else start + max(0.5, len(turn.text) / CHARS_PER_SECOND)
        segments.append(Segment(speaker=turn.speaker, start=start, end=end, text=turn.text.strip()))
        clock = max(clock, end) + 0.3
    duration = max((s.end for s in segments), default=0.0)
    return Transcript(segments=tuple(segments), duration_s=round(duration, 3), channels=0, role_confidence=1.0)

"""Response models: they define the OpenAPI document's shapes and examples."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from callsight.db.models import Call
from core.jsonio import JsonObject


class CallCreated(BaseModel):
    id: str = Field(examples=["3f2c9a7e5b0d4e6f8a1b2c3d4e5f6a7b"])
    status: str = Field(examples=["queued"])
    links: dict[str, str] = Field(
        examples=[{"self": "/v1/calls/3f2c…", "transcript": "/v1/calls/3f2c…/transcript"}]
    )


class CallOut(BaseModel):
    id: str
    status: str = Field(examples=["done"])
    progress: float = Field(examples=[1.0], description="0..1")
    error_code: str | None = Field(default=None, examples=[None])
    error: str | None = Field(default=None, description="why the call failed, for status 'failed'")
    source: str = Field(examples=["audio"])
    branch: str | None = Field(default=None, examples=["城东支行"])
    agent: str | None = Field(default=None, examples=["A1023"])
    customer: str | None = Field(default=None, examples=["C20231"])
    direction: str | None = Field(default=None, examples=["inbound"])
    started_at: datetime | None = None
    duration_s: float | None = Field(default=None, examples=[62.4])
    channels: int | None = Field(default=None, examples=[2])
    original_filename: str | None = None
    attempts: int = 0
    created_at: datetime
    completed_at: datetime | None = None
    role_confidence: float | None = None
    meta: JsonObject = Field(default_factory=dict)

    @classmethod
    def of(cls, call: Call) -> CallOut:
        return cls(
            id=call.id,
            status=call.status,
            progress=call.progress,
            error_code=call.error_code,
            error=call.error,
            source=call.source,
            branch=call.branch.name if call.branch else None,
            agent=call.agent_code,
            customer=call.customer_code,
            direction=call.direction,
            started_at=call.started_at,
            duration_s=call.duration_s,
            channels=call.channels,
            original_filename=call.original_filename,
            attempts=call.attempts,
            created_at=call.created_at,
            completed_at=call.completed_at,
            role_confidence=call.role_confidence,
            meta=call.meta or {},
        )


class CallList(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[CallOut]


class SegmentOut(BaseModel):
    index: int
    speaker: str = Field(examples=["agent"])
    start: float = Field(examples=[0.52])
    end: float = Field(examples=[4.1])
    text: str = Field(examples=["您好，这里是招商银行理财中心，我是理财经理小王"])
    words: list[JsonObject] | None = None


class TranscriptOut(BaseModel):
    call_id: str
    status: str
    role_confidence: float | None
    pii_masked: bool
    segments: list[SegmentOut]


class SearchHit(BaseModel):
    call_id: str
    segment: int
    speaker: str
    start: float
    end: float
    text: str
    branch: str | None
    agent: str | None
    started_at: datetime | None
    highlights: list[tuple[int, int]] = Field(
        default_factory=list, examples=[[[5, 9]]],
        description="[start, end) character offsets of the matched words in `text`, for highlighting")


class SearchResult(BaseModel):
    query: str
    tokens: list[str]
    hits: list[SearchHit]


class BranchIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, examples=["城东支行"])
    code: str | None = Field(default=None, max_length=50, examples=["CD001"])
    region: str | None = Field(default=None, max_length=100, examples=["华东"])
    size_band: str | None = Field(default=None, max_length=20, examples=["M"])


class BranchOut(BranchIn):
    id: int


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    database: str = Field(examples=["ok"])
    broker: str = Field(examples=["embedded"])
    version: str

"""The call result: the typed form of the result JSON of ``callsight analyze``,
``GET /v1/calls/{id}/result`` and the worker (docs/result-schema.md is generated from
these classes, docs/result-schema.json too: ``python -m tools.result_schema``).

The pipeline builds a ``CallResult``; every later stage (rule context, review,
report facts, client tags, upsell, backtest, API) reads its typed fields. JSON exists
only at the edges: ``to_json`` for storage / API / CLI, ``CallResult.from_json`` to
read a stored document back — of this version or any older one (1.0–1.2 documents
lack the later keys; they read as absent or empty).

Field order is the JSON key order. A field whose metadata says ``OMIT_NONE`` is left
out of the JSON while it is None (older documents and optional stages), ``OMIT_EMPTY``
while it is empty, ``OMIT_FALSE`` while it is false.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.enums import (
    ComplaintLevel,
    Priority,
    SentimentLabel,
    Severity,
    Source,
    Speaker,
    SuggestionKind,
    TakeKind,
)
from core.jsonio import OMIT_EMPTY, OMIT_FALSE, OMIT_NONE, JsonObject, JsonScalar, parse, to_json
from core.types import AsrInfo

__all__ = [
    "RESULT_SCHEMA_VERSION",
    "AgentTakeRecord",
    "AsrRecord",
    "CallAnalysis",
    "CallInfo",
    "CallResult",
    "ComplaintRisk",
    "Compliance",
    "CustomerCue",
    "EntityRecord",
    "EvidenceSpan",
    "FindingRecord",
    "Intents",
    "NextActionRecord",
    "OpeningEvidence",
    "OpeningRecord",
    "PiiRecord",
    "RiskEvidenceRecord",
    "SegmentRecord",
    "SentimentSummary",
    "SuggestionRecord",
    "TurnIntentRecord",
    "TurnSentimentRecord",
    "WordRecord",
]

RESULT_SCHEMA_VERSION = "1.3"

# An entity's normalised value: a number (amount, rate), an id (product, R2, C3,
# staff id) or a small object (a date: month_offset / month / day / relative /
# maturity; a duration: n / unit).
EntityValue = float | int | str | dict[str, bool | int | float | str] | None
MetaValue = JsonScalar | list[Any] | dict[str, Any]


# --------------------------------------------------------------------------- call and segments


# How the transcript was made: the transcript's own record (core.types.AsrInfo), its
# seconds rounded to milliseconds; null for ingested transcripts.
AsrRecord = AsrInfo


@dataclass(frozen=True, slots=True)
class CallInfo:
    id: str | None
    meta: Mapping[str, MetaValue]
    source: Source
    duration_s: float
    channels: int
    asr: AsrRecord | None
    input: str | None = field(default=None, metadata=OMIT_NONE)  # callsight analyze: the path given

    def meta_str(self, key: str) -> str | None:
        """A metadata value as text (None when absent or empty)."""
        value = self.meta.get(key)
        return str(value) if value not in (None, "") else None

    @property
    def direction(self) -> str | None:
        return self.meta_str("direction")

    @property
    def started_at(self) -> dt.datetime | None:
        raw = self.meta_str("started_at")
        if raw is None:
            return None
        try:
            return dt.datetime.fromisoformat(raw)
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class WordRecord:
    text: str
    start: float
    end: float
    p: float


@dataclass(frozen=True, slots=True)
class SegmentRecord:
    speaker: Speaker
    start: float
    end: float
    text: str
    channel: int | None = field(default=None, metadata=OMIT_NONE)
    words: tuple[WordRecord, ...] = field(default=(), metadata=OMIT_EMPTY)


# --------------------------------------------------------------------------- conversation analysis


@dataclass(frozen=True, slots=True)
class TurnIntentRecord:
    segment: int
    intent: str
    score: float


@dataclass(frozen=True, slots=True)
class Intents:
    primary: str
    all: tuple[str, ...]
    turns: tuple[TurnIntentRecord, ...]
    confidence: float | None = field(default=None, metadata=OMIT_NONE)  # 1.2: the call model decided


@dataclass(frozen=True, slots=True)
class TurnSentimentRecord:
    segment: int
    label: SentimentLabel
    score: float
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SentimentSummary:
    call: SentimentLabel
    turns: tuple[TurnSentimentRecord, ...]


@dataclass(frozen=True, slots=True)
class RiskEvidenceRecord:
    segment: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class ComplaintRisk:
    level: ComplaintLevel
    evidence: tuple[RiskEvidenceRecord, ...]


@dataclass(frozen=True, slots=True)
class EntityRecord:
    type: str
    text: str
    value: EntityValue
    segment: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class PiiRecord:
    type: str
    segment: int
    start: int
    end: int


# --------------------------------------------------------------------------- compliance


@dataclass(frozen=True, slots=True)
class EvidenceSpan:
    segment: int
    start: float
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class FindingRecord:
    rule: str
    title: str
    severity: Severity
    passed: bool
    applicable: bool
    evidence: tuple[EvidenceSpan, ...]
    confidence: float

    @property
    def failed(self) -> bool:
        return self.applicable and not self.passed


@dataclass(frozen=True, slots=True)
class Compliance:
    rule_pack: str
    findings: tuple[FindingRecord, ...]
    scores: Mapping[str, float]
    fatal: tuple[str, ...]

    def finding(self, rule: str) -> FindingRecord | None:
        return next((f for f in self.findings if f.rule == rule), None)

    @property
    def failed(self) -> tuple[FindingRecord, ...]:
        return tuple(f for f in self.findings if f.failed)


# --------------------------------------------------------------------------- upsell


@dataclass(frozen=True, slots=True)
class CustomerCue:
    segment: int
    text: str
    cue: str


@dataclass(frozen=True, slots=True)
class AgentTakeRecord:
    segment: int
    text: str
    cue: str
    kind: TakeKind
    products: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OpeningEvidence:
    customer: CustomerCue
    entities: tuple[EntityRecord, ...]
    agent: AgentTakeRecord | None


@dataclass(frozen=True, slots=True)
class SuggestionRecord:
    script: str
    variant: str
    kind: SuggestionKind
    product: str | None
    product_name: str | None
    risk_level: str | None
    investment: bool
    text: str
    library: str


@dataclass(frozen=True, slots=True)
class OpeningRecord:
    type: str
    segment: int
    taken: bool
    evidence: OpeningEvidence
    suggestions: tuple[SuggestionRecord, ...] = ()

    def entity(self, kind: str) -> EntityRecord | None:
        return next((e for e in self.evidence.entities if e.type == kind), None)


@dataclass(frozen=True, slots=True)
class NextActionRecord:
    action: str
    opening: str
    segment: int
    text: str
    priority: Priority
    due: dt.date | None
    date_text: str | None
    script: str | None
    # The steps to follow, in order (since issue 12: a complaint's follow-up carries the
    # service-recovery steps, so they reach the agent and QA even where no opening does).
    steps: tuple[SuggestionRecord, ...] = field(default=(), metadata=OMIT_EMPTY)


# --------------------------------------------------------------------------- the document


@dataclass(frozen=True, slots=True)
class CallAnalysis:
    """What the text analysis adds to a transcript: the analysis fields of the result,
    in its order (``CallResult`` has the same fields after the call and its segments)."""

    intents: Intents | None = field(default=None, metadata=OMIT_NONE)
    sentiment: SentimentSummary | None = field(default=None, metadata=OMIT_NONE)
    complaint_risk: ComplaintRisk | None = field(default=None, metadata=OMIT_NONE)
    entities: tuple[EntityRecord, ...] = ()
    pii: tuple[PiiRecord, ...] = ()
    summary: str = ""
    keywords: tuple[str, ...] = ()
    compliance: Compliance | None = field(default=None, metadata=OMIT_NONE)
    upsell_openings: tuple[OpeningRecord, ...] = ()
    next_actions: tuple[NextActionRecord, ...] = ()

    @property
    def primary_intent(self) -> str | None:
        return self.intents.primary if self.intents is not None else None

    @property
    def complaint_level(self) -> ComplaintLevel:
        return self.complaint_risk.level if self.complaint_risk is not None else "none"


@dataclass(frozen=True, slots=True)
class CallResult:
    schema_version: str
    call: CallInfo
    segments: tuple[SegmentRecord, ...]
    role_confidence: float
    # 1.1: conversation analysis. ``intents`` is absent without an intent model;
    # documents older than 1.1 have none of these.
    intents: Intents | None = field(default=None, metadata=OMIT_NONE)
    sentiment: SentimentSummary | None = field(default=None, metadata=OMIT_NONE)
    complaint_risk: ComplaintRisk | None = field(default=None, metadata=OMIT_NONE)
    entities: tuple[EntityRecord, ...] = ()
    pii: tuple[PiiRecord, ...] = ()
    summary: str = ""
    keywords: tuple[str, ...] = ()
    compliance: Compliance | None = field(default=None, metadata=OMIT_NONE)  # absent without a rule pack
    # 1.2: upsell openings and next actions (always present, maybe empty).
    upsell_openings: tuple[OpeningRecord, ...] = ()
    next_actions: tuple[NextActionRecord, ...] = ()
    pii_masked: bool = field(default=False, metadata=OMIT_FALSE)  # every text field masked

    # ---------------------------------------------------------------- reading

    @property
    def analysis(self) -> CallAnalysis:
        return CallAnalysis(self.intents, self.sentiment, self.complaint_risk, self.entities, self.pii,
                            self.summary, self.keywords, self.compliance, self.upsell_openings, self.next_actions)

    @property
    def primary_intent(self) -> str | None:
        return self.intents.primary if self.intents is not None else None

    @property
    def complaint_level(self) -> ComplaintLevel:
        return self.complaint_risk.level if self.complaint_risk is not None else "none"

    @property
    def findings(self) -> tuple[FindingRecord, ...]:
        return self.compliance.findings if self.compliance is not None else ()

    def texts_of(self, speaker: Speaker) -> dict[int, str]:
        """Segment index → text of one speaker's turns."""
        return {i: s.text for i, s in enumerate(self.segments) if s.speaker == speaker}

    # ---------------------------------------------------------------- JSON edges

    def to_json(self) -> JsonObject:
        out = to_json(self)
        assert isinstance(out, dict)
        return out

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> CallResult:
        """A stored or received document of any version, validated (``ValueError`` with
        the path of the first problem when it is not a result)."""
        return parse(cls, doc)

"""What clients read of client tags (API, CRM webhook and export): plain records whose
field names and order are the JSON keys. Built by callsight/services/tags.py."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from core.jsonio import JsonObject

__all__ = ["ExportRow", "ObservationView", "Provenance", "TagView"]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a tag's evidence comes from: a call, a segment of it, the (masked) words."""

    call_id: str | None
    segment: int | None
    words: str


@dataclass(frozen=True, slots=True)
class TagView:
    """A tag as clients read it (API, CRM webhook); the JSON keys are the field names."""

    key: str
    label: str
    value: str
    confidence: float  # decayed to now
    base_confidence: float
    first_seen: str | None
    last_seen: str | None
    expires_at: str | None
    observations: int
    current: bool
    provenance: Provenance
    detail: JsonObject  # the observation's detail column, as stored


@dataclass(frozen=True, slots=True)
class ObservationView:
    """One observation and its fate (current, superseded, outweighed)."""

    key: str
    value: str
    confidence: float
    observed_at: str | None
    expires_at: str | None
    status: str
    provenance: Provenance
    detail: JsonObject


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One current tag, flat, for the CRM export (the field order is the column order)."""

    customer: str
    key: str
    value: str
    confidence: float
    first_seen: str | None
    last_seen: str | None
    expires_at: str | None
    call_id: str | None
    segment: int | None
    words: str

    def hide_evidence(self) -> ExportRow:
        return dataclasses.replace(self, call_id=None, segment=None, words="")

"""The conversation so far, during a call, and the suggestions it calls for.

Pure and incremental: turns come in (from a telephony system's ASR, or from our own
ASR of each finished utterance), and each new turn returns the events it causes: a
``suggestion`` the first time an opening appears (the same detection as after the
call, upsell.openings, run on the turns so far), and ``taken`` when the agent later takes
an opening already suggested. Turns are kept in time order; an agent utterance
transcribed after a later customer one still lands in its place. Openings are
remembered by the id of the turn that raised them, so inserting a turn never
repeats a suggestion.

The product judgement of the after-call analysis holds live too (upsell.recovery): once
a customer threatens or files a complaint, a ``recovery`` event brings the service-
recovery steps, and openings raised from then on are suggested those steps, never
a product.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from core.jsonio import JsonObject, to_json
from core.meta import MetaFacts
from core.result import EntityRecord, OpeningRecord, SuggestionRecord
from core.types import Segment, Transcript
from nlp.complaint import complaint_evidence
from nlp.entities import find_entities
from nlp.sentiment import lexicon_sentiment
from upsell.openings import detect_openings
from upsell.recovery import recovery_suggestions
from upsell.scripts import ScriptLibrary, customer_level, suggest

__all__ = ["ComplaintEvidence", "ComplaintOpening", "LiveConversation", "LiveEvent", "LiveTurn"]

Speaker = Literal["agent", "customer"]


@dataclass(frozen=True, slots=True)
class LiveTurn:
    id: int  # arrival order; stable, unlike the index in time order
    speaker: Speaker
    text: str
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class ComplaintCustomer:
    text: str


@dataclass(frozen=True, slots=True)
class ComplaintEvidence:
    customer: ComplaintCustomer
    reason: str


@dataclass(frozen=True, slots=True)
class ComplaintOpening:
    """What a "recovery" event is about: the customer turn that threatened a complaint."""

    evidence: ComplaintEvidence
    type: Literal["complaint"] = "complaint"


@dataclass(frozen=True, slots=True)
class LiveEvent:
    kind: Literal["suggestion", "taken", "recovery"]
    turn: int  # the id of the customer turn that raised the opening (or the complaint)
    opening: OpeningRecord | ComplaintOpening  # an opening as in the result, its suggestions in ``scripts``
    scripts: tuple[SuggestionRecord, ...] = ()  # "suggestion" and "recovery" events

    def to_json(self) -> JsonObject:
        if isinstance(self.opening, OpeningRecord):
            body = {k: v for k, v in to_json(self.opening).items() if k != "suggestions"}
        else:
            body = {"type": self.opening.type, "evidence": to_json(self.opening.evidence)}
        out: JsonObject = {"type": self.kind, "opening": {**body, "turn": self.turn}}
        if self.kind in ("suggestion", "recovery"):
            out["scripts"] = [to_json(s) for s in self.scripts]
        return out


@dataclass
class LiveConversation:
    """One live call. ``meta`` as for a call (``customer_risk_level`` filters the scripts);
    ``seed`` fixes the A/B variants (use the call id, as the after-call analysis does)."""

    library: ScriptLibrary | None
    meta: Mapping[str, Any] = field(default_factory=dict)
    seed: str = ""
    turns: list[LiveTurn] = field(default_factory=list)
    _suggested: dict[tuple[str, int], bool] = field(default_factory=dict)  # (type, turn id) -> taken
    _entities: dict[int, list[EntityRecord]] = field(default_factory=dict)  # turn id -> risk-level entities
    _complaint: dict[int, ComplaintEvidence] = field(default_factory=dict)  # turn id -> its complaint evidence
    _recovered: bool = False  # the recovery event was sent

    def add_turn(self, speaker: Speaker, text: str, start: float, end: float) -> tuple[LiveEvent, ...]:
        if speaker not in ("agent", "customer"):
            raise ValueError(f"speaker must be 'agent' or 'customer', got {speaker!r}")
        text = text.strip()
        if not text:
            return ()
        turn = LiveTurn(len(self.turns), speaker, text, float(start), float(max(start, end)))
        self.turns.append(turn)
        self.turns.sort(key=lambda t: (t.start, t.id))
        self._entities[turn.id] = [e.record(0) for e in find_entities(text)
                                   if e.type in ("customer_risk_level", "risk_level")]
        if speaker == "customer":
            # The lexicon, not the trained sentiment model: a live turn must not wait for
            # a model trained on first use; the tone only gates 销户 / 转走 threats.
            ev = next((e for e in complaint_evidence(0, text, lexicon_sentiment(text)) if e.threat or e.filed), None)
            if ev is not None:
                self._complaint[turn.id] = ComplaintEvidence(ComplaintCustomer(ev.text), ev.reason)
        return self._events()

    def transcript(self) -> Transcript:
        segs = tuple(Segment(t.speaker, t.start, t.end, t.text) for t in self.turns)
        return Transcript(segs, self.turns[-1].end if self.turns else 0.0, 2)

    def _events(self) -> tuple[LiveEvent, ...]:
        openings = detect_openings(self.transcript())
        level = customer_level(self.meta, [e for es in self._entities.values() for e in es])
        seed = self.seed or str(zlib.crc32(_text(MetaFacts.of(self.meta).call_id).encode()))
        out: list[LiveEvent] = []
        recovery = tuple(s.record() for s in recovery_suggestions()) if self._complaint else ()
        if recovery and not self._recovered:
            self._recovered = True
            first = next(t.id for t in self.turns if t.id in self._complaint)
            out.append(LiveEvent("recovery", first, ComplaintOpening(self._complaint[first]), recovery))
        for op in openings:
            turn_id = self.turns[op.segment].id
            key = (op.type, turn_id)
            body = op.record()
            if key not in self._suggested:
                self._suggested[key] = op.taken
                amount, date = op.entity("amount"), op.entity("date")
                value = amount[1].value if amount else None
                sugs = suggest(op.type, self.library, level=level, date=date[1].text if date else "",
                               amount=value if isinstance(value, float) else None,
                               seed=seed) if self.library and not recovery else ()
                out.append(LiveEvent("suggestion", turn_id, body, recovery or tuple(s.record() for s in sugs)))
            elif op.taken and not self._suggested[key]:
                self._suggested[key] = True
                out.append(LiveEvent("taken", turn_id, body))
        return tuple(out)


def _text(value: object) -> str:
    return "" if value is None else str(value)

"""From a transcript to the typed call result (core.result.CallResult; its JSON is
the contract documented in docs/result-schema.md). Pure: the models come in as arguments, nothing is read from
settings or the database here, so the CLI, the worker and the tests share it."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from core.enums import Source
from core.meta import MetaFacts
from core.result import (
    RESULT_SCHEMA_VERSION,
    CallAnalysis,
    CallInfo,
    CallResult,
    EntityRecord,
    NextActionRecord,
    OpeningRecord,
    SegmentRecord,
    WordRecord,
)
from core.types import Segment, Transcript

if TYPE_CHECKING:
    from nlp.view import TextView


@dataclass(frozen=True)
class Analyzers:
    """Loaded text models; ``None`` members are skipped (their fields are omitted)."""

    intent_model: Any = None
    call_intent_model: Any = None  # nlp.call_intent.CallIntentModel: None, the hand rules decide
    sentiment_model: Any = None  # nlp.sentiment.SentimentModel: None, nlp.sentiment's in-memory default
    rule_pack: Any = None
    script_library: Any = None  # upsell.scripts.ScriptLibrary: openings are still detected without one
    term_corrector: Any = None  # nlp.terms.TermCorrector with the deployment's vocabulary: None, the built-in one
    opening_filter: Any = None  # upsell.opening_filter.OpeningFilter: None, every cue-rule candidate stands


def segment_record(seg: Segment, *, words: bool = True) -> SegmentRecord:
    return SegmentRecord(
        seg.speaker, round(seg.start, 2), round(seg.end, 2), seg.text, seg.channel,
        tuple(WordRecord(w.text, round(w.start, 2), round(w.end, 2), round(w.probability, 3)) for w in seg.words)
        if words else (),
    )


def analyze_text(transcript: Transcript, meta: Mapping[str, Any], analyzers: Analyzers) -> CallAnalysis:
    """The analysis of one transcript: conversation analysis, compliance, upsell."""
    from nlp.analyze import analyze_conversation
    from nlp.view import TextView
    from qa.engine import evaluate
    from upsell.recovery import complaint_segment

    facts = MetaFacts.of(meta)
    # The call's text normalised once, for every analyser below.
    view = TextView.of(transcript, analyzers.term_corrector)
    conv = analyze_conversation(transcript, analyzers.intent_model, analyzers.call_intent_model,
                                facts.direction_text, sentiment_model=analyzers.sentiment_model, view=view)
    analysis = conv.record()
    if analyzers.rule_pack is not None:
        # The rules see the conversation analysis (intent, risk levels) as conditions.
        compliance = evaluate(transcript, analyzers.rule_pack, meta=meta, analysis=analysis, view=view)
        analysis = replace(analysis, compliance=compliance.record())
    openings, actions = upsell_records(transcript, meta, analysis.entities, analyzers.script_library,
                                       complaint=complaint_segment(analysis), view=view,
                                       gate=analyzers.opening_filter)
    return replace(analysis, upsell_openings=openings, next_actions=actions)


def _call_day(raw: object) -> dt.date | None:
    """The call's day from its metadata's ``started_at`` (a date, or an ISO string)."""
    from nlp.dates import parse_datetime

    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    when = parse_datetime(raw)
    return when.date() if when is not None else None


def upsell_records(transcript: Transcript, meta: Mapping[str, Any], entities: tuple[EntityRecord, ...],
                   library: Any, complaint: int | None = None, view: TextView | None = None,
                   gate: Any = None) -> tuple[tuple[OpeningRecord, ...], tuple[NextActionRecord, ...]]:
    """``upsell_openings`` and ``next_actions`` (schema 1.2): openings, the library's
    suitable scripts for each, and what the agent should do next. ``complaint``: the
    segment that makes the call a complaint (upsell.recovery); then no product is pitched,
    the suggestions are service recovery and the next action the complaint's follow-up."""
    from upsell.next_actions import next_actions
    from upsell.openings import detect_openings
    from upsell.recovery import complaint_follow_up, recovery_suggestions
    from upsell.scripts import customer_level, suggest

    # The filter applies on complaint calls too: there the openings anchor the
    # service-recovery steps, and a grievance the filter rejects (亏了, 收益才…) is no
    # opening by any writer's labels; skipping it there let those through as openings.
    openings = detect_openings(transcript, view, gate)
    if complaint is not None:
        recovery = tuple(s.record() for s in recovery_suggestions())
        return (tuple(op.record(recovery) for op in openings), (complaint_follow_up(complaint).record(),))
    level = customer_level(meta, entities)
    facts = MetaFacts.of(meta)
    # The variant a call gets is stable for the call (re-analysing gives the same A/B arm).
    seed = str(facts.call_id or zlib.crc32(transcript.text.encode()))
    all_sugs, held_back, items = [], [], []
    for op in openings:
        amount = op.entity("amount")
        date = op.entity("date")
        value = amount[1].value if amount else None
        sugs = suggest(op.type, library, level=level, date=date[1].text if date else "",
                       amount=value if isinstance(value, float) else None, seed=seed) if library else ()
        all_sugs.append(sugs)
        held_back.append(library is not None and level is None and any(
            library.products[s.product].investment for s in library.for_opening(op.type) if s.product))
        items.append(op.record(tuple(s.record() for s in sugs)))
    actions = next_actions(openings, all_sugs, call_day=_call_day(facts.started_at), level_unknown=level is None,
                           held_back=held_back)
    return tuple(items), tuple(a.record() for a in actions)


def build_result(
    *,
    call_id: str | None,
    meta: Mapping[str, Any],
    source: Source,
    transcript: Transcript,
    analysis: CallAnalysis,
    words: bool = True,
    input_path: str | None = None,
) -> CallResult:
    asr = transcript.asr
    return CallResult(
        RESULT_SCHEMA_VERSION,
        CallInfo(
            call_id, dict(meta), source, round(transcript.duration_s, 3), transcript.channels,
            None if asr is None else replace(asr, seconds=round(asr.seconds, 3)),
            input_path,
        ),
        tuple(segment_record(s, words=words) for s in transcript.segments),
        round(transcript.role_confidence, 3),
        **{f.name: getattr(analysis, f.name) for f in fields(analysis)},
    )

"""From a transcript to the result JSON (the contract documented in
docs/result-schema.md). Pure: the models come in as arguments, nothing is read from
settings or the database here, so the CLI, the worker and the tests share it."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.types import Segment, Transcript

RESULT_SCHEMA_VERSION = "1.2"


@dataclass(frozen=True)
class Analyzers:
    """Loaded text models; ``None`` members are skipped (their fields are omitted)."""

    intent_model: Any = None
    call_intent_model: Any = None  # nlp.call_intent.CallIntentModel: None, the hand rules decide
    sentiment_model: Any = None  # nlp.sentiment.SentimentModel: None, nlp.sentiment's in-memory default
    rule_pack: Any = None
    script_library: Any = None  # upsell.scripts.ScriptLibrary: openings are still detected without one


def segment_dict(seg: Segment, *, words: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "speaker": seg.speaker,
        "start": round(seg.start, 2),
        "end": round(seg.end, 2),
        "text": seg.text,
    }
    if seg.channel is not None:
        out["channel"] = seg.channel
    if words and seg.words:
        out["words"] = [
            {"text": w.text, "start": round(w.start, 2), "end": round(w.end, 2), "p": round(w.probability, 3)}
            for w in seg.words
        ]
    return out


def analyze_text(transcript: Transcript, meta: Mapping[str, Any], analyzers: Analyzers) -> dict[str, Any]:
    """The analysis fragments of the result (conversation analysis, compliance)."""
    from nlp.analyze import analyze_conversation
    from qa.engine import evaluate

    direction = meta.get("direction")
    out: dict[str, Any] = analyze_conversation(transcript, analyzers.intent_model, analyzers.call_intent_model,
                                               direction if isinstance(direction, str) else None,
                                               sentiment_model=analyzers.sentiment_model).to_json()
    if analyzers.rule_pack is not None:
        # The rules see the conversation analysis (intent, risk levels) as conditions.
        compliance = evaluate(transcript, analyzers.rule_pack, meta=meta, analysis=out)
        out["compliance"] = compliance.to_json()
    from upsell.recovery import complaint_segment

    out.update(upsell_fragment(transcript, meta, out.get("entities", []), analyzers.script_library,
                               complaint=complaint_segment(out)))
    return out


def _call_day(meta: Mapping[str, Any]) -> dt.date | None:
    from nlp.dates import parse_datetime

    raw = meta.get("started_at")
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    when = parse_datetime(raw)
    return when.date() if when is not None else None


def upsell_fragment(transcript: Transcript, meta: Mapping[str, Any], entities: list[dict[str, Any]],
                    library: Any, complaint: int | None = None) -> dict[str, Any]:
    """``upsell_openings`` and ``next_actions`` (schema 1.2): openings, the library's
    suitable scripts for each, and what the agent should do next. ``complaint``: the
    segment that makes the call a complaint (upsell.recovery); then no product is pitched,
    the suggestions are service recovery and the next action the complaint's follow-up."""
    from upsell.next_actions import next_actions
    from upsell.openings import detect_openings
    from upsell.recovery import complaint_follow_up, recovery_suggestions
    from upsell.scripts import customer_level, suggest

    openings = detect_openings(transcript)
    if complaint is not None:
        recovery = [s.to_json() for s in recovery_suggestions()]
        return {"upsell_openings": [{**op.to_json(), "suggestions": recovery} for op in openings],
                "next_actions": [complaint_follow_up(complaint).to_json()]}
    level = customer_level(meta, entities)
    # The variant a call gets is stable for the call (re-analysing gives the same A/B arm).
    seed = str(meta.get("call_id") or zlib.crc32(transcript.text.encode()))
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
        items.append({**op.to_json(), "suggestions": [s.to_json() for s in sugs]})
    actions = next_actions(openings, all_sugs, call_day=_call_day(meta), level_unknown=level is None,
                           held_back=held_back)
    return {"upsell_openings": items, "next_actions": [a.to_json() for a in actions]}


def build_result(
    *,
    call_id: str | None,
    meta: Mapping[str, Any],
    source: str,
    transcript: Transcript,
    analysis: Mapping[str, Any],
    words: bool = True,
) -> dict[str, Any]:
    asr = transcript.asr
    result: dict[str, Any] = {
        "schema_version": RESULT_SCHEMA_VERSION,
        "call": {
            "id": call_id,
            "meta": dict(meta),
            "source": source,
            "duration_s": round(transcript.duration_s, 3),
            "channels": transcript.channels,
            "asr": None
            if asr is None
            else {
                "model": asr.model,
                "compute_type": asr.compute_type,
                "device": asr.device,
                "seconds": round(asr.seconds, 3),
                "language": asr.language,
                "hotwords": asr.hotwords,
            },
        },
        "segments": [segment_dict(s, words=words) for s in transcript.segments],
        "role_confidence": round(transcript.role_confidence, 3),
    }
    result.update(analysis)
    return result

"""From a transcript to the result JSON (the contract documented in
docs/result-schema.md). Pure: the models come in as arguments, nothing is read from
settings or the database here, so the CLI, the worker and the tests share it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from callsight.domain import Segment, Transcript

RESULT_SCHEMA_VERSION = "1.1"


@dataclass(frozen=True)
class Analyzers:
    """Loaded text models; ``None`` members are skipped (their fields are omitted)."""

    intent_model: Any = None
    rule_pack: Any = None


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

    out: dict[str, Any] = analyze_conversation(transcript, analyzers.intent_model).to_json()
    if analyzers.rule_pack is not None:
        # The rules see the conversation analysis (intent, risk levels) as conditions.
        compliance = evaluate(transcript, analyzers.rule_pack, meta=meta, analysis=out)
        out["compliance"] = compliance.to_json()
    return out


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

"""In-process analysis of files (``callsight analyze``): no database, no broker.

The same pipeline as the worker: audio through the ASR engine, transcript files
through the transcript-input parser, then the text analysis and build_result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asr.audio import AudioError, probe
from callsight.errors import BadRequest, InvalidInput
from callsight.pipeline import Analyzers, analyze_text, build_result
from callsight.schemas import parse_meta, parse_transcript_doc, transcript_from_doc
from callsight.services.calls import audio_error_to_http
from core.enums import Source
from core.result import CallResult

if TYPE_CHECKING:
    from asr.engine import AsrEngine


def is_transcript_file(path: Path) -> bool:
    return path.suffix.lower() == ".json"


def content_id(path: Path) -> str:
    """A stable id for an input analysed outside the database: its content hash."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:32]


def analyze_file(
    path: Path,
    *,
    meta: Mapping[str, Any],
    engine: Callable[[], AsrEngine],
    analyzers: Analyzers,
    channel_map: Callable[[str | None], tuple[str | None, ...]],
    max_duration_s: float,
) -> CallResult:
    if not path.exists():
        raise InvalidInput(f"{path}: no such file", code="not_found")
    if path.is_dir():
        raise InvalidInput(f"{path}: is a directory", code="not_a_file")
    if is_transcript_file(path):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadRequest(f"{path}: not valid JSON: {exc}", code="bad_json") from exc
        doc = parse_transcript_doc(raw)
        call_meta = parse_meta({**doc.meta, **meta})
        transcript = transcript_from_doc(doc)
        source: Source = "transcript"
    else:
        call_meta = parse_meta(dict(meta))
        try:
            probe(path, max_duration_s=max_duration_s)
            transcript = engine().transcribe(
                path,
                channel_map=channel_map(call_meta.channel_layout),
                max_duration_s=max_duration_s,
            )
        except AudioError as exc:
            raise audio_error_to_http(exc, str(path)) from exc
        source = "audio"
    meta_json = call_meta.as_json()
    analysis = analyze_text(transcript, meta_json, analyzers)
    return build_result(call_id=content_id(path), meta=meta_json, source=source, transcript=transcript,
                        analysis=analysis, input_path=str(path))

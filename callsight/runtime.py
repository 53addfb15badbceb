"""Process-wide heavy objects built from settings, once per process.

The worker builds them in ``worker_process_init``; the CLI on first use; the API
process only in the embedded mode, when its background thread runs a call. Importing
this module loads nothing.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from callsight.config import settings
from callsight.pipeline import Analyzers

if TYPE_CHECKING:
    from asr.engine import AsrEngine

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def asr_engine() -> AsrEngine:
    from asr.engine import AsrEngine
    from asr.hotwords import DEFAULT_HOTWORDS_FILE, load_hotwords
    from asr.model import resolve_model

    model = resolve_model(settings.asr_model or None, settings.model_cache_dir)
    hotwords: tuple[str, ...] = ()
    if settings.asr_use_hotwords:
        hotwords = load_hotwords(settings.asr_hotwords_file or DEFAULT_HOTWORDS_FILE)
    engine = AsrEngine(
        model,
        device=settings.asr_device,
        compute_type=settings.asr_compute_type,
        cpu_threads=settings.asr_cpu_threads,
        beam_size=settings.asr_beam_size,
        hotwords=hotwords,
    )
    log.info("ASR model loaded: %s", model.label)
    return engine


@lru_cache(maxsize=1)
def analyzers() -> Analyzers:
    return Analyzers()


def channel_map(layout: str | None) -> tuple[str | None, ...]:
    """A call's own channel layout wins over the deployment default."""
    spec = layout or settings.channel_map
    return tuple(None if r.strip() in ("-", "") else r.strip() for r in spec.split(","))

"""Process-wide heavy objects built from settings, once per process.

The worker builds them in ``worker_process_init``; the CLI on first use; the API
process only in the embedded mode, when its background thread runs a call. Importing
this module loads nothing.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from callsight.config import settings
from callsight.pipeline import Analyzers

if TYPE_CHECKING:
    from asr.engine import AsrEngine
    from callsight.services.rules import PublishedRules
    from nlp.intents import IntentModel
    from qa.model import RulePack
    from qa.scripts import ScriptLibrary

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


def intent_corpus() -> list[Path]:
    dirs = [settings.intent_corpus_dir]
    if settings.intent_extra_corpus_dir is not None:
        dirs.append(settings.intent_extra_corpus_dir)
    return dirs


def train_intent_model() -> IntentModel:
    """Train from the configured corpus and save atomically (``callsight train intents``)."""
    from nlp.intents import train_intents

    model = train_intents(intent_corpus())
    model.save(settings.intent_model_file)
    log.info("intent model trained (%d intents) -> %s", len(model.intents), settings.intent_model_file)
    return model


def load_intent_model() -> IntentModel:
    """The saved model, retrained when missing, written by another scikit-learn or
    format version, or trained on a corpus that has since changed."""
    from nlp.intents import IntentModel, ModelVersionError, corpus_sha

    path = settings.intent_model_file
    try:
        model = IntentModel.load(path)
    except FileNotFoundError:
        log.info("no intent model at %s: training one", path)
        return train_intent_model()
    except ModelVersionError as exc:
        log.warning("intent model %s is stale (%s): retraining", path, exc)
        return train_intent_model()
    if model.corpus_sha != corpus_sha(intent_corpus()):
        log.info("intent corpus changed since %s was trained: retraining", path)
        return train_intent_model()
    return model


def load_rule_pack() -> RulePack:
    from qa.pack import DEFAULT_PACK_DIR, load_pack

    return load_pack(DEFAULT_PACK_DIR, *settings.rules_dirs)


@lru_cache(maxsize=1)
def rule_pack_base() -> RulePack:
    """The YAML packs only (no published database versions), compiled once per process."""
    return load_rule_pack()


def load_script_library() -> ScriptLibrary:
    from qa.scripts import DEFAULT_LIBRARY_DIR, load_library

    return load_library(DEFAULT_LIBRARY_DIR, *settings.script_library_dirs)


@lru_cache(maxsize=1)
def _base_analyzers() -> Analyzers:
    return Analyzers(intent_model=load_intent_model(), rule_pack=rule_pack_base(),
                     script_library=load_script_library())


# (stamp of the published rule set, analyzers whose pack includes it): rebuilt only
# when a job hands in a set with another stamp, i.e. after a publish.
_live: tuple[str, Analyzers] | None = None
_live_lock = threading.Lock()


def rules_stamp() -> str | None:
    """Stamp of the published rules the live pack was built from; None before any was seen."""
    live = _live
    return live[0] if live is not None else None


def analyzers(published: PublishedRules | None = None) -> Analyzers:
    """The loaded models. ``published`` (the database's published rule versions, read by
    the job when their stamp changed) replaces the YAML rules of the same ids; None keeps
    the last set seen (the YAML packs alone when none was)."""
    global _live
    base = _base_analyzers()
    with _live_lock:
        if published is not None and (_live is None or _live[0] != published.stamp):
            from callsight.services.rules import apply_published

            pack = apply_published(rule_pack_base(), published.rules)
            _live = (published.stamp, replace(base, rule_pack=pack))
            log.info("rule pack %s is live", pack.version)
        return _live[1] if _live is not None else base


_pack_live: tuple[str, RulePack] | None = None


def live_rule_pack(published: PublishedRules) -> RulePack:
    """The YAML packs with the published database versions applied, rebuilt only when
    the published set changes; loads no other model (the API uses it for re-scoring)."""
    global _pack_live
    with _live_lock:
        if _pack_live is None or _pack_live[0] != published.stamp:
            from callsight.services.rules import apply_published

            _pack_live = (published.stamp, apply_published(rule_pack_base(), published.rules))
        return _pack_live[1]


def channel_map(layout: str | None) -> tuple[str | None, ...]:
    """A call's own channel layout wins over the deployment default."""
    spec = layout or settings.channel_map
    return tuple(None if r.strip() in ("-", "") else r.strip() for r in spec.split(","))

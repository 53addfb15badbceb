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
    from nlp.call_intent import CallIntentModel
    from nlp.intents import IntentModel
    from qa.model import RulePack
    from upsell.scripts import ScriptLibrary

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


def call_corpus_files() -> list[Path]:
    """The call-level training corpus: one ``*.jsonl`` per writer."""
    return sorted(settings.call_intent_corpus_dir.glob("*.jsonl"))


def _call_corpus_sha() -> str:
    from nlp.call_intent import calls_digest
    from nlp.intents import corpus_sha

    # The turn model's probabilities are features: its corpus is part of the digest.
    return calls_digest(call_corpus_files(), corpus_sha(intent_corpus()))


def train_call_intent_model(intent_model: IntentModel | None = None) -> CallIntentModel:
    """Train the call model on the call corpus, its features read through the same path
    as the pipeline (nlp.analyze with the turn model), and save it atomically."""
    from core.types import Segment, Transcript
    from nlp.analyze import analyze_conversation
    from nlp.call_intent import load_calls, train_call_intents

    turn_model = intent_model or load_intent_model()
    rows = load_calls(call_corpus_files())
    feats = []
    for r in rows:
        segs = tuple(Segment(s["speaker"], float(s["start"]), float(s["end"]), s["text"]) for s in r["segments"])
        tr = Transcript(segs, max((s.end for s in segs), default=0.0), 2)
        a = analyze_conversation(tr, turn_model, None, (r.get("meta") or {}).get("direction"))
        assert a.call_features is not None  # a turn model was given
        feats.append(a.call_features)
    model = train_call_intents(feats, [r["intent"] for r in rows], _call_corpus_sha())
    model.save(settings.call_intent_model_file)
    log.info("call intent model trained (%d calls) -> %s", len(rows), settings.call_intent_model_file)
    return model


def load_call_intent_model(intent_model: IntentModel | None = None) -> CallIntentModel | None:
    """The saved call model, retrained when missing, stale or trained on another corpus;
    None when turned off or there is no call corpus (the hand rules decide then)."""
    from nlp.call_intent import CallIntentModel, CallModelVersionError

    if not settings.call_intent_enabled or not call_corpus_files():
        return None
    path = settings.call_intent_model_file
    try:
        model = CallIntentModel.load(path)
    except FileNotFoundError:
        log.info("no call intent model at %s: training one", path)
        return train_call_intent_model(intent_model)
    except CallModelVersionError as exc:
        log.warning("call intent model %s is stale (%s): retraining", path, exc)
        return train_call_intent_model(intent_model)
    if model.corpus_sha != _call_corpus_sha():
        log.info("call corpus changed since %s was trained: retraining", path)
        return train_call_intent_model(intent_model)
    return model


def load_rule_pack() -> RulePack:
    from qa.pack import DEFAULT_PACK_DIR, load_pack

    return load_pack(DEFAULT_PACK_DIR, *settings.rules_dirs)


@lru_cache(maxsize=1)
def rule_pack_base() -> RulePack:
    """The YAML packs only (no published database versions), compiled once per process."""
    return load_rule_pack()


def load_script_library() -> ScriptLibrary:
    from upsell.scripts import DEFAULT_LIBRARY_DIR, load_library

    return load_library(DEFAULT_LIBRARY_DIR, *settings.script_library_dirs)


@lru_cache(maxsize=1)
def _base_analyzers() -> Analyzers:
    intent_model = load_intent_model()
    return Analyzers(intent_model=intent_model, call_intent_model=load_call_intent_model(intent_model),
                     rule_pack=rule_pack_base(), script_library=load_script_library())


# (stamp of the published rule set, the pack with those versions applied): rebuilt only
# when a caller hands in a set with another stamp, i.e. after a publish. One cache for the
# analysis (worker, embedded runner) and for re-scoring after QA verdicts (API).
_live: tuple[str, RulePack] | None = None
_live_lock = threading.Lock()


def rules_stamp() -> str | None:
    """Stamp of the published rules the live pack was built from; None before any was seen."""
    live = _live
    return live[0] if live is not None else None


def live_rule_pack(published: PublishedRules | None = None) -> RulePack:
    """The YAML packs with the published database versions applied. ``published`` (read
    by the caller when their stamp changed) replaces the YAML rules of the same ids; None
    keeps the last set seen (the YAML packs alone when none was). Loads no other model."""
    global _live
    with _live_lock:
        if published is not None and (_live is None or _live[0] != published.stamp):
            from callsight.services.rules import apply_published

            pack = apply_published(rule_pack_base(), published.rules)
            _live = (published.stamp, pack)
            log.info("rule pack %s is live", pack.version)
        return _live[1] if _live is not None else rule_pack_base()


_with_pack: Analyzers | None = None  # the base analyzers with the last live pack in them


def analyzers(published: PublishedRules | None = None) -> Analyzers:
    """The loaded models, with the live rule pack (see ``live_rule_pack``); the same
    object for as long as the published set stays the same."""
    global _with_pack
    base = _base_analyzers()
    pack = live_rule_pack(published)
    if pack is base.rule_pack:
        return base
    current = _with_pack
    if current is None or current.rule_pack is not pack:
        current = _with_pack = replace(base, rule_pack=pack)
    return current


def channel_map(layout: str | None) -> tuple[str | None, ...]:
    """A call's own channel layout wins over the deployment default."""
    spec = layout or settings.channel_map
    return tuple(None if r.strip() in ("-", "") else r.strip() for r in spec.split(","))

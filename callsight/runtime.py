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
from typing import TYPE_CHECKING, Any

from callsight.config import settings
from callsight.pipeline import Analyzers

if TYPE_CHECKING:
    from asr.engine import AsrEngine
    from callsight.services.rules import PublishedRules
    from nlp.call_intent import CallCorpus, CallIntentModel
    from nlp.intents import IntentModel
    from nlp.sentiment import SentimentModel
    from nlp.terms import TermCorrector
    from qa.classifier import ClassifierSource
    from qa.model import RulePack
    from upsell.opening_filter import OpeningFilter
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


# Every trained text model goes through one lifecycle (nlp/artifact.py ``load_or_train``):
# its file lives in settings.models_dir (under data_dir, never the source tree) and is
# retrained when its corpus, format or scikit-learn version changes. The corpora come from
# one place each: a settings default (intents, calls) or the owning module's constant
# (sentiment, rule classifiers).


def intent_corpus() -> list[Path]:
    dirs = [settings.intent_corpus_dir]
    if settings.intent_extra_corpus_dir is not None:
        dirs.append(settings.intent_extra_corpus_dir)
    return dirs


def train_intent_model() -> IntentModel:
    """Train from the configured corpus and save atomically (``callsight train intents``)."""
    from nlp.intents import INTENT_SPEC

    model = INTENT_SPEC.train(intent_corpus())
    model.save(settings.intent_model_file)
    log.info("intent model trained (%d intents) -> %s", len(model.intents), settings.intent_model_file)
    return model


def load_intent_model() -> IntentModel:
    """The saved model, retrained when missing, written by another scikit-learn or
    format version, or trained on a corpus that has since changed."""
    from nlp.artifact import load_or_train
    from nlp.intents import INTENT_SPEC

    return load_or_train(INTENT_SPEC, intent_corpus(), settings.intent_model_file)


def sentiment_corpus() -> list[Path]:
    from nlp.sentiment import DEFAULT_SENTIMENT_CORPUS

    return [DEFAULT_SENTIMENT_CORPUS]


def load_sentiment_model() -> SentimentModel:
    """The saved sentiment model, retrained like the intent model."""
    from nlp.artifact import load_or_train
    from nlp.sentiment import SENTIMENT_SPEC

    return load_or_train(SENTIMENT_SPEC, sentiment_corpus(), SENTIMENT_SPEC.file(settings.models_dir))


def load_opening_filter() -> OpeningFilter:
    """The learned second stage of opening detection, trained from its packaged corpus."""
    from nlp.artifact import load_or_train
    from upsell.opening_filter import DEFAULT_CORPUS, OPENING_FILTER_SPEC

    return load_or_train(OPENING_FILTER_SPEC, DEFAULT_CORPUS, OPENING_FILTER_SPEC.file(settings.models_dir))


def call_corpus_files() -> list[Path]:
    """The call-level training corpus: one ``*.jsonl`` per writer."""
    return sorted(settings.call_intent_corpus_dir.glob("*.jsonl"))


def _call_corpus(intent_model: IntentModel | None, sentiment_model: SentimentModel | None) -> CallCorpus:
    """The call corpus, its features read through the same path as the pipeline
    (nlp.analyze with the turn and sentiment models)."""
    from core.types import Segment, Transcript
    from nlp.analyze import analyze_conversation
    from nlp.call_intent import CallCorpus, CallFeatures
    from nlp.intents import corpus_sha
    from nlp.sentiment import sentiment_corpus_digest

    turn_model = intent_model or load_intent_model()
    sent_model = sentiment_model or load_sentiment_model()

    def featurize(r: dict[str, Any]) -> CallFeatures:
        segs = tuple(Segment(s["speaker"], float(s["start"]), float(s["end"]), s["text"]) for s in r["segments"])
        tr = Transcript(segs, max((s.end for s in segs), default=0.0), 2)
        a = analyze_conversation(tr, turn_model, None, (r.get("meta") or {}).get("direction"),
                                 sentiment_model=sent_model)
        assert a.call_features is not None  # a turn model was given
        return a.call_features

    # The turn and sentiment models' outputs are features: their corpora are part of the digest.
    upstream = f"{corpus_sha(intent_corpus())}:{sentiment_corpus_digest(sentiment_corpus())}"
    return CallCorpus(tuple(call_corpus_files()), upstream, featurize)


def train_call_intent_model(intent_model: IntentModel | None = None,
                            sentiment_model: SentimentModel | None = None) -> CallIntentModel:
    """Train the call model on the call corpus and save it atomically."""
    from nlp.call_intent import CALL_INTENT_SPEC

    corpus = _call_corpus(intent_model, sentiment_model)
    model = CALL_INTENT_SPEC.train(corpus)
    model.save(settings.call_intent_model_file)
    log.info("call intent model trained (%d files) -> %s", len(corpus.files), settings.call_intent_model_file)
    return model


def load_call_intent_model(intent_model: IntentModel | None = None,
                           sentiment_model: SentimentModel | None = None) -> CallIntentModel | None:
    """The saved call model, retrained when missing, stale or trained on another corpus;
    None when turned off or there is no call corpus (the hand rules decide then)."""
    from nlp.artifact import load_or_train
    from nlp.call_intent import CALL_INTENT_SPEC

    if not settings.call_intent_enabled or not call_corpus_files():
        return None
    return load_or_train(CALL_INTENT_SPEC, _call_corpus(intent_model, sentiment_model),
                         settings.call_intent_model_file)


def classifier_source() -> ClassifierSource:
    """Where rule classifiers find corpora (by name) and save their models."""
    from qa.classifier import ClassifierSource

    return ClassifierSource(tuple(settings.classifier_corpus_dirs), settings.models_dir)


def load_rule_pack() -> RulePack:
    from qa.pack import DEFAULT_PACK_DIR, load_pack

    return load_pack(DEFAULT_PACK_DIR, *settings.rules_dirs, classifiers=classifier_source())


@lru_cache(maxsize=1)
def rule_pack_base() -> RulePack:
    """The YAML packs only (no published database versions), compiled once per process."""
    return load_rule_pack()


def load_script_library() -> ScriptLibrary:
    from upsell.scripts import DEFAULT_LIBRARY_DIR, load_library

    return load_library(DEFAULT_LIBRARY_DIR, *settings.script_library_dirs)


def load_term_corrector(library: ScriptLibrary) -> TermCorrector:
    """The sound-based term corrector with the deployment's vocabulary: the script
    library's product names, then the configured terms and term files."""
    from nlp.terms import TermCorrector

    terms = [p.name for p in library.products.values()] + list(settings.vocabulary_terms)
    for path in settings.vocabulary_files:
        terms += [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return TermCorrector(terms)


@lru_cache(maxsize=1)
def _base_analyzers() -> Analyzers:
    intent_model = load_intent_model()
    sentiment_model = load_sentiment_model()
    library = load_script_library()
    return Analyzers(intent_model=intent_model, call_intent_model=load_call_intent_model(intent_model, sentiment_model),
                     sentiment_model=sentiment_model, rule_pack=rule_pack_base(), script_library=library,
                     term_corrector=load_term_corrector(library), opening_filter=load_opening_filter())


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

            pack = apply_published(rule_pack_base(), published.rules, classifier_source())
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

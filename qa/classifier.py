"""Trained text classifiers as a rule operator: ``classifier: {model: courtesy, threshold: 0.8}``.

Keyword families catch the rude sentences someone thought of; a classifier trained on
many families and registers (and on polite look-alikes) catches the ones nobody wrote
down. A model is a binary linear classifier over character 1–3-grams and toneless
pinyin 1–2-grams (so 李财 and 理财, 你 and 您 share features), TF-IDF weighted, trained
as a LinearSVC and calibrated with a Platt sigmoid fitted on cross-validated decision
values, so ``threshold`` is a probability.

Corpus: ``<name>/train.tsv`` (``label<TAB>text``; the positive label is the one named in
``positive``, default ``rude``), found by NAME (``model``, or ``corpus: <name>``) in the
packaged ``qa/corpora`` and then in the folders the caller configures (``ClassifierSource``),
never at a path a rule names: rule drafts come in over the API. Training is
deterministic (about half a second, plus importing scikit-learn) and yields a plain
weight table; it is declared once as ``CLASSIFIER_SPEC`` (nlp/artifact.py) and saved in
the caller's models folder (never beside the corpus), so a pack compiled later loads it
without importing scikit-learn, and a change of format, scikit-learn version or corpus
retrains. Scoring a turn is a few dictionary look-ups.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.jsonio import JsonObject
from nlp.artifact import ModelSpec, library_version, load_or_train
from nlp.text import normalize
from qa.conditions import MISS, SPEAKERS, Condition, EvalState, Match, RuleError, fields, operator
from qa.textfeat import PUNCT, compact_pattern, syllables

FORMAT_VERSION = 2  # 2: the nlp/artifact.py file in the models folder (1: model.json beside the corpus)
# The packaged corpora, ``<name>/train.tsv``; deployments add folders (ClassifierSource).
CORPUS_ROOT = Path(__file__).resolve().parent / "corpora"
_SENTENCE = re.compile(r"[。！？!?；;…]+")
# Fillers ASR leaves in that carry no attitude; dropped before featurising.
_FILLER_WORDS = re.compile(r"那个|就是说|然后")
# An unpunctuated (ASR) turn is also scored in overlapping stretches this long, so one rude
# clause inside a long neutral turn is not averaged away by the turn's other words.
WINDOW_CHARS = 18
# A stretch this short (真的 / 知道了 / 是这么回事) says too little about tone to be judged:
# a handful of features decide it. Short rude replies are left to the keyword families.
MIN_CHARS = 6
WINDOW_STEP = 9


def features(text: str) -> list[str]:
    """Character 1–3-grams (你 read as 您) and pinyin 1–2-grams of the punctuation-free text."""
    compact = normalize(_FILLER_WORDS.sub("", text), compact=True)
    bare = "".join(c for c in compact if c not in PUNCT).replace("你", "您")
    out = [f"c{bare[i : i + n]}" for n in (1, 2, 3) for i in range(len(bare) - n + 1)]
    syl = syllables(bare)
    out += [f"p{s}" for s in syl]
    out += [f"p{a}_{b}" for a, b in itertools.pairwise(syl)]
    return out


@dataclass(frozen=True, slots=True)
class TextClassifier:
    """A trained binary classifier: per-feature (idf, weight), intercept, Platt (a, b)."""

    name: str
    weights: Mapping[str, tuple[float, float]]
    intercept: float
    platt: tuple[float, float]
    corpus_sha: str
    sklearn_version: str

    def proba(self, text: str) -> float:
        """P(positive) for one stretch of text (sublinear TF-IDF, l2, linear, sigmoid)."""
        counts: dict[str, int] = {}
        for f in features(text):
            if f in self.weights:
                counts[f] = counts.get(f, 0) + 1
        d = self.intercept
        if counts:
            dot = norm = 0.0
            for f, c in counts.items():
                idf, w = self.weights[f]
                v = (1.0 + math.log(c)) * idf
                dot += v * w
                norm += v * v
            d += dot / math.sqrt(norm)
        z = d * self.platt[0] + self.platt[1]
        return 1.0 / (1.0 + math.exp(z)) if z > -500 else 1.0

    def score_turn(self, text: str) -> float:
        """Highest probability over the turn, its sentences and, when it has no punctuation at
        all (ASR text, where a sentence cannot be told), its overlapping stretches."""
        parts = {text}
        sentences = [s for s in _SENTENCE.split(text) if s.strip()]
        if len(sentences) > 1:
            parts.update(sentences)
        bare = "".join(c for c in text if not c.isspace())
        if len(bare) > WINDOW_CHARS + WINDOW_STEP and not any(c in PUNCT for c in bare):
            parts.update(bare[i : i + WINDOW_CHARS] for i in range(0, len(bare) - WINDOW_STEP, WINDOW_STEP))
        scored = [p for p in parts if sum(1 for c in p if c not in PUNCT and not c.isspace()) >= MIN_CHARS]
        return max((self.proba(p) for p in scored), default=0.0)


def load_corpus(corpus: Path, split: str = "train") -> tuple[list[str], list[str]]:
    path = corpus / f"{split}.tsv"
    if not path.is_file():
        raise RuleError(f"{path}: classifier corpus not found")
    texts: list[str] = []
    labels: list[str] = []
    for k, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        label, sep, text = line.partition("\t")
        if not sep or not text.strip():
            raise RuleError(f"{path}:{k}: expected 'label<TAB>text'")
        labels.append(label.strip())
        texts.append(text.strip())
    return texts, labels


def train(texts: Sequence[str], labels: Sequence[str], positive: str, *, name: str = "model",
          c: float = 0.5, seed: int = 0) -> TextClassifier:
    """Fit TF-IDF + LinearSVC, then Platt-scale 5-fold out-of-fold decision values. Deterministic."""
    import numpy as np
    import sklearn
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.svm import LinearSVC

    y = np.array([1 if lab == positive else 0 for lab in labels])
    if y.min() == y.max():
        raise RuleError(f"classifier {name!r}: the corpus needs both {positive!r} and other labels")
    vec = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=2, dtype=np.float64)
    x = vec.fit_transform(list(texts))
    svm = LinearSVC(C=c, class_weight="balanced", random_state=seed)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    oof = cross_val_predict(svm, x, y, cv=folds, method="decision_function")
    # Platt: P(y=1|d) = 1 / (1 + exp(a d + b)); a logistic fit on the 1-d decision values.
    lr = LogisticRegression(C=1e4).fit(oof.reshape(-1, 1), y)
    svm.fit(x, y)
    coef = svm.coef_[0]
    idf = vec.idf_
    weights = {f: (float(idf[j]), float(coef[j])) for f, j in vec.vocabulary_.items()}
    return TextClassifier(name, weights, float(svm.intercept_[0]), (-float(lr.coef_[0][0]), -float(lr.intercept_[0])),
                          corpus_digest(texts, labels, positive), sklearn.__version__)


def corpus_digest(texts: Sequence[str], labels: Sequence[str], positive: str = "rude") -> str:
    h = hashlib.sha256(f"format={FORMAT_VERSION}\npositive={positive}\n".encode())
    for t, lab in zip(texts, labels, strict=True):
        h.update(f"{lab}\t{t}\n".encode())
    return h.hexdigest()


def _to_json(m: TextClassifier) -> JsonObject:  # the saved model file
    return {"name": m.name, "corpus_sha": m.corpus_sha, "sklearn": m.sklearn_version,
            "intercept": round(m.intercept, 8), "platt": [round(m.platt[0], 8), round(m.platt[1], 8)],
            "weights": {f: [round(idf, 6), round(w, 8)] for f, (idf, w) in sorted(m.weights.items())}}


def _from_json(d: Mapping[str, Any]) -> TextClassifier:
    return TextClassifier(str(d["name"]), {f: (float(v[0]), float(v[1])) for f, v in d["weights"].items()},
                          float(d["intercept"]), (float(d["platt"][0]), float(d["platt"][1])), str(d["corpus_sha"]),
                          str(d["sklearn"]))


@dataclass(frozen=True, slots=True)
class ClassifierCorpus:
    """A resolved corpus: its name, its folder (holding ``train.tsv``) and the positive label."""

    name: str
    path: Path
    positive: str = "rude"


def _digest(corpus: ClassifierCorpus) -> str:
    texts, labels = load_corpus(corpus.path)
    return corpus_digest(texts, labels, corpus.positive)


def _train_corpus(corpus: ClassifierCorpus) -> TextClassifier:
    texts, labels = load_corpus(corpus.path)
    # The weight table is rounded as the JSON model files of format 1 were, so models trained
    # now score exactly as those did.
    return _from_json(_to_json(train(texts, labels, corpus.positive, name=corpus.name)))


CLASSIFIER_SPEC: ModelSpec[ClassifierCorpus, TextClassifier] = ModelSpec(
    name="classifier", format_version=FORMAT_VERSION, model_type=TextClassifier, what="a rule classifier",
    magic=b"callsight-rule-classifier\n", digest=_digest, train=_train_corpus)


def model_file(models_dir: Path, corpus: ClassifierCorpus) -> Path:
    """One file per corpus and positive label (both checked to be plain names)."""
    return models_dir / f"classifier_{corpus.name}_{corpus.positive}.pkl"


@dataclass(frozen=True, slots=True)
class ClassifierSource:
    """Where rule classifiers come from, handed in by the caller (callsight/runtime.py):
    corpora by name from the packaged ``CORPUS_ROOT`` and then ``corpus_dirs`` (each holds
    ``<name>/train.tsv``; a later folder's corpus of the same name wins), models saved in
    ``models_dir`` (None: trained in memory, nothing written)."""

    corpus_dirs: tuple[Path, ...] = ()
    models_dir: Path | None = None

    def _roots(self) -> tuple[Path, ...]:
        return (CORPUS_ROOT, *self.corpus_dirs)

    def names(self) -> list[str]:
        return sorted({p.parent.name for root in self._roots() for p in root.glob("*/train.tsv")
                       if _NAME.fullmatch(p.parent.name)})

    def resolve(self, name: str, positive: str = "rude") -> ClassifierCorpus:
        """The corpus called ``name``; ``RuleError`` when it is not a plain name (never a
        path: a rule draft comes from the API) or no configured folder holds it."""
        if not _NAME.fullmatch(name):
            raise RuleError(f"expected the name of a classifier corpus such as 'courtesy', got {name!r} "
                            f"(paths are not accepted)")
        if not _LABEL.fullmatch(positive):
            raise RuleError(f"expected a label of letters, digits and _, got {positive!r}")
        for root in reversed(self._roots()):
            if (root / name / "train.tsv").is_file():
                return ClassifierCorpus(name, root / name, positive)
        known = ", ".join(self.names()) or "none"
        raise RuleError(f"unknown classifier corpus {name!r}; known: {known}")


_NAME = re.compile(r"[a-z0-9_]+")
_LABEL = re.compile(r"[A-Za-z0-9_]+")
# The source rules compile against. The classifier operator is built through
# qa.conditions' registry (spec, where) like every operator, so the source travels in a
# context variable that load_pack / load_rules_text set for the duration of one compile
# (``using_source``), not as a module setting.
_SOURCE: ContextVar[ClassifierSource | None] = ContextVar("classifier_source", default=None)


@contextmanager
def using_source(source: ClassifierSource | None) -> Iterator[None]:
    """Compile rules against ``source`` inside the block (None: the packaged corpora,
    models in memory)."""
    token = _SOURCE.set(source)
    try:
        yield
    finally:
        _SOURCE.reset(token)


@lru_cache(maxsize=8)
def _model(corpus: ClassifierCorpus, digest: str, sklearn_version: str, path: Path | None) -> TextClassifier:
    # digest / sklearn_version are part of the key: an edited corpus or another
    # scikit-learn retrains instead of reusing the memoised model.
    return load_or_train(CLASSIFIER_SPEC, corpus, path)


def load_model(corpus: Path | ClassifierCorpus, positive: str = "rude",
               models_dir: Path | None = None) -> TextClassifier:
    """The model of a corpus folder (``train.tsv``): memoised per process, saved in
    ``models_dir`` when given (format, scikit-learn version and corpus digest in its
    header; any change retrains). Never writes beside the corpus."""
    c = corpus if isinstance(corpus, ClassifierCorpus) else ClassifierCorpus(corpus.name, corpus, positive)
    path = model_file(models_dir, c) if models_dir is not None else None
    return _model(replace(c, path=c.path.resolve()), _digest(c), library_version(), path)


@dataclass(frozen=True, slots=True)
class Classify(Condition):
    """Hit in each turn (of the rule's scope, or ``speaker``) scoring ≥ ``threshold``."""

    model: TextClassifier
    threshold: float
    speaker: str | None
    exclude_turn: re.Pattern[str] | None

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        hits: list[int] = []
        conf = 0.0
        for i in window:
            if not st.speaker_ok(i, self.speaker):
                continue
            text = st.segments[i].text
            if self.exclude_turn is not None and self.exclude_turn.search(st.feat(i).norm):
                continue
            p = self.model.score_turn(text)
            if p >= self.threshold:
                hits.append(i)
                conf = max(conf, p)
        return Match(True, tuple(hits), round(conf, 3)) if hits else MISS


@operator("classifier")
def _classifier(arg: Any, where: str) -> Condition:
    f = fields(arg, where, ("model", "threshold"), ("speaker", "corpus", "positive", "exclude_turn"))
    name = f["model"]
    if not isinstance(name, str) or not re.fullmatch(r"[a-z0-9_]+", name):
        raise RuleError(f"{where}.model: expected a model name such as 'courtesy', got {name!r}")
    th = f["threshold"]
    if isinstance(th, bool) or not isinstance(th, int | float) or not 0 < th < 1:
        raise RuleError(f"{where}.threshold: expected a probability in (0, 1), got {th!r}")
    sp = f.choice("speaker", SPEAKERS)
    ex = f.text("exclude_turn")
    try:
        # read over the compact text (st.feat(i).norm): full-width marks as it holds them
        exclude = re.compile(compact_pattern(ex)) if ex else None
    except re.error as exc:
        raise RuleError(f"{where}.exclude_turn: invalid regular expression: {exc}") from None
    source = _SOURCE.get() or ClassifierSource()
    key = "corpus" if f.node("corpus") is not None else "model"
    try:
        corpus = source.resolve(str(f.node("corpus") or name), str(f.node("positive") or "rude"))
    except RuleError as exc:
        raise RuleError(f"{where}.{key}: {exc}") from None
    try:
        model = load_model(corpus, models_dir=source.models_dir)
    except RuleError as exc:
        raise RuleError(f"{where}: {exc}") from None
    return Classify(model, float(th), sp, exclude)

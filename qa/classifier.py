"""Trained text classifiers as a rule operator: ``classifier: {model: courtesy, threshold: 0.8}``.

Keyword families catch the rude sentences someone thought of; a classifier trained on
many families and registers (and on polite look-alikes) catches the ones nobody wrote
down. A model is a binary linear classifier over character 1–3-grams and toneless
pinyin 1–2-grams (so 李财 and 理财, 你 and 您 share features), TF-IDF weighted, trained
as a LinearSVC and calibrated with a Platt sigmoid fitted on cross-validated decision
values, so ``threshold`` is a probability.

Corpus: ``qa/corpora/<model>/train.tsv`` (``label<TAB>text``; the positive label is the
one named in ``positive``, default ``rude``), or any directory given as ``corpus``.
Training is deterministic (about half a second, plus importing scikit-learn) and
yields a plain weight table, saved as ``model.json`` beside the corpus (written to a
temp file and renamed) with the format, scikit-learn version and corpus digest in
it: a pack compiled later loads it without importing scikit-learn, and any change
of those three retrains. Scoring a turn is a few dictionary look-ups.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import itertools
import json
import math
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from qa.conditions import MISS, Condition, EvalState, Match, RuleError, fields, operator
from qa.textfeat import PUNCT, normalize, syllables

FORMAT_VERSION = 1
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
    bare = "".join(c for c in normalize(_FILLER_WORDS.sub("", text)) if c not in PUNCT).replace("你", "您")
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


MODEL_FILE = "model.json"


def _to_json(m: TextClassifier) -> dict[str, Any]:
    return {"format": FORMAT_VERSION, "sklearn": m.sklearn_version, "corpus_sha": m.corpus_sha, "name": m.name,
            "intercept": round(m.intercept, 8), "platt": [round(m.platt[0], 8), round(m.platt[1], 8)],
            "weights": {f: [round(idf, 6), round(w, 8)] for f, (idf, w) in sorted(m.weights.items())}}


def _from_json(d: Mapping[str, Any]) -> TextClassifier:
    return TextClassifier(str(d["name"]), {f: (float(v[0]), float(v[1])) for f, v in d["weights"].items()},
                          float(d["intercept"]), (float(d["platt"][0]), float(d["platt"][1])), str(d["corpus_sha"]),
                          str(d["sklearn"]))


def _read_cached(path: Path, digest: str, sklearn_version: str) -> TextClassifier | None:
    """The saved model when it was written by this format, scikit-learn and corpus; else None."""
    try:
        d = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(d, dict) or (d.get("format"), d.get("sklearn"), d.get("corpus_sha")) != (
            FORMAT_VERSION, sklearn_version, digest):
        return None
    try:
        return _from_json(d)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def _write_atomic(path: Path, payload: Mapping[str, Any]) -> None:
    """Temp file then rename, so a reader never sees half a model; a read-only corpus
    directory just means training again in the next process."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False, separators=(",", ":"))
        os.chmod(tmp, 0o644)  # mkstemp makes it owner-only; the model is no secret
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


@lru_cache(maxsize=8)
def _model(corpus: Path, positive: str, digest: str, sklearn_version: str) -> TextClassifier:
    # digest / sklearn_version are part of the key: an edited corpus or another
    # scikit-learn retrains instead of reusing the memoised model.
    path = corpus / MODEL_FILE
    cached = _read_cached(path, digest, sklearn_version)
    if cached is not None:
        return cached
    texts, labels = load_corpus(corpus)
    payload = _to_json(train(texts, labels, positive, name=corpus.name))
    payload["corpus_sha"] = digest
    _write_atomic(path, payload)
    # Built from the rounded table either way, so a fresh and a cached model score alike.
    return _from_json(payload)


def load_model(corpus: Path, positive: str = "rude") -> TextClassifier:
    """The model of ``corpus/train.tsv``: memoised per process, saved as ``corpus/model.json``
    (format, scikit-learn version and corpus digest in it; any change retrains)."""
    texts, labels = load_corpus(corpus)
    digest = corpus_digest(texts, labels, positive)
    return _model(corpus.resolve(), positive, digest, importlib.metadata.version("scikit-learn"))


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
    sp = f.get("speaker")
    if sp is not None and sp not in ("agent", "customer", "any"):
        raise RuleError(f"{where}.speaker: expected agent|customer|any, got {sp!r}")
    corpus = Path(f["corpus"]) if f.get("corpus") else CORPUS_ROOT / name
    ex = f.get("exclude_turn")
    try:
        exclude = re.compile(ex) if ex else None
    except re.error as exc:
        raise RuleError(f"{where}.exclude_turn: invalid regular expression: {exc}") from None
    try:
        model = load_model(corpus, str(f.get("positive", "rude")))
    except RuleError as exc:
        raise RuleError(f"{where}: {exc}") from None
    return Classify(model, float(th), sp, exclude)

"""Customer intent: which of the taxonomy's intents a customer turn expresses.

TF-IDF over three views of the cleaned text, jieba words (finance dictionary
loaded), character 1–3-grams and toneless "fuzzy" pinyin syllable 1–3-grams,
into a linear SVM (balanced class weights) calibrated with a sigmoid (Platt) so
the scores read as probabilities. Character n-grams carry robustness to ASR when
a misheard word keeps one of its characters; the pinyin view makes homophone
errors collide with the right word (鸡金 = 基金 = ji jin, 风显 = 风险, 村单 = 存单),
also for misrecognitions nobody listed, and the fuzzy folding (zh/z, ch/c, sh/s,
-ng/-n) covers southern-accented and 8 kHz near-homophones (定头, 到其, 收意).

The corpus is a folder of ``*.tsv`` files, one ``intent<TAB>text`` per line
(``#`` comments allowed); a deployment adds its own intents by dropping more
files in, and may name them in ``labels.tsv`` (``intent<TAB>中文名``).

The model is declared once as ``INTENT_SPEC`` (nlp/artifact.py): its file holds a small
header (format version, scikit-learn version, corpus digest) before the pickled model,
so a stale file is refused before anything in it is unpickled and retrained.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from core.enums import INTENT_LABELS, IntentId
from nlp.artifact import ArtifactError, ModelSpec, read_artifact, write_artifact
from nlp.text import tokenize
from nlp.view import SegmentText, as_text

__all__ = [
    "DEFAULT_INTENTS",
    "FORMAT_VERSION",
    "INTENT_SPEC",
    "IntentModel",
    "IntentScores",
    "ModelVersionError",
    "clean_for_intent",
    "corpus_sha",
    "evaluate_intents",
    "intent_words",
    "load_corpus",
    "train_intents",
]

FORMAT_VERSION = 2  # 2: pinyin view added
DEFAULT_INTENTS: dict[str, str] = INTENT_LABELS  # the built-in intents (core/enums.py)
OTHER = IntentId.other
_MAGIC = b"callsight-intents\n"


class ModelVersionError(RuntimeError):
    """The model file was written by another format or scikit-learn version."""


def clean_for_intent(text: str | SegmentText) -> str:
    """What the classifier sees: Simplified, ASR homophones fixed, fillers and
    punctuation dropped, spoken digit strings as digits (nlp.view.SegmentText.clean)."""
    return as_text(text).clean


@lru_cache(maxsize=4096)
def _cached_words(text: str) -> tuple[str, ...]:
    return tuple(tokenize(text, hmm=False))


def _words(text: str) -> list[str]:
    # Module-level (not a lambda) so the fitted vectorizer pickles. Cached:
    # calls repeat short turns (好的, 对) and analyze.keywords reads the same words.
    return list(_cached_words(text))


_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"))


@lru_cache(maxsize=8192)
def _syllable(ch: str) -> str:
    """Toneless pinyin of one Han character, folded: zh/ch/sh → z/c/s, -ng → -n."""
    from pypinyin import Style, lazy_pinyin

    s = lazy_pinyin(ch, style=Style.NORMAL)[0]
    for a, b in _FUZZY_INITIALS:
        if s.startswith(a):
            s = b + s[len(a) :]
            break
    return s[:-1] if s.endswith("ng") and len(s) > 2 else s


def _pinyin(text: str) -> list[str]:
    """Syllables of the Han characters; Latin/digit runs kept as one token each.
    Module-level (not a lambda) so the fitted vectorizer pickles."""
    out: list[str] = []
    run = ""
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            if run:
                out.append(run)
                run = ""
            out.append(_syllable(ch))
        elif ch.isalnum():
            run += ch
        elif run:
            out.append(run)
            run = ""
    if run:
        out.append(run)
    return out


def intent_words(text: str | SegmentText) -> list[str]:
    """The words the classifier sees for ``text`` (cleaned, jieba without HMM)."""
    return _words(clean_for_intent(text))


def _corpus_files(corpus: Path | Sequence[Path]) -> list[Path]:
    dirs = [corpus] if isinstance(corpus, str | Path) else list(corpus)
    return [p for d in dirs for p in sorted(Path(d).glob("*.tsv"))]


def load_corpus(corpus: Path | Sequence[Path]) -> tuple[list[str], list[str], dict[str, str]]:
    """Texts, labels and display names from every ``*.tsv`` in the corpus
    folder(s), in order: a deployment's folder after the default one adds
    intents and examples (``labels.tsv`` names intents instead of holding examples)."""
    texts: list[str] = []
    labels: list[str] = []
    names = dict(DEFAULT_INTENTS)
    for path in _corpus_files(corpus):
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            intent, sep, text = line.partition("\t")
            if not sep:
                raise ValueError(f"{path}:{line_no}: expected 'intent<TAB>text'")
            intent, text = intent.strip(), text.strip()
            if path.name == "labels.tsv":
                names[intent] = text
                continue
            texts.append(text)
            labels.append(intent)
    if not texts:
        raise ValueError(f"no training examples under {corpus}")
    return texts, labels, names


def _corpus_digest(texts: Sequence[str], labels: Sequence[str]) -> str:
    h = hashlib.sha256()
    for t, y in zip(texts, labels, strict=True):
        h.update(f"{y}\t{t}\n".encode())
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class IntentScores:
    """Per-class precision/recall/F1 on a labelled set, plus macro averages."""

    per_class: dict[str, tuple[float, float, float, int]]  # intent → (P, R, F1, support)
    macro_f1: float
    accuracy: float
    n: int
    errors: tuple[tuple[str, str, str], ...] = field(default=())  # (text, gold, predicted)


@dataclass(frozen=True)
class IntentModel:
    """A trained intent classifier; build with ``train_intents`` or ``load``."""

    pipeline: Any  # sklearn Pipeline: features → calibrated LinearSVC
    intents: tuple[str, ...]
    labels: dict[str, str]
    corpus_sha: str
    sklearn_version: str
    # Fast path, derived from ``pipeline`` at training time: the LinearSVC weights
    # and each class's Platt sigmoid (a, b), so prediction skips sklearn's per-call
    # validation overhead (several times faster on a call).
    _coef: Any = None
    _intercept: Any = None
    _platt: Any = None

    @cached_property
    def _views(self) -> list[tuple[Any, dict[str, int], Any, int]]:
        """(analyzer, vocabulary, idf, column offset) per TF-IDF view, read off the
        fitted vectorizers once: scoring a call's turns by hand skips sklearn's
        per-call input validation, which costs more than the arithmetic."""
        union = self.pipeline.named_steps["features"]
        out = []
        offset = 0
        for _, vec in union.transformer_list:
            out.append((vec.build_analyzer(), vec.vocabulary_, vec.idf_.astype(float), offset))
            offset += len(vec.vocabulary_)
        return out

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state.pop("_views", None)  # derived; rebuilt after loading
        return state

    def _decision(self, cleaned: list[str]) -> Any:
        """SVM decision values, TF-IDF (sublinear tf, l2 per view) computed by hand;
        equal to ``features.transform(x) @ coef.T + intercept``."""
        import numpy as np

        d = np.tile(self._intercept, (len(cleaned), 1))
        for row, text in enumerate(cleaned):
            for analyze, vocab, idf, offset in self._views:
                counts: dict[int, int] = {}
                for tok in analyze(text):
                    j = vocab.get(tok)
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
                if not counts:
                    continue
                cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
                vals = (1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))) * idf[cols]
                vals /= np.sqrt(vals @ vals)
                d[row] += self._coef[:, cols + offset] @ vals
        return d

    def _proba(self, cleaned: list[str]) -> Any:
        import numpy as np

        if self._coef is None:
            return self.pipeline.predict_proba(cleaned)
        d = self._decision(cleaned)
        p = 1.0 / (1.0 + np.exp(d * self._platt[0] + self._platt[1]))
        denom = p.sum(axis=1, keepdims=True)
        return np.where(denom > 0, p / np.where(denom > 0, denom, 1.0), 1.0 / p.shape[1])

    def predict(self, texts: Sequence[str | SegmentText]) -> list[tuple[str, float]]:
        """(intent, probability) per text. Texts with nothing left after
        cleaning (嗯, 啊) are ``other`` with full confidence."""
        cleaned = [clean_for_intent(t) for t in texts]
        idx = [i for i, c in enumerate(cleaned) if c.strip()]
        out: list[tuple[str, float]] = [(OTHER, 1.0)] * len(texts)
        if not idx:
            return out
        proba = self._proba([cleaned[i] for i in idx])
        classes = self.pipeline.classes_
        for row, i in zip(proba, idx, strict=True):
            k = int(row.argmax())
            out[i] = (str(classes[k]), float(row[k]))
        return out

    def predict_proba(self, texts: Sequence[str | SegmentText]) -> list[dict[str, float]]:
        """Full distributions (for callers combining turns)."""
        cleaned = [clean_for_intent(t) or " " for t in texts]
        classes = [str(c) for c in self.pipeline.classes_]
        return [dict(zip(classes, map(float, row), strict=True)) for row in self._proba(cleaned)]

    def label(self, intent: str) -> str:
        return self.labels.get(intent, intent)

    def save(self, path: str | Path) -> None:
        """Header + pickle, written to a temporary file then renamed over ``path``."""
        write_artifact(path, INTENT_SPEC, self, self.corpus_sha)

    @classmethod
    def load(cls, path: str | Path) -> IntentModel:
        """Load a model written by ``save``; ``ModelVersionError`` when another format or
        scikit-learn version wrote it (retrain then). Only load files this system wrote."""
        try:
            return read_artifact(path, INTENT_SPEC)
        except ArtifactError as exc:
            raise ModelVersionError(str(exc)) from exc


def _build_pipeline(seed: int) -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    features = FeatureUnion([
        ("words", TfidfVectorizer(tokenizer=_words, token_pattern=None, lowercase=False, ngram_range=(1, 2),
                                  min_df=1, sublinear_tf=True, dtype=_float32())),
        ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=False, min_df=2,
                                  sublinear_tf=True, dtype=_float32())),
        ("pinyin", TfidfVectorizer(tokenizer=_pinyin, token_pattern=None, lowercase=False, ngram_range=(1, 3),
                                   min_df=2, sublinear_tf=True, dtype=_float32())),
    ])
    svm = LinearSVC(C=0.5, class_weight="balanced", random_state=seed)
    # cv folds are StratifiedKFold without shuffling: deterministic for a given corpus order.
    clf = CalibratedClassifierCV(svm, method="sigmoid", cv=3, ensemble=False)
    return Pipeline([("features", features), ("clf", clf)])


def _float32() -> Any:
    import numpy as np

    return np.float32


def corpus_sha(corpus: Path | Sequence[Path]) -> str:
    """The digest a model trained on this corpus carries (to notice a changed corpus)."""
    texts, labels, _ = load_corpus(corpus)
    return _corpus_digest(texts, labels)


def train_intents(corpus_dir: Path | Sequence[Path], *, seed: int = 0) -> IntentModel:
    """Train on every ``*.tsv`` in ``corpus_dir``; same corpus and seed, same model."""
    import sklearn

    texts, labels, names = load_corpus(corpus_dir)
    pipeline = _build_pipeline(seed)
    pipeline.fit([clean_for_intent(t) for t in texts], labels)
    intents = tuple(str(c) for c in pipeline.classes_)
    cal = pipeline.named_steps["clf"].calibrated_classifiers_[0]
    if len(intents) <= 2 or list(cal.estimator.classes_) != list(cal.classes):
        coef = intercept = platt = None  # binary / reordered: leave it to sklearn
    else:
        import numpy as np

        coef, intercept = cal.estimator.coef_.astype(np.float64), cal.estimator.intercept_.astype(np.float64)
        platt = np.array([[c.a_ for c in cal.calibrators], [c.b_ for c in cal.calibrators]], dtype=np.float64)
    return IntentModel(pipeline, intents, {k: v for k, v in names.items() if k in intents},
                       _corpus_digest(texts, labels), sklearn.__version__, coef, intercept, platt)


INTENT_SPEC: ModelSpec[Sequence[Path], IntentModel] = ModelSpec(
    name="intents", format_version=FORMAT_VERSION, model_type=IntentModel, what="an intent model", magic=_MAGIC,
    digest=corpus_sha, train=train_intents)


def evaluate_intents(model: IntentModel, corpus_dir: Path) -> IntentScores:
    """Precision/recall/F1 per intent on a labelled folder the model never saw."""
    texts, gold, _ = load_corpus(corpus_dir)
    pred = [p for p, _ in model.predict(texts)]
    classes = sorted(set(gold) | set(pred))
    per: dict[str, tuple[float, float, float, int]] = {}
    for c in classes:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        n_pred = sum(1 for p in pred if p == c)
        n_gold = sum(1 for g in gold if g == c)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[c] = (prec, rec, f1, n_gold)
    scored = [c for c in classes if per[c][3] > 0]
    macro = sum(per[c][2] for c in scored) / len(scored)
    acc = sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold)
    errors = tuple((t, g, p) for t, g, p in zip(texts, gold, pred, strict=True) if g != p)
    return IntentScores(per, macro, acc, len(gold), errors)

"""Call-level intent: the customer's main purpose of a whole call, learned from
call-level labelled dialogues (nlp/corpora/intents/calls/).

The per-turn model (nlp/intents.py) says what each customer turn asks; which of
those is the call's purpose depends on the call (the opening request, an outbound
pitch the customer accepts, a complaint that takes over a question). Hand rules
(nlp/analyze.py ``_call_intents``) aggregate the turns; this model learns the
aggregation from calls written by several writers, with as inputs:

- character 1–3-gram TF-IDF of the customer's words and of the agent's words
  (weighted lower: the agent says what the bank sells, the customer what they
  want), plus toneless pinyin of the customer's words
  (homophones collide: 李财 = 理财), plus the agent's opening turns on their own
  (an outbound call's purpose is stated there, after the greeting and the identity check);
- the per-turn model's probabilities over customer turns: mean, max, opening turns,
  the first substantive turn, and the mean weighted by how sure each turn is business;
- the hand rules' verdict (one-hot), so the model learns when to trust them;
- the rules' complaint risk (high / low) and the purpose an agent stated up front;
- the call's direction (inbound / outbound);
- on an outbound call, whether the customer's last decision took or turned down the offer
  (nlp/call_ending.py: the convention labels an outbound sale by its outcome);
- on an outbound call, whether the agent's opening turns say the customer's risk test lapses
  (a reminder to redo it is ``risk_assessment`` by the convention, however much product talk
  follows; the whole call's n-grams read such calls as purchases).

A multinomial logistic regression (balanced class weights) reads them; its
probability of the chosen class is reported as the confidence.

Pure: the caller hands in the turn distributions and the rules' verdict, and for
training a ``CallCorpus`` with the function that turns labelled calls into features
(the pipeline's own path, which lives above nlp/). The model is declared once as
``CALL_INTENT_SPEC`` (nlp/artifact.py): a stale file (format, scikit-learn version,
corpus digest) is refused before its pickle is read and retrained.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.jsonio import JsonObject
from nlp.artifact import ArtifactError, ModelSpec, read_artifact, write_artifact
from nlp.call_ending import ending_features, risk_test_reminder
from nlp.intents import DEFAULT_INTENTS, _pinyin
from nlp.view import SegmentText

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

__all__ = [
    "CALL_INTENT_SPEC",
    "FORMAT_VERSION",
    "CallCorpus",
    "CallFeatures",
    "CallIntentModel",
    "CallModelVersionError",
    "calls_digest",
    "load_calls",
    "train_call_intents",
]

FORMAT_VERSION = 6  # 6: the complaint risk column reads ultimatums and leaving words (nlp.complaint); retrain
# 5: an outbound risk-test reminder (nlp.call_ending) joins the dense features
# 4: how an outbound call ends (nlp.call_ending) joins the dense features
INTENTS: tuple[str, ...] = tuple(DEFAULT_INTENTS)
_AGENT_WEIGHT = 0.5  # the agent's words count, but below the customer's
_RULE_WEIGHT = 1.0
# The outbound ending's six 0/1 columns: at weight 1 the whole call's n-grams (full of the
# pitch's words on both sides) outvote them (calls README: weight 1 moved r1 alone).
_ENDING_WEIGHT = 2.0
# An outbound call whose agent opens with the customer's lapsing risk test (nlp/call_ending.py).
_REMINDER_WEIGHT = 2.0
_C = 12.0  # leave-one-writer-out over six writers (bench.call_intent): 12 > 4 > 1 on the mean
_SUBSTANTIVE = 8  # cleaned characters: a shorter customer turn (喂 / 是我 / 好的) states no request
# Agent turns in which an outbound call's purpose is stated. The agent greets, checks identity
# (请问是王女士吗 / 先核对一下您身份证后四位: two or three turns), and only then says why they call
# (您的测评下个月到期 / 回访您上周买的理财); three turns often stopped before the purpose.
_AGENT_OPENING = 5
_MAGIC = b"callsight-call-intents\n"


class CallModelVersionError(RuntimeError):
    """The model file was written by another format or scikit-learn version."""


@dataclass(frozen=True)
class CallFeatures:
    """What the classifier reads of one call (built by nlp.analyze from the transcript)."""

    customer: tuple[str, ...]  # customer turn texts, in order
    agent: tuple[str, ...]  # agent turn texts, in order
    turn_dists: tuple[Mapping[str, float], ...]  # per-turn model distribution, per customer turn
    rule_primary: str  # the hand rules' call intent
    direction: str | None  # "inbound" / "outbound" / None when unknown
    # The turns' normalised forms when the caller has them (nlp.view: the pipeline's, in
    # the order of customer / agent); None: built from the texts.
    customer_text: tuple[SegmentText, ...] | None = None
    agent_text: tuple[SegmentText, ...] | None = None
    # The rules' complaint risk of the call (high / low / none) and the purpose an agent
    # stated up front (nlp.analyze ``_agent_topic``), when the caller worked them out.
    risk: str = "none"
    agent_purpose: str | None = None


def _texts(f: CallFeatures) -> tuple[str, str]:
    customer = f.customer_text if f.customer_text is not None else map(SegmentText, f.customer)
    agent = f.agent_text if f.agent_text is not None else map(SegmentText, f.agent)
    return " ".join(t.clean for t in customer), " ".join(t.clean for t in agent)


def _customer_clean(f: CallFeatures) -> list[str]:
    customer = f.customer_text if f.customer_text is not None else map(SegmentText, f.customer)
    return [t.clean for t in customer]


def _agent_opening(f: CallFeatures) -> str:
    agent = f.agent_text if f.agent_text is not None else map(SegmentText, f.agent)
    return " ".join(t.clean for _, t in zip(range(_AGENT_OPENING), agent, strict=False))


def _ending(f: CallFeatures) -> list[float]:
    # normalised keeps the punctuation that cuts a turn into clauses (clean drops it).
    customer = f.customer_text if f.customer_text is not None else map(SegmentText, f.customer)
    agent = f.agent_text if f.agent_text is not None else map(SegmentText, f.agent)
    values = ending_features([t.normalised for t in customer], [t.normalised for t in agent], f.direction)
    return [_ENDING_WEIGHT * v for v in values]


def _dense(f: CallFeatures) -> list[float]:
    k = len(INTENTS)
    rows = [[float(d.get(c, 0.0)) for c in INTENTS] for d in f.turn_dists]
    zero = [0.0] * k
    if rows:
        mean = [sum(r[j] for r in rows) / len(rows) for j in range(k)]
        mx = [max(r[j] for r in rows) for j in range(k)]
        first = rows[:3]
        opening = [sum(r[j] for r in first) / len(first) for j in range(k)]
        # The request itself, past 喂 / 你好 / 是我: the first substantive customer turn.
        texts = _customer_clean(f)
        request = next((r for r, t in zip(rows, texts, strict=False) if len(t) > _SUBSTANTIVE), zero)
        # Small talk dilutes the plain mean; weighting by 1 - p(other) keeps the business turns.
        biz = [1.0 - r[INTENTS.index("other")] for r in rows]
        total = sum(biz) or 1.0
        weighted = [sum(r[j] * b for r, b in zip(rows, biz, strict=True)) / total for j in range(k)]
    else:
        mean, mx, opening, request, weighted = zero, zero, zero, zero, zero
    rule = [_RULE_WEIGHT if c == f.rule_primary else 0.0 for c in INTENTS]
    direction = [1.0 if f.direction == "inbound" else 0.0, 1.0 if f.direction == "outbound" else 0.0]
    risk = [1.0 if f.risk == "high" else 0.0, 1.0 if f.risk == "low" else 0.0]
    purpose = [1.0 if c == f.agent_purpose else 0.0 for c in INTENTS]
    agent = f.agent_text if f.agent_text is not None else map(SegmentText, f.agent)
    said_first = [t.normalised for _, t in zip(range(_AGENT_OPENING), agent, strict=False)]
    reminder = _REMINDER_WEIGHT * risk_test_reminder(said_first, f.direction)
    return [*mean, *mx, *opening, *request, *weighted, *rule, *direction, *risk, *purpose, *_ending(f), reminder]


def _vectorizers() -> dict[str, TfidfVectorizer]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    def chars() -> TfidfVectorizer:
        return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=False, min_df=2, sublinear_tf=True)

    return {
        "customer": chars(),
        "agent": chars(),
        "agent_opening": chars(),
        "pinyin": TfidfVectorizer(tokenizer=_pinyin, token_pattern=None, lowercase=False, ngram_range=(1, 2),
                                  min_df=2, sublinear_tf=True),
    }


# A separate view of the customer's opening turns was measured (bench.call_intent): no gain,
# left out; the agent's opening turns gain a little on every writer but w1.
_WEIGHTS = {"customer": 1.0, "agent": _AGENT_WEIGHT, "agent_opening": 0.7, "pinyin": 0.7}


def _matrix(vecs: Mapping[str, Any], feats: Sequence[CallFeatures], *, fit: bool) -> Any:
    import numpy as np
    from scipy.sparse import csr_matrix, hstack

    texts = [_texts(f) for f in feats]
    cols = {"customer": [t[0] for t in texts], "agent": [t[1] for t in texts],
            "agent_opening": [_agent_opening(f) for f in feats], "pinyin": [t[0] for t in texts]}
    blocks = []
    for name, vec in vecs.items():
        m = vec.fit_transform(cols[name]) if fit else vec.transform(cols[name])
        blocks.append(m * _WEIGHTS[name])
    blocks.append(csr_matrix(np.array([_dense(f) for f in feats], dtype=float)))
    return hstack(blocks, format="csr")


@dataclass(frozen=True)
class CallIntentModel:
    """A trained call-intent classifier; build with ``train_call_intents`` or ``load``."""

    vectorizers: dict[str, TfidfVectorizer]
    clf: Any  # sklearn LogisticRegression
    corpus_sha: str
    sklearn_version: str

    def predict(self, feats: CallFeatures) -> tuple[str, float]:
        """(intent, probability) of one call."""
        proba = self.clf.predict_proba(_matrix(self.vectorizers, [feats], fit=False))[0]
        k = int(proba.argmax())
        return str(self.clf.classes_[k]), float(proba[k])

    def predict_many(self, feats: Sequence[CallFeatures]) -> list[tuple[str, float]]:
        """(intent, probability) per call, in one matrix (bench, training checks)."""
        proba = self.clf.predict_proba(_matrix(self.vectorizers, feats, fit=False))
        return [(str(self.clf.classes_[int(r.argmax())]), float(r.max())) for r in proba]

    def save(self, path: str | Path) -> None:
        """Header + pickle, written to a temporary file then renamed over ``path``."""
        write_artifact(path, CALL_INTENT_SPEC, self, self.corpus_sha)

    @classmethod
    def load(cls, path: str | Path) -> CallIntentModel:
        """Load a model written by ``save``; ``CallModelVersionError`` when another format or
        scikit-learn version wrote it (retrain then). Only load files this system wrote."""
        try:
            return read_artifact(path, CALL_INTENT_SPEC)
        except ArtifactError as exc:
            raise CallModelVersionError(str(exc)) from exc


def load_calls(paths: Sequence[Path]) -> list[JsonObject]:
    """Labelled dialogues (JSON lines with ``segments``, ``intent``, optional
    ``meta.direction``) from every file, in order; a bad line names its file and line."""
    rows: list[JsonObject] = []
    for path in paths:
        for n, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from exc
            if not isinstance(row, dict) or not isinstance(row.get("segments"), list) or "intent" not in row:
                raise ValueError(f"{path}:{n}: expected an object with 'segments' and 'intent'")
            rows.append(row)
    if not rows:
        raise ValueError("no labelled calls in " + ", ".join(map(str, paths)))
    return rows


def calls_digest(paths: Sequence[Path], extra: str = "") -> str:
    """Digest of the call corpus (and ``extra``: the turn model's corpus digest, whose
    probabilities are features), to notice when the model must be retrained."""
    h = hashlib.sha256(extra.encode())
    for p in sorted(Path(x) for x in paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def train_call_intents(feats: Sequence[CallFeatures], labels: Sequence[str], corpus_sha: str = "",
                       *, seed: int = 0) -> CallIntentModel:
    """Fit on calls' features and gold intents; same input and seed, same model."""
    import sklearn
    from sklearn.linear_model import LogisticRegression

    if len(feats) != len(labels) or len(set(labels)) < 2:
        raise ValueError("need labelled calls of at least two intents")
    vecs = _vectorizers()
    x = _matrix(vecs, feats, fit=True)
    clf = LogisticRegression(C=_C, class_weight="balanced", max_iter=3000, random_state=seed)
    clf.fit(x, list(labels))
    return CallIntentModel(vecs, clf, corpus_sha, sklearn.__version__)


@dataclass(frozen=True)
class CallCorpus:
    """What the call model is trained from: the labelled call files, the digest of
    everything else its features depend on (the turn model's and the sentiment model's
    corpora), and the function that reads a labelled call's features."""

    files: tuple[Path, ...]
    upstream_digest: str
    featurize: Callable[[JsonObject], CallFeatures]


def _corpus_digest(corpus: CallCorpus) -> str:
    return calls_digest(corpus.files, corpus.upstream_digest)


def _train_corpus(corpus: CallCorpus) -> CallIntentModel:
    rows = load_calls(corpus.files)
    return train_call_intents([corpus.featurize(r) for r in rows], [r["intent"] for r in rows],
                              _corpus_digest(corpus))


CALL_INTENT_SPEC: ModelSpec[CallCorpus, CallIntentModel] = ModelSpec(
    name="call_intents", format_version=FORMAT_VERSION, model_type=CallIntentModel, what="a call-intent model",
    magic=_MAGIC, digest=_corpus_digest, train=_train_corpus)

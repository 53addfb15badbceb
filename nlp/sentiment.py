"""Sentiment of customer turns and the call's complaint risk.

Sentiment is a linear model (multinomial logistic regression) over character
1–3-grams of the cleaned turn plus the lexicon's signals (weighted negative and
positive cue words after negation, ritual thanks, question form). The lexicon
keeps the result explainable ("which words made this negative?"): its words are
the ``cues`` of a turn; where the model decided without a lexicon word, the
n-grams that pushed it hardest are the cues. The model learns what the lexicon
cannot list: polite complaints (说实话我挺失望的), sarcasm-light (你们效率可真高),
waiting and losses, negated negatives (没什么不满意的 is not negative).

It is trained from ``nlp/corpora/sentiment/train`` (utterances written for this project by
data/sentiment/make_corpus.py), in well under a second and deterministically;
``train_sentiment`` takes other folders (a deployment's own labelled turns) and extra
rows. It is declared once as ``SENTIMENT_SPEC`` (nlp/artifact.py): the worker loads
the saved model (callsight/runtime.py), retrained when the corpus, format or
scikit-learn version changes; ``default_sentiment_model`` trains one in memory for
callers that hand in none. Prediction is a dictionary lookup per n-gram and one small
dot product: no sklearn call per turn.

Complaint risk (``complaint_evidence``, ``RiskEvidence``) lives in nlp/complaint.py and
is re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from core.result import TurnSentimentRecord
from nlp.artifact import ModelSpec, rows_digest

# Re-exported: callers read complaint risk next to sentiment (nlp/complaint.py holds it).
from nlp.complaint import RiskEvidence, complaint_evidence
from nlp.text import is_negated, is_question
from nlp.view import SegmentText, as_text

__all__ = ["DEFAULT_SENTIMENT_CORPUS", "LABELS", "SENTIMENT_SPEC", "RiskEvidence", "Sentiment", "SentimentLabel",
           "SentimentModel", "complaint_evidence", "default_sentiment_model", "lexicon_sentiment",
           "load_sentiment_corpus", "sentiment_corpus_digest", "sentiment_of", "train_sentiment"]

SentimentLabel = Literal["negative", "neutral", "positive"]
LABELS: tuple[SentimentLabel, ...] = ("negative", "neutral", "positive")
DEFAULT_SENTIMENT_CORPUS = Path(__file__).resolve().parent / "corpora" / "sentiment" / "train"
FORMAT_VERSION = 1
_MAGIC = b"callsight-sentiment\n"

# Weights: 2 = clearly emotional, 1 = mild. Longest match first (不满意 before 满意).
_NEG_WORDS: dict[str, float] = {
    **dict.fromkeys(["太差", "很差", "差劲", "垃圾", "骗子", "骗人", "欺骗", "忽悠", "坑人", "太坑", "坑了",
                     "气死", "生气", "恶心", "无语", "离谱", "过分", "恶劣", "不像话", "欺负", "耍无赖", "无赖",
                     "火大", "受够了", "不可理喻", "岂有此理", "什么破", "破银行", "害人", "失望", "愤怒", "窝火",
                     "心塞", "坑爹", "黑心", "霸王条款", "流氓", "太烂", "很烂", "差评", "不满意", "不满",
                     "投诉", "寒心", "一肚子火", "来气", "烦死", "不爽"], 2.0),
    **dict.fromkeys(["麻烦", "太慢", "很慢", "好慢", "慢死", "不合理", "不公平", "不靠谱", "亏了", "亏钱", "亏损",
                     "被扣", "乱扣", "扣我", "凭什么", "怎么回事", "搞什么", "没人管", "没人处理", "推卸", "拖着",
                     "着急", "烦", "难用", "卡顿", "折腾", "不方便", "担心", "不放心", "后悔", "郁闷", "可惜",
                     "被拒", "秒拒", "降额", "不给", "没用", "不行", "不好", "糟糕", "闹心", "头疼", "误导",
                     "不透明", "套路", "上当", "反感", "骚扰", "太高", "太低", "缩水", "不退", "不解决", "没解决",
                     "投诉无门", "一直没", "还没到", "收不到", "难办", "吐槽", "被坑", "抱怨", "焦虑", "踢皮球",
                     "敷衍", "乱收费", "变卦", "白跑"], 1.0),
}
_POS_WORDS: dict[str, float] = {
    **dict.fromkeys(["非常满意", "很满意", "太好了", "非常好", "非常感谢", "太感谢", "特别好", "很专业", "点赞",
                     "给力", "贴心", "靠谱", "真棒", "好评", "赞", "太棒"], 2.0),
    # 方便 / 划算 / 合适 / 稳健 alone are purposes and product descriptors (取钱方便点,
    # 划算不, 稳健的产品), not praise: only their praising forms are cues.
    **dict.fromkeys(["满意", "谢谢", "感谢", "不错", "挺好", "很好", "挺方便", "很方便", "真方便", "专业", "耐心",
                     "挺划算", "很划算", "放心", "清楚了", "明白了", "喜欢", "开心", "高兴", "实惠", "优惠大", "好用",
                     "快捷", "省心", "周到", "热情", "挺合适", "提额了", "秒批", "下卡", "值得", "惊喜", "顺利", "踏实",
                     "到位", "哈哈", "争气"], 1.0),
}
_LEX = sorted({**{w: -v for w, v in _NEG_WORDS.items()}, **_POS_WORDS}.items(), key=lambda kv: -len(kv[0]))
_LEX_RE = re.compile("|".join(re.escape(w) for w, _ in _LEX))
_LEX_W = dict(_LEX)
_INTENSIFIER = re.compile(r"(?:太|非常|特别|十分|真的|实在|极其|超级|好)$")
# Politeness that is not sentiment: 谢谢 at a call's close is a ritual.
_RITUAL = re.compile(r"^(?:好的?|嗯|行|那)?[，, ]*(?:谢谢|感谢)(?:你|您|啊)?[。！!]*(?:再见|拜拜)?[。！!]*$")
_NON_WORD = re.compile(r"[^\w]+")
_DENSE = 4  # lexicon negative, lexicon positive, ritual thanks, question form


@dataclass(frozen=True, slots=True)
class Sentiment:
    label: SentimentLabel
    score: float  # < 0 negative, > 0 positive: the lexicon cues' weight, pulled to the label's side
    cues: tuple[str, ...]  # the words that decided it

    def record(self, segment: int) -> TurnSentimentRecord:
        return TurnSentimentRecord(segment, self.label, round(self.score, 2), tuple(self.cues))


@dataclass(frozen=True, slots=True)
class _Lexicon:
    score: float
    neg: float  # summed weight of negative cues (>= 0)
    pos: float
    neg_cues: tuple[str, ...]
    pos_cues: tuple[str, ...]
    ritual: bool
    question: bool


def _lexicon(text: str) -> _Lexicon:
    """Lexicon cues with negation: 不满意 is a word of its own, 不太专业 flips
    专业, 不麻烦 cancels 麻烦; a question about 投诉 is no cue."""
    neg = pos = 0.0
    neg_cues: list[str] = []
    pos_cues: list[str] = []
    for m in _LEX_RE.finditer(text):
        w = _LEX_W[m.group()]
        if w < 0 and m.group() == "投诉" and is_question(text, m.start(), m.end()):
            continue
        if is_negated(text, m.start(), m.end(), window=3):
            w = -w if w > 0 else 0.0
        if w and _INTENSIFIER.search(text[max(0, m.start() - 2) : m.start()]):
            w *= 1.5
        if w < 0:
            neg -= w
            neg_cues.append(m.group())
        elif w > 0:
            pos += w
            pos_cues.append(m.group())
    stripped = text.strip()
    return _Lexicon(pos - neg, neg, pos, tuple(neg_cues), tuple(pos_cues), bool(_RITUAL.match(stripped)),
                    is_question(stripped, max(0, len(stripped) - 1), len(stripped)) if stripped else False)


def _clean(text: str) -> str:
    return _NON_WORD.sub("", text)


def _ngrams(cleaned: str) -> Iterable[str]:
    n = len(cleaned)
    for size in (1, 2, 3):
        for i in range(n - size + 1):
            yield cleaned[i : i + size]


def _dense(lex: _Lexicon) -> tuple[float, ...]:
    return (min(lex.neg, 4.0) / 2.0, min(lex.pos, 4.0) / 2.0, float(lex.ritual), float(lex.question))


@dataclass(frozen=True)
class SentimentModel:
    """Logistic regression over character n-grams (sublinear TF-IDF, l2) and the
    lexicon's dense signals; build with ``train_sentiment``."""

    vocab: dict[str, int]
    idf: Any  # numpy array, one per n-gram column
    coef: Any  # (3, n-grams + dense) in LABELS order
    intercept: Any  # (3,)

    def _row(self, cleaned: str) -> tuple[Any, Any]:
        import numpy as np

        counts: dict[int, int] = {}
        for g in _ngrams(cleaned):
            j = self.vocab.get(g)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        cols = np.fromiter(counts, dtype=np.int64, count=len(counts))
        vals = (1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))) * self.idf[cols]
        if len(vals):
            vals /= np.sqrt(vals @ vals)
        return cols, vals

    def proba(self, text: str | SegmentText) -> tuple[Any, _Lexicon, Any, Any]:
        """(P(negative, neutral, positive), lexicon reading, n-gram columns, values)."""
        import numpy as np

        t = as_text(text).normalised
        lex = _lexicon(t)
        cols, vals = self._row(_clean(t))
        d = self.intercept + self.coef[:, cols] @ vals + self.coef[:, len(self.vocab) :] @ np.array(_dense(lex))
        e = np.exp(d - d.max())
        return e / e.sum(), lex, cols, vals

    def predict(self, text: str | SegmentText) -> Sentiment:
        p, lex, cols, vals = self.proba(text)
        k = int(p.argmax())
        label = LABELS[k]
        if lex.ritual and label == "positive":
            label = "neutral"  # 好的谢谢 at the close is politeness, not praise
        if label == "neutral":
            return Sentiment("neutral", 0.0 if lex.ritual else max(-0.9, min(0.9, lex.score)), ())
        sign = -1.0 if label == "negative" else 1.0
        cues = lex.neg_cues if label == "negative" else lex.pos_cues
        if not cues and len(cols):  # the model decided on n-grams: show the strongest ones
            inv = self._inverse()
            push = (self.coef[k, cols] - self.coef[1, cols]) * vals
            cues = tuple(inv[int(cols[i])] for i in push.argsort()[::-1][:4]
                         if push[i] > 0 and len(inv[int(cols[i])]) >= 2)[:2]
        score = min(lex.score, -2.0 * float(p[0])) if sign < 0 else max(lex.score, 2.0 * float(p[2]))
        return Sentiment(label, score, tuple(cues))

    def _inverse(self) -> dict[int, str]:
        return _inverse_vocab(id(self.vocab), self.vocab)


_INVERSE: dict[int, dict[int, str]] = {}


def _inverse_vocab(key: int, vocab: dict[str, int]) -> dict[int, str]:
    inv = _INVERSE.get(key)
    if inv is None:
        inv = _INVERSE[key] = {j: g for g, j in vocab.items()}
    return inv


def load_sentiment_corpus(corpus: Path | Sequence[Path]) -> list[tuple[str, str]]:
    """(label, text) rows from every ``*.tsv`` (``label<TAB>text``) in the folder(s)."""
    dirs = [corpus] if isinstance(corpus, str | Path) else list(corpus)
    rows: list[tuple[str, str]] = []
    for path in (p for d in dirs for p in sorted(Path(d).glob("*.tsv"))):
        for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            label, sep, text = line.partition("\t")
            if not sep or label not in LABELS:
                raise ValueError(f"{path}:{line_no}: expected '<negative|neutral|positive><TAB>text'")
            rows.append((label, text.strip()))
    return rows


def train_sentiment(corpus: Path | Sequence[Path] = DEFAULT_SENTIMENT_CORPUS,
                    extra: Sequence[tuple[str, str]] = (), *, c: float = 2.0) -> SentimentModel:
    """Fit on the corpus folder(s) plus ``extra`` (label, text) rows; deterministic."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

    rows = load_sentiment_corpus(corpus) + list(extra)
    if not rows:
        raise ValueError(f"no sentiment examples under {corpus}")
    texts = [SegmentText(t).normalised for _, t in rows]
    grams = [list(_ngrams(_clean(t))) for t in texts]
    df: dict[str, int] = {}
    for gs in grams:
        for g in set(gs):
            df[g] = df.get(g, 0) + 1
    vocab = {g: i for i, g in enumerate(sorted(g for g, n in df.items() if n >= 2))}
    n = len(texts)
    idf = np.array([np.log((1 + n) / (1 + df[g])) + 1.0 for g in sorted(vocab, key=vocab.__getitem__)])
    probe = SentimentModel(vocab, idf, None, None)
    data, indices, indptr = [], [], [0]
    for t in texts:
        cols, vals = probe._row(_clean(t))
        dense = _dense(_lexicon(t))
        indices.extend([*cols.tolist(), *range(len(vocab), len(vocab) + _DENSE)])
        data.extend([*vals.tolist(), *dense])
        indptr.append(len(indices))
    x = sp.csr_matrix((data, indices, indptr), shape=(n, len(vocab) + _DENSE))
    y = [LABELS.index(label) for label, _ in rows]
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(x, y)
    return SentimentModel(vocab, idf, clf.coef_.astype(float), clf.intercept_.astype(float))


def sentiment_corpus_digest(corpus: Path | Sequence[Path]) -> str:
    """The digest a model trained on this corpus carries (to notice a changed corpus)."""
    return rows_digest((f"{label}\t{text}" for label, text in load_sentiment_corpus(corpus)),
                       prefix=f"format={FORMAT_VERSION}\n")


def _train_default(corpus: Sequence[Path]) -> SentimentModel:
    return train_sentiment(corpus)


SENTIMENT_SPEC: ModelSpec[Sequence[Path], SentimentModel] = ModelSpec(
    name="sentiment", format_version=FORMAT_VERSION, model_type=SentimentModel, what="a sentiment model",
    magic=_MAGIC, digest=sentiment_corpus_digest, train=_train_default)


@lru_cache(maxsize=1)
def default_sentiment_model() -> SentimentModel:
    """Trained in memory once per process from the packaged corpus (nothing is written),
    for callers that hand in no model; the worker hands in the saved one."""
    return train_sentiment(DEFAULT_SENTIMENT_CORPUS)


def lexicon_sentiment(text: str | SegmentText) -> Sentiment:
    """The lexicon alone (the pre-model rule: weight <= -1 negative, >= 1 positive);
    a baseline for the quality report."""
    lex = _lexicon(as_text(text).normalised)
    if lex.ritual and lex.score > 0:
        return Sentiment("neutral", 0.0, ())
    label: SentimentLabel = "negative" if lex.score <= -1.0 else "positive" if lex.score >= 1.0 else "neutral"
    return Sentiment(label, lex.score, lex.neg_cues + lex.pos_cues)


def sentiment_of(text: str | SegmentText, model: SentimentModel | None = None) -> Sentiment:
    """Sentiment of one customer utterance (the default model unless one is given)."""
    if not as_text(text).text.strip():
        return Sentiment("neutral", 0.0, ())
    return (model or default_sentiment_model()).predict(text)

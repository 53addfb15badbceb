"""客户之声: cluster what customers said over a period into topics, and say which
topics grew or shrank against the previous period.

Method. Each utterance is cleaned as for intent (Simplified, ASR homophones fixed,
fillers dropped), cut by jieba with the finance dictionary, and stripped of stop
words; what is left under two content words (好的, 嗯, 谢谢) is dropped. TF-IDF over
words plus character 2–3-grams (a misheard word usually keeps one character), LSA,
then average-linkage clustering with k chosen by silhouette within bounds. The two
periods are fitted together so that a topic means the same in both; counts per
period come afterwards. Fitting uses distinct texts only (weighted by how often they
occur), sampled to a cap; everything else is assigned to the nearest topic, so
200k utterances cost little more than the cap. Deterministic for a given seed.

Growth is measured on calls, not utterances: utterances of one call are not
independent, and "share of calls that raised it" is what a branch manager reads.
A topic's change is tested with the exact conditional test of two Poisson rates
(binomial on the calls of both periods), Bonferroni-corrected over the topics, and
counts only when it is also large (rate ratio ≥ ``min_ratio``) and the topic has
``min_count`` calls in one of the periods: noise is not growth.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from core.jsonio import JsonObject
from nlp.pii import mask_text
from nlp.text import fix_asr_terms, normalize, spoken_digits_to_arabic, strip_fillers, tokenize

__all__ = ["Period", "Topic", "TopicChange", "TopicReport", "Trend", "Utterance", "content_words", "find_topics"]

Period = Literal["current", "previous"]
Trend = Literal["up", "down", "steady", "unknown"]

# Function words, pronouns, politeness and call-handling chatter: what every topic shares.
_STOPWORDS_TEXT = """
的 了 吗 呢 吧 啊 呀 哦 噢 哈 嘛 么 喂 嗯 呃 哎 唉 是 我 你 您 他 她 它 我们
你们 他们 咱们 在 有 就 都 也 还 又 要 会 能 想 说 这 那 个 一 和 跟 与 给 把
被 让 对 去 来 过 着 得 地 很 太 挺 比较 什么 怎么 怎么样 怎样 为什么 多少 哪
哪里 哪个 哪些 这个 那个 这些 那些 这样 那样 一下 一个 一点 一些 有点 问 问问 请问
想问 问一下 了解 知道 觉得 可以 能不能 是不是 有没有 会不会 要不要 可不可以 不 没 没有
不是 好 好的 行 对的 是的 嗯嗯 谢谢 谢谢你 麻烦 麻烦你 帮 帮我 看看 看 一下子 然后
就是 就是说 那么 所以 但是 因为 如果 现在 今天 刚才 之前 以后 时候 已经 还是 或者
而且 其实 反正 到底 你好 您好 喂你好 请 啦 嘞 哈哈 知道了 没问题 那行 行吧 好吧
可以的 清楚 明白 听得到 听到 什么样 一般 具体 情况 事 事情 东西 这边 那边 里面 上面
下 上 里 中 为 以 及 等 之 其 该 此 某 各 每 再 才 只 更 最 并 而 且 但 却
如何 怎么办 怎么回事 办法 需要 应该 可能 这种 那种 个人 自己 人 您们 老师 小姐 先生
经理 客服 的话 这么 那么多 听 听得 听得见 听不到 听不清 听见 得到
本 而已 罢了 一直 总是 还有 这里 那里 时间 一次 两次 时候 这次 上次 下次 感觉 确实 真的 肯定
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
# Examples are read by managers: names after a self-introduction and ID / card tails go too
# (mask_text covers whole personal numbers, not "我叫张伟" or "身份证后四位3321").
_NAME = re.compile(r"(我叫|我是|我姓|名字叫|名字是|本人|客户)([\u4e00-\u9fff])(?!先生|女士|小姐)"
                   r"([\u4e00-\u9fff]{1,2})(?=[，。,. ！？!?\s]|先生|女士|$)")
_DIGITS = re.compile(r"[0-9０-９]{3,}|[零〇一二两三四五六七八九]{4,}")
_NUMBER = re.compile(r"^(?:百分之)?[0-9零〇一二两三四五六七八九十百千万亿几多块元wk%.点]+$")


@dataclass(frozen=True, slots=True)
class Utterance:
    """One customer turn: its text, where it came from, and which period it belongs to."""

    text: str
    call_id: str
    segment: int
    period: Period = "current"


@dataclass(frozen=True, slots=True)
class TopicChange:
    """Calls that raised the topic in each period, as a share of the period's calls."""

    calls: int
    previous_calls: int
    call_share: float
    previous_call_share: float | None
    ratio: float | None  # current / previous call share, smoothed by half a call
    p_value: float | None
    trend: Trend


@dataclass(frozen=True, slots=True)
class Topic:
    id: int
    label: str  # the top content terms joined, e.g. 大额存单、到期、续存
    terms: tuple[str, ...]
    size: int  # utterances in the current period
    share: float  # of the current period's kept utterances
    previous_size: int
    examples: tuple[str, ...]  # the most central utterances, distinct, personal numbers masked
    call_ids: tuple[str, ...]  # current-period calls, most utterances first
    change: TopicChange

    def to_json(self, max_call_ids: int = 50) -> JsonObject:
        c = self.change
        return {
            "id": self.id, "label": self.label, "terms": list(self.terms), "size": self.size,
            "share": round(self.share, 4), "previous_size": self.previous_size, "examples": list(self.examples),
            "calls": c.calls, "previous_calls": c.previous_calls, "call_share": round(c.call_share, 4),
            "previous_call_share": None if c.previous_call_share is None else round(c.previous_call_share, 4),
            "ratio": None if c.ratio is None else round(c.ratio, 3),
            "p_value": None if c.p_value is None else float(f"{c.p_value:.3g}"), "trend": c.trend,
            "call_ids": list(self.call_ids[:max_call_ids]),
        }


@dataclass(frozen=True, slots=True)
class TopicReport:
    topics: tuple[Topic, ...]
    utterances: int  # current-period input utterances
    previous_utterances: int
    kept: int  # current-period utterances with content (acknowledgements dropped)
    previous_kept: int
    unassigned: int  # current-period utterances with content but no topic close enough
    calls: int
    previous_calls: int
    k: int  # clusters cut (topics can be fewer: tiny clusters go to unassigned)
    fitted_on: int  # distinct texts the model was fitted on
    silhouette: float | None
    labels: tuple[int, ...]  # topic id per input utterance, -1: dropped or unassigned

    def to_json(self, max_call_ids: int = 50) -> JsonObject:
        return {
            "topics": [t.to_json(max_call_ids) for t in self.topics],
            "utterances": self.utterances, "previous_utterances": self.previous_utterances,
            "kept": self.kept, "previous_kept": self.previous_kept, "unassigned": self.unassigned,
            "calls": self.calls, "previous_calls": self.previous_calls, "k": self.k, "fitted_on": self.fitted_on,
            "silhouette": None if self.silhouette is None else round(self.silhouette, 3),
        }


def content_words(text: str) -> list[str]:
    """The words a topic is made of: cleaned, tokenised, stop words and numbers out."""
    t = spoken_digits_to_arabic(strip_fillers(fix_asr_terms(normalize(text))))
    t = "".join(ch if ch.isalnum() else " " for ch in t)
    t = _NAME.sub(lambda m: m.group(1), t)  # 我叫周建国 → 我叫: a name is no topic (建国)
    names = _person_names(t)
    return [w for w in tokenize(t, hmm=False)
            if w not in STOPWORDS and not _NUMBER.match(w) and not any(w in n for n in names)]


def _split_words(doc: str) -> list[str]:
    return doc.split()


def _features(docs: list[str], fit_idx: np.ndarray, seed: int) -> tuple[Any, Any, list[str], np.ndarray]:
    """Word TF-IDF (for the terms), LSA vectors of words + char n-grams (for the clusters)."""
    from scipy.sparse import hstack
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize as l2

    fit_docs = [docs[i] for i in fit_idx]
    min_df = 2 if len(fit_docs) >= 50 else 1
    words = TfidfVectorizer(analyzer=_split_words, min_df=min_df, max_df=0.5, sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), min_df=min_df, max_df=0.5, sublinear_tf=True)
    try:
        words.fit(fit_docs)
        chars.fit([d.replace(" ", "") for d in fit_docs])
    except ValueError:  # nothing left after min_df/max_df: too few or too uniform texts
        words = TfidfVectorizer(analyzer=_split_words).fit(fit_docs)
        chars = TfidfVectorizer(analyzer="char", ngram_range=(2, 3)).fit([d.replace(" ", "") for d in fit_docs])
    xw = words.transform(docs)
    x = l2(hstack([xw, 0.7 * chars.transform([d.replace(" ", "") for d in docs])]).tocsr())
    dims = min(100, x.shape[1] - 1, len(fit_idx) - 1)
    if dims < 2:
        z = x.toarray() if x.shape[1] <= 200 else x[:, :200].toarray()
    else:
        svd = TruncatedSVD(n_components=dims, random_state=seed).fit(x[fit_idx])
        z = svd.transform(x)
    return xw, words, list(words.get_feature_names_out()), l2(z)


def _cluster(z: np.ndarray, k_min: int, k_max: int, seed: int) -> tuple[np.ndarray, int, float | None]:
    """Average-linkage clustering (cosine), cut at the first peak of the silhouette
    curve that reaches 80 % of its best value in bounds (else at the best).

    Average linkage rather than k-means: k-means splits a big theme before it lets a
    small one have its own cluster, and a branch's themes are never balanced. Past
    the true number of topics the silhouette curve of speech is flat or creeps up (one
    phrasing, one product make sub-topics nearly as tight, outliers peel off as
    singletons), so the first peak keeps the manager's list to the themes where the
    maximum would split them at random.
    """
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.metrics import silhouette_score

    tree = linkage(z, method="average", metric="cosine")
    rng = np.random.default_rng(seed)
    probe = np.sort(rng.choice(len(z), size=2000, replace=False)) if len(z) > 2000 else np.arange(len(z))
    cuts: list[tuple[int, np.ndarray, float]] = []
    for k in range(k_min, k_max + 1):
        labels = fcluster(tree, k, "maxclust")
        if len(set(labels[probe].tolist())) < 2:
            continue
        cuts.append((k, labels, float(silhouette_score(z[probe], labels[probe], metric="cosine"))))
    if not cuts:
        return np.ones(len(z), dtype=int), 1, None
    best = max(cuts, key=lambda c: c[2])
    for i, (k, labels, score) in enumerate(cuts):
        peak = (i == 0 or score > cuts[i - 1][2]) and (i + 1 == len(cuts) or score >= cuts[i + 1][2])
        if peak and score >= 0.8 * best[2]:
            return labels, k, score
    return best[1], best[0], best[2]


# The commonest surnames (about 85 % of people): jieba's tagger also calls 养老金 or 谢谢
# a name, so a tagged name counts only when it starts with one of these.
SURNAMES = frozenset("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
                     "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史"
                     "陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")


def _person_names(text: str) -> list[str]:
    """Personal names in ``text`` (jieba tags nr, starting with a common surname), e.g. a
    customer answering 黄志明，后四位是…"""
    import jieba.posseg

    return [w.word for w in jieba.posseg.cut(text)
            if w.flag == "nr" and 2 <= len(w.word) <= 3 and w.word[0] in SURNAMES and w.word[1] != w.word[0]]


def _numeral(word: str) -> bool:
    import jieba.posseg

    return all(w.flag in ("m", "mq") for w in jieba.posseg.cut(word))


def mask_example(text: str) -> str:
    """An example sentence as a manager may read it: personal numbers, digit runs (ID and
    card tails), personal names (surname kept) and the name after a self-introduction masked."""
    out = _DIGITS.sub(lambda m: "*" * len(m.group(0)), mask_text(text))
    out = _NAME.sub(lambda m: m.group(1) + m.group(2) + "*" * len(m.group(3)), out)
    for name in _person_names(out):
        out = out.replace(name, name[0] + "*" * (len(name) - 1))
    return out


def _label(terms: Sequence[str], n: int = 3) -> str:
    """A readable label: content words of two characters or more ("本·而已·风险" said nothing)."""
    chosen: list[str] = []
    for t in terms:
        if len(t) < 2 or t in STOPWORDS or _person_names(t) or _numeral(t):
            continue  # no customers' names and no bare numerals (四位) in a label
        if any(t in c or c in t for c in chosen):
            continue  # 存单 next to 大额存单 says nothing new
        chosen.append(t)
        if len(chosen) == n:
            break
    return "、".join(chosen) or "其他"


def _binom_two_sided(x: int, n: int, p: float) -> float:
    from scipy.stats import binomtest

    return float(binomtest(x, n, p).pvalue)


def _change(c1: int, c0: int, n1: int, n0: int, n_topics: int, alpha: float, min_ratio: float,
            min_count: int) -> TopicChange:
    share1 = c1 / n1 if n1 else 0.0
    if not n0 or not n1:
        return TopicChange(c1, c0, share1, None if not n0 else c0 / n0, None, None, "unknown")
    share0 = c0 / n0
    ratio = ((c1 + 0.5) / n1) / ((c0 + 0.5) / n0)
    # Given c0 + c1 calls on the topic, equal rates put each in the current period
    # with probability n1 / (n0 + n1).
    p = _binom_two_sided(c1, c0 + c1, n1 / (n0 + n1)) if c0 + c1 else 1.0
    trend: Trend = "steady"
    if max(c0, c1) >= min_count and p < alpha / max(1, n_topics):
        if ratio >= min_ratio:
            trend = "up"
        elif ratio <= 1 / min_ratio:
            trend = "down"
    return TopicChange(c1, c0, share1, share0, ratio, p, trend)


def find_topics(
    utterances: Sequence[Utterance],
    *,
    min_topics: int = 2,
    max_topics: int = 12,
    fit_cap: int = 4000,
    min_similarity: float = 0.15,
    min_topic_size: int = 3,
    n_examples: int = 3,
    n_terms: int = 8,
    alpha: float = 0.05,
    min_ratio: float = 1.5,
    min_count: int = 5,
    seed: int = 0,
) -> TopicReport:
    """Topics of the customer utterances of two periods (``period`` tags them),
    described and counted for the current period, compared with the previous one."""
    n_in = Counter(u.period for u in utterances)
    calls_in = {p: len({u.call_id for u in utterances if u.period == p}) for p in ("current", "previous")}
    cache: dict[str, str] = {}
    docs_of: list[str] = []
    for u in utterances:
        if u.text not in cache:
            words = content_words(u.text)
            cache[u.text] = " ".join(words) if len(words) >= 2 else ""
        docs_of.append(cache[u.text])
    kept = Counter(u.period for u, d in zip(utterances, docs_of, strict=True) if d)
    # Distinct texts, sorted so the result does not depend on input order.
    weight = Counter(d for d in docs_of if d)
    docs = sorted(weight)
    labels_out = [-1] * len(utterances)

    def empty(k: int = 0, fitted: int = 0) -> TopicReport:
        return TopicReport((), n_in["current"], n_in["previous"], kept["current"], kept["previous"],
                           kept["current"], calls_in["current"], calls_in["previous"], k, fitted, None,
                           tuple(labels_out))

    if len(docs) < 2:
        return empty()
    w_all = np.array([weight[d] for d in docs], dtype=float)
    rng = np.random.default_rng(seed)
    fit_idx = np.sort(rng.choice(len(docs), size=fit_cap, replace=False)) if len(docs) > fit_cap \
        else np.arange(len(docs))
    xw, _, vocab, z = _features(docs, fit_idx, seed)
    fit_idx = fit_idx[np.linalg.norm(z[fit_idx], axis=1) > 0]  # no known feature: nothing to cluster on
    if len(fit_idx) < 2:
        return empty()
    # Outliers make singleton clusters of their own: allow a few cuts past max_topics.
    k_max = max(1, min(max_topics + 4, len(fit_idx) // 4))
    fit_labels, k, silhouette = _cluster(z[fit_idx], min(min_topics, k_max), k_max, seed)
    # Clusters big enough to be a topic (by weight); their centroids take every text.
    fit_w = w_all[fit_idx]
    mass = {c: fit_w[fit_labels == c].sum() for c in set(fit_labels.tolist())}
    floor = max(min_topic_size, 0.01 * fit_w.sum())  # under 1 % of what was said is not a topic
    big = sorted((c for c in mass if mass[c] >= floor), key=lambda c: -mass[c])[:max_topics]
    if not big:
        return empty(k, len(fit_idx))
    centroids = np.stack([z[fit_idx][fit_labels == c].mean(axis=0) for c in big])
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    sims = z @ centroids.T
    cluster = sims.argmax(axis=1)
    closeness = sims[np.arange(len(docs)), cluster]
    cluster[closeness < min_similarity] = -1

    doc_index = {d: i for i, d in enumerate(docs)}
    members: dict[int, list[int]] = defaultdict(list)  # cluster -> input positions
    for pos, d in enumerate(docs_of):
        if d and cluster[doc_index[d]] >= 0:
            members[int(cluster[doc_index[d]])].append(pos)
    sizes = {c: (sum(utterances[p].period == "current" for p in ps), sum(utterances[p].period == "previous"
                                                                         for p in ps)) for c, ps in members.items()}
    keep = [c for c in members if sum(sizes[c]) >= min_topic_size]
    keep.sort(key=lambda c: (-sizes[c][0], -sizes[c][1], c))

    mean_all = np.asarray(xw.T @ w_all).ravel() / w_all.sum()
    topics: list[Topic] = []
    for tid, c in enumerate(keep):
        in_c = cluster == c
        w_in = np.where(in_c, w_all, 0.0)
        mean_in = np.asarray(xw.T @ w_in).ravel() / max(w_in.sum(), 1e-12)
        w_out = w_all - w_in
        mean_out = np.asarray(xw.T @ w_out).ravel() / max(w_out.sum(), 1e-12) if w_out.sum() else mean_all * 0
        score = mean_in - mean_out
        terms = tuple(vocab[i] for i in np.argsort(-score, kind="stable")[:n_terms] if score[i] > 0)
        positions = members[c]
        for p in positions:
            labels_out[p] = tid
        period_pos = [p for p in positions if utterances[p].period == "current"] or positions
        # Most central first, distinct in content words.
        seen: list[set[str]] = []
        examples: list[str] = []
        for p in sorted(period_pos, key=lambda p: (-closeness[doc_index[docs_of[p]]], docs_of[p], p)):
            bag = set(docs_of[p].split())
            if any(len(bag & s) >= 0.7 * len(bag | s) for s in seen):
                continue  # a near repeat of an example already chosen says nothing new
            seen.append(bag)
            text = mask_example(utterances[p].text.strip())
            examples.append(text if len(text) <= 80 else text[:79] + "…")
            if len(examples) == n_examples:
                break
        per_call = Counter(utterances[p].call_id for p in positions if utterances[p].period == "current")
        prev_calls = len({utterances[p].call_id for p in positions if utterances[p].period == "previous"})
        change = _change(len(per_call), prev_calls, calls_in["current"], calls_in["previous"], len(keep),
                         alpha, min_ratio, min_count)
        topics.append(Topic(
            id=tid, label=_label(terms), terms=terms, size=sizes[c][0],
            share=sizes[c][0] / kept["current"] if kept["current"] else 0.0, previous_size=sizes[c][1],
            examples=tuple(examples), call_ids=tuple(cid for cid, _ in sorted(per_call.items(),
                                                                               key=lambda kv: (-kv[1], kv[0]))),
            change=change,
        ))
    assigned_current = sum(t.size for t in topics)
    return TopicReport(
        topics=tuple(topics), utterances=n_in["current"], previous_utterances=n_in["previous"],
        kept=kept["current"], previous_kept=kept["previous"], unassigned=kept["current"] - assigned_current,
        calls=calls_in["current"], previous_calls=calls_in["previous"], k=k,
        fitted_on=len(fit_idx), silhouette=silhouette, labels=tuple(labels_out),
    )


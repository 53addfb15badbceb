"""Conversation analysis of one call: the ``intents``, ``sentiment``,
``complaint_risk``, ``entities``, ``pii``, ``summary`` and ``keywords`` fragments
of the result JSON (docs/result-schema.md).

Pure: a transcript (and an optional loaded intent model) in, a frozen
``ConversationAnalysis`` out. Intent and sentiment are read from customer turns
only (the agent's words say what the agent sells, not what the customer
wants); entities and PII from every turn.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from callsight.domain import Transcript
from nlp.entities import Entity, find_entities
from nlp.intents import DEFAULT_INTENTS, IntentModel, intent_words
from nlp.pii import PiiSpan, find_pii, mask_text
from nlp.sentiment import RiskEvidence, Sentiment, SentimentLabel, complaint_evidence, sentiment_of
from nlp.text import strip_fillers

__all__ = ["ConversationAnalysis", "RiskLevel", "TurnIntent", "analyze_conversation", "keywords"]

RiskLevel = Literal["high", "low", "none"]
OTHER = "other"
# A turn's intent counts towards the call only when the model is this sure.
_TURN_MIN_SCORE = 0.45
_OPENING_TURNS = 3  # customer turns in which the reason for calling is stated


@dataclass(frozen=True, slots=True)
class TurnIntent:
    segment: int
    intent: str
    score: float

    def to_json(self) -> dict[str, object]:
        return {"segment": self.segment, "intent": self.intent, "score": round(self.score, 3)}


@dataclass(frozen=True, slots=True)
class ConversationAnalysis:
    primary_intent: str | None  # None when no intent model was given
    intents: tuple[str, ...]
    turn_intents: tuple[TurnIntent, ...]
    turn_sentiment: tuple[tuple[int, Sentiment], ...]  # (segment index, sentiment), customer turns
    call_sentiment: SentimentLabel
    complaint_risk: RiskLevel
    evidence: tuple[RiskEvidence, ...]
    entities: tuple[tuple[int, Entity], ...]
    pii: tuple[tuple[int, PiiSpan], ...]
    summary: str
    keywords: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """Result-JSON fragments; PII appears as spans only, never digits."""
        out: dict[str, object] = {}
        if self.primary_intent is not None:
            out["intents"] = {"primary": self.primary_intent, "all": list(self.intents),
                              "turns": [t.to_json() for t in self.turn_intents]}
        out["sentiment"] = {
            "call": self.call_sentiment,
            "turns": [{"segment": i, **s.to_json()} for i, s in self.turn_sentiment],
        }
        out["complaint_risk"] = {"level": self.complaint_risk, "evidence": [e.to_json() for e in self.evidence]}
        out["entities"] = [e.to_json(i) for i, e in self.entities]
        out["pii"] = [p.to_json(i) for i, p in self.pii]
        out["summary"] = self.summary
        out["keywords"] = list(self.keywords)
        return out


# --------------------------------------------------------------------------- keywords

_STOP_WORDS = (
    "的 了 是 我 你 您 他 她 它 们 我们 你们 这 那 这个 那个 就 都 "
    "也 还 在 有 没 没有 不 吗 呢 吧 啊 嗯 哦 哎 喂 好 好的 对 "
    "一下 一个 什么 怎么 怎么样 可以 能 会 要 想 就是 然后 因为 所以 "
    "但是 如果 还是 或者 和 跟 与 给 把 被 让 说 问 请问 谢谢 知道 "
    "现在 时候 多少 一些 这样 那样 已经 可能 应该 需要 帮 帮我 看看 看 "
    "下 上 里 个 些 点 呃 哈 嘛 么 麻烦 行 是的 没事 一点 问一下 "
    "就是说 然后呢 多 少 很 太 非常 比较 东西 事情 情况 今天 刚才 那边 "
    "这边 为什么 "
)
_STOP = frozenset(_STOP_WORDS.split())


def keywords(texts: list[str], top: int = 8) -> tuple[str, ...]:
    """Most frequent content words (jieba, ≥ 2 characters, stop words out)."""
    counts: Counter[str] = Counter()
    for t in texts:
        for w in intent_words(t):
            if len(w) >= 2 and w not in _STOP and not re.fullmatch(r"[\d\W_*]+", w):
                counts[w] += 1
    return tuple(w for w, _ in counts.most_common(top))


# --------------------------------------------------------------------------- summary

_AGREED = re.compile(r"帮您|给您|为您|已经|办好|办理|预约|安排|登记|反馈|回电|回复|处理|提交|转给|核实|跟进|发送|确认")
_CUSTOMER_OK = re.compile(r"^(?:嗯|好|行|可以|那就|就这样|没问题)")


def _clip(text: str, n: int = 40) -> str:
    t = strip_fillers(text).strip("，,。 ")
    return t if len(t) <= n else t[: n - 1] + "…"


def _summary(tr: Transcript, primary: str | None, labels: dict[str, str], turns: tuple[TurnIntent, ...],
             risk: RiskLevel, evidence: tuple[RiskEvidence, ...], call_sent: SentimentLabel) -> str:
    cust = [(i, s) for i, s in enumerate(tr.segments) if s.speaker == "customer" and len(strip_fillers(s.text)) >= 4]
    parts: list[str] = []
    if primary and primary != OTHER:
        why = next((t.segment for t in turns if t.intent == primary), None)
        quote = _clip(tr.segments[why].text) if why is not None else ""
        parts.append(f"客户来电主要为{labels.get(primary, primary)}" + (f"：“{quote}”" if quote else "") + "。")
    elif cust:
        parts.append(f"客户：“{_clip(cust[0][1].text)}”。")
    else:
        parts.append("通话中客户未提出明确诉求。")
    agreed = [s for s in tr.segments if s.speaker == "agent" and _AGREED.search(s.text)]
    if agreed:
        parts.append(f"坐席处理：“{_clip(agreed[-1].text)}”。")
    if risk == "high":
        parts.append(f"投诉风险高（{evidence[0].reason}）。")
    elif risk == "low":
        parts.append("客户表达不满。")
    elif call_sent == "positive":
        parts.append("客户态度积极。")
    return mask_text("".join(parts))


# --------------------------------------------------------------------------- the call

def _call_intents(turns: tuple[TurnIntent, ...]) -> tuple[str, tuple[str, ...]]:
    # Sum of confident non-other scores: a call that asks about a product twice
    # and mentions a fee once is a product inquiry; only small talk is "other".
    # The caller states the reason for the call up front; follow-up questions (how
    # much, can I stop) are about that reason, so the opening request counts double.
    weight: dict[str, float] = {}
    order: list[str] = []
    for n, t in enumerate(turns):
        if t.intent == OTHER or t.score < _TURN_MIN_SCORE:
            continue
        opening = not order and n < _OPENING_TURNS
        weight[t.intent] = weight.get(t.intent, 0.0) + t.score * (2.0 if opening else 1.0)
        if t.intent not in order:
            order.append(t.intent)
    if not weight:
        return OTHER, ()
    primary = max(order, key=lambda k: (weight[k], -order.index(k)))
    return primary, tuple(order)


def _call_sentiment(sents: list[Sentiment]) -> SentimentLabel:
    if not sents:
        return "neutral"
    neg = sum(1 for s in sents if s.label == "negative")
    pos = sum(1 for s in sents if s.label == "positive")
    total = sum(s.score for s in sents)
    if neg and (neg >= pos or total < 0):  # one angry turn outweighs polite ones
        return "negative"
    return "positive" if pos and total > 0 else "neutral"


def analyze_conversation(transcript: Transcript, intent_model: IntentModel | None) -> ConversationAnalysis:
    """Intent, sentiment, complaint risk, entities, PII spans, summary and
    keywords of one call. ``intent_model=None`` leaves the intents out."""
    segs = transcript.segments
    cust_idx = [i for i, s in enumerate(segs) if s.speaker == "customer"]

    turn_intents: tuple[TurnIntent, ...] = ()
    primary: str | None = None
    all_intents: tuple[str, ...] = ()
    labels = dict(DEFAULT_INTENTS)
    if intent_model is not None:
        labels.update(intent_model.labels)
        preds = intent_model.predict([segs[i].text for i in cust_idx]) if cust_idx else []
        turn_intents = tuple(TurnIntent(i, intent, score) for i, (intent, score) in zip(cust_idx, preds, strict=True))
        primary, all_intents = _call_intents(turn_intents)

    turn_sent = tuple((i, sentiment_of(segs[i].text)) for i in cust_idx)
    call_sent = _call_sentiment([s for _, s in turn_sent])

    evidence: list[RiskEvidence] = []
    for i, sent in turn_sent:
        evidence.extend(complaint_evidence(i, segs[i].text, sent))
    threats = tuple(e for e in evidence if e.threat)
    risk: RiskLevel = "high" if threats else "low" if evidence else "none"
    if risk == "none" and primary == "complaint":
        risk = "low"  # the model heard a complaint the rules did not word-match
    shown = threats or tuple(evidence)

    entities = tuple((i, e) for i, s in enumerate(segs) for e in find_entities(s.text))
    pii = tuple((i, p) for i, s in enumerate(segs) for p in find_pii(s.text))
    kws = keywords([segs[i].text for i in cust_idx]) if cust_idx else ()
    summary = _summary(transcript, primary, labels, turn_intents, risk, shown, call_sent)
    return ConversationAnalysis(primary, all_intents, turn_intents, turn_sent, call_sent, risk, shown,
                                entities, pii, summary, kws)

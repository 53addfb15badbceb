"""Conversation analysis of one call: the ``intents``, ``sentiment``,
``complaint_risk``, ``entities``, ``pii``, ``summary`` and ``keywords`` fragments
of the result JSON (docs/result-schema.md).

Pure: a transcript (and an optional loaded intent model) in, a frozen
``ConversationAnalysis`` out. Intent and sentiment are read from customer turns
(the agent's words say what the agent sells, not what the customer wants); the
one exception is an outbound call's stated purpose (测评到期提醒, 活动, 赎回回访),
which the customer only answers with 是我 / 好的. Entities and PII from every turn.

Call-level intent (``_call_intents``): confident customer turns vote with their
scores, the opening request (or the agent's stated purpose) counts double, short
unsure follow-ups inherit the turn they follow, a call with no confidently
business turn is ``other``, and complaints weigh double when the customer is
dissatisfied (complaint risk high or low).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from core.result import (
    CallAnalysis,
    ComplaintRisk,
    EntityRecord,
    Intents,
    PiiRecord,
    SentimentSummary,
    TurnIntentRecord,
)
from core.types import Transcript
from nlp.call_intent import CallFeatures, CallIntentModel
from nlp.complaint import RiskEvidence, complaint_evidence
from nlp.entities import Entity, find_entities
from nlp.intents import DEFAULT_INTENTS, IntentModel, intent_words
from nlp.pii import PiiSpan, find_pii, mask_text
from nlp.sentiment import Sentiment, SentimentLabel, SentimentModel, sentiment_of
from nlp.view import SegmentText, TextView, as_text

__all__ = ["ConversationAnalysis", "RiskLevel", "TurnIntent", "analyze_conversation", "keywords", "turn_risk"]

RiskLevel = Literal["high", "low", "none"]
OTHER = "other"
# A turn's intent counts towards the call only when the model is this sure.
_TURN_MIN_SCORE = 0.45
_OPENING_TURNS = 3  # customer turns in which the reason for calling is stated
_CONFIDENT = 0.6  # a business turn this sure can carry the call (else the call is "other")
_FOLLOW_UP_LEN = 8  # cleaned characters: 那手续费呢, 会不会亏, 要多久
_INHERIT = 0.8  # an inherited follow-up counts a little less than the turn it follows
_COMPLAINT_BOOST = 2.0  # complaint's weight in a call whose customer is dissatisfied or threatens
COMPLAINT_SURE = 0.8  # a turn the model calls a complaint this surely is dissatisfied (upsell.recovery too)
_AGENT_TOPIC = 1.0  # weight of a purpose the agent stated, relative to a customer's opening request
# Why an agent calls, when the agent says it: a campaign or a right, a questionnaire
# about to lapse, a redemption the customer just filed, a complaint being answered,
# a service survey. A sales pitch is no purpose: the customer's answer decides.
_PURPOSE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("complaint", re.compile(r"(?:您|你)(?:上周|之前|昨天|前几天|反映)?的?投诉|投诉.{0,6}(?:回电|回复|答复)"
                             r"|反映的(?:问题|情况)")),
    ("other", re.compile(r"回访|满意度|服务评价|调查一下|问卷调查")),
    ("risk_assessment", re.compile(r"测评.{0,10}(?:到期|过期|失效|更新|重新)|(?:更新|重新做|重做).{0,4}测评")),
    ("redemption", re.compile(r"(?:申请|提交|办理)了?.{0,12}赎回|赎回申请")),
    ("promotion", re.compile(r"活动|送(?:礼|您|一|油|米|积分|话费|红包|京东卡|.{0,4}元)|礼品|立减金|积分|权益|金卡|贵宾"
                             r"|开门红|理财节|定投季|抽奖|加息券|优惠")),
)

# Intents a short question can be asked in; an act (buy, redeem) or a complaint is a new topic.
_ASKING = frozenset({"product_inquiry", "returns_inquiry", "account_service", "promotion"})
_QUESTION = re.compile(r"[吗呢？?]|怎么|咋|哪|几|什么|啥|多少|能不能|有没有|可不可以|要不要|(.)不\1")
# Closings and acknowledgements are never follow-ups, however short.
_DONE = re.compile(r"^(?:好|行|嗯|对|是|没|谢|不用|知道|明白|可以|拜拜|再见|哦|那就|那行|那好|那我再|那我考虑|那算了)")


@dataclass(frozen=True, slots=True)
class TurnIntent:
    segment: int
    intent: str
    score: float

    def record(self) -> TurnIntentRecord:
        return TurnIntentRecord(self.segment, self.intent, round(self.score, 3))


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
    # What the call-level model reads (None without an intent model): kept so the
    # bench and training build features through the same path as the pipeline.
    call_features: CallFeatures | None = None
    confidence: float | None = None  # the call-level model's probability of primary_intent

    def record(self) -> CallAnalysis:
        """The conversation part of the call's analysis (no compliance or upsell yet)."""
        return CallAnalysis(self.intents_record(), self.sentiment_record(), self.risk_record(),
                            self.entity_records(), self.pii_records(), self.summary, self.keywords)

    def intents_record(self) -> Intents | None:
        """The result's ``intents`` (None without an intent model)."""
        if self.primary_intent is None:
            return None
        return Intents(self.primary_intent, self.intents, tuple(t.record() for t in self.turn_intents),
                       round(self.confidence, 3) if self.confidence is not None else None)

    def sentiment_record(self) -> SentimentSummary:
        return SentimentSummary(self.call_sentiment, tuple(s.record(i) for i, s in self.turn_sentiment))

    def risk_record(self) -> ComplaintRisk:
        return ComplaintRisk(self.complaint_risk, tuple(e.record() for e in self.evidence))

    def entity_records(self) -> tuple[EntityRecord, ...]:
        return tuple(e.record(i) for i, e in self.entities)

    def pii_records(self) -> tuple[PiiRecord, ...]:
        """PII as spans only, never digits."""
        return tuple(p.record(i) for i, p in self.pii)


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


def keywords(texts: Sequence[str | SegmentText], top: int = 8) -> tuple[str, ...]:
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


def _clip(text: SegmentText, n: int = 40) -> str:
    t = text.unfilled.strip("，,。 ")
    return t if len(t) <= n else t[: n - 1] + "…"


def _summary(tr: Transcript, view: TextView, primary: str | None, labels: dict[str, str],
             turns: tuple[TurnIntent, ...], risk: RiskLevel, evidence: tuple[RiskEvidence, ...],
             call_sent: SentimentLabel) -> str:
    cust = [i for i, s in enumerate(tr.segments) if s.speaker == "customer" and len(view[i].unfilled) >= 4]
    parts: list[str] = []
    if primary and primary != OTHER:
        why = next((t.segment for t in turns if t.intent == primary), None)
        quote = _clip(view[why]) if why is not None else ""
        parts.append(f"客户来电主要为{labels.get(primary, primary)}" + (f"：“{quote}”" if quote else "") + "。")
    elif cust:
        parts.append(f"客户：“{_clip(view[cust[0]])}”。")
    else:
        parts.append("通话中客户未提出明确诉求。")
    agreed = [i for i, s in enumerate(tr.segments) if s.speaker == "agent" and _AGREED.search(s.text)]
    if agreed:
        parts.append(f"坐席处理：“{_clip(view[agreed[-1]])}”。")
    if risk == "high":
        parts.append(f"投诉风险高（{evidence[0].reason}）。")
    elif risk == "low":
        parts.append("客户表达不满。")
    elif call_sent == "positive":
        parts.append("客户态度积极。")
    return mask_text("".join(parts))


# --------------------------------------------------------------------------- the call

def _other_opening(turns: tuple[TurnIntent, ...], texts: Sequence[SegmentText]) -> int | None:
    """Index of an opening request that is a question about something outside the
    business intents (网点周六开门吗, 硬币能换成纸币吗, 给孩子汇学费要带什么): the
    customer's first substantive turn, confidently ``other``, worded as a question,
    with no business turn before it. None otherwise."""
    for n, (t, text) in enumerate(zip(turns[:_OPENING_TURNS], texts, strict=False)):
        if len(text.clean) <= _FOLLOW_UP_LEN:
            continue  # 喂 / 你好 / 是我: not the request yet
        if t.intent == OTHER and t.score >= _CONFIDENT and _QUESTION.search(text.text):
            return n
        return None
    return None


def _follow_ups(turns: tuple[TurnIntent, ...], texts: Sequence[str | SegmentText]) -> tuple[TurnIntent, ...]:
    """A short follow-up (那手续费呢, 会不会亏, ≤ 8 characters or opening with 那) that
    the model is unsure of continues the last confident business turn: taken alone
    it is ambiguous, in the call it asks about what was just asked about. Its score
    is that turn's, discounted.

    When the call opens with a question outside the business intents (the branch's
    hours, changing coins, a remittance's paperwork), a short follow-up question (那
    手续费呢, 额度多少, 能办社保卡吗) asks about that errand even when, alone, it reads
    like a product or account question; only an act (buy, redeem, complain) taken in
    a short turn is a new topic there."""
    out: list[TurnIntent] = []
    last: TurnIntent | None = None
    views = [as_text(t) for t in texts]
    opening = _other_opening(turns, views)
    for n, (t, text) in enumerate(zip(turns, views, strict=True)):
        cleaned = text.clean
        short = bool(cleaned) and (len(cleaned) <= _FOLLOW_UP_LEN or cleaned.startswith("那"))
        errand = last is not None and last.intent == OTHER and t.intent in _ASKING
        if last is not None and short and (t.score < _CONFIDENT or errand) and not _DONE.match(cleaned):
            t = TurnIntent(t.segment, last.intent, round(last.score * _INHERIT, 3))
        elif n == opening or (t.intent != OTHER and t.score >= _CONFIDENT):
            last = t
        out.append(t)
    return tuple(out)


def _agent_topic(transcript: Transcript, view: TextView, turns: tuple[TurnIntent, ...]) -> TurnIntent | None:
    """The purpose an agent stated before the customer asked for anything: on an
    outbound call (您的测评下周到期, 我们有个存款送礼的活动, 您今天申请了赎回) the
    customer only answers 是我 / 好的, and the call is about what the agent raised.

    Only calls of that shape (the customer's first turn a short answer) and only
    agent turns before the customer's first confident business turn count. The
    model is not asked: it reads customers, and agents' turns mix the purpose with
    suitability talk and disclosures; a stated purpose (``_PURPOSE``) is explicit."""
    segs = transcript.segments
    first = turns[0] if turns else None
    if first is None or first.intent != OTHER or len(view[first.segment].clean) > _FOLLOW_UP_LEN:
        return None
    stop = next((t.segment for t in turns if t.intent != OTHER and t.score >= _CONFIDENT), len(segs))
    for i in range(stop):
        if segs[i].speaker != "agent":
            continue
        text = view[i].fixed
        for intent, pattern in _PURPOSE:
            if pattern.search(text):
                return TurnIntent(i, intent, 1.0)
    return None


def _call_intents(turns: tuple[TurnIntent, ...], business: list[float], risk: RiskLevel = "none",
                  topic: TurnIntent | None = None) -> tuple[str, tuple[str, ...]]:
    # Sum of confident non-other scores: a call that asks about a product twice
    # and mentions a fee once is a product inquiry; only small talk is "other".
    # The caller states the reason for the call up front; follow-up questions (how
    # much, can I stop) are about that reason, so the opening request counts double.
    # A call none of whose business turns is confident (the bank's opening hours, a
    # wrong number, a survey answered in two words) is "other". A customer who
    # complains (risk high or low) while also asking questions called to complain.
    weight: dict[str, float] = {}
    order: list[str] = []
    if topic is not None:  # the agent raised the call's topic: it is the opening
        weight[topic.intent] = topic.score * 2.0 * _AGENT_TOPIC
        order.append(topic.intent)
    for n, t in enumerate(turns):
        if t.intent == OTHER or t.score < _TURN_MIN_SCORE:
            continue
        opening = not order and n < _OPENING_TURNS
        weight[t.intent] = weight.get(t.intent, 0.0) + t.score * (2.0 if opening else 1.0)
        if t.intent not in order:
            order.append(t.intent)
    if not weight or (topic is None
                      and not any(t.intent != OTHER and b >= _CONFIDENT for t, b in zip(turns, business, strict=True))):
        return OTHER, tuple(order)
    if risk != "none" and "complaint" in weight:
        weight["complaint"] *= _COMPLAINT_BOOST
    primary = max(order, key=lambda k: (weight[k], -order.index(k)))
    return primary, tuple(order)


def _without_unfelt_complaint(pred: tuple[str, float], dist: Mapping[str, float],
                              felt: bool) -> tuple[str, float]:
    """A complaint needs dissatisfaction in its words: a turn the model calls a complaint
    with neither negative sentiment nor complaint wording (``felt`` False: 没有呢 at the end
    of a call, 真的一点风险都没有 asked in surprise) takes its next most likely intent instead."""
    if pred[0] != "complaint" or felt:
        return pred
    alt = max(((k, v) for k, v in dist.items() if k != "complaint"), key=lambda kv: kv[1], default=(OTHER, 1.0))
    return alt if alt[1] >= _TURN_MIN_SCORE else (OTHER, dist.get(OTHER, 0.0))


def turn_risk(segment: int, text: str, sentiment: Sentiment, intent: tuple[str, float] | None = None) -> RiskLevel:
    """Complaint risk of one customer turn in the per-turn taxonomy: the rules'
    evidence, and ``low`` when the intent model is sure the turn complains although
    no rule worded it. A complaint filed with the bank itself (我要投诉她) is ``low``
    here, as the turn set labels it, and ``high`` for the call (analyze_conversation)."""
    ev = complaint_evidence(segment, text, sentiment)
    if any(e.threat for e in ev):
        return "high"
    if ev:
        return "low"
    # As in a call (_without_unfelt_complaint): a model-only complaint needs a negative turn.
    if intent is not None and intent[0] == "complaint" and intent[1] >= COMPLAINT_SURE and _felt(sentiment, ev):
        return "low"
    return "none"


def _felt(sentiment: Sentiment, evidence: list[RiskEvidence]) -> bool:
    """Dissatisfaction in a turn's words: negative sentiment or the rules' complaint wording."""
    return sentiment.label == "negative" or bool(evidence)


def _call_sentiment(sents: list[Sentiment]) -> SentimentLabel:
    if not sents:
        return "neutral"
    neg = sum(1 for s in sents if s.label == "negative")
    pos = sum(1 for s in sents if s.label == "positive")
    total = sum(s.score for s in sents)
    if neg and (neg >= pos or total < 0):  # one angry turn outweighs polite ones
        return "negative"
    return "positive" if pos and total > 0 else "neutral"


def analyze_conversation(transcript: Transcript, intent_model: IntentModel | None,
                         call_model: CallIntentModel | None = None,
                         direction: str | None = None, *,
                         sentiment_model: SentimentModel | None = None,
                         view: TextView | None = None) -> ConversationAnalysis:
    """Intent, sentiment, complaint risk, entities, PII spans, summary and
    keywords of one call. ``intent_model=None`` leaves the intents out; with a
    ``call_model`` the call's primary intent is learned (nlp.call_intent), else
    the hand rules decide. ``direction``: the call's meta direction (inbound/outbound).
    ``sentiment_model``: the loaded one (None: nlp.sentiment's in-memory default).
    ``view``: the call's normalised text (nlp.view), built here when not given."""
    segs = transcript.segments
    view = view if view is not None else TextView.of(transcript)
    cust_idx = [i for i, s in enumerate(segs) if s.speaker == "customer"]

    # Sentiment and the rules' complaint evidence once per customer turn: the intent step
    # and the complaint risk below both read them.
    turn_sent = tuple((i, sentiment_of(view[i], sentiment_model)) for i in cust_idx)
    turn_ev = [complaint_evidence(i, view[i], sent) for i, sent in turn_sent]
    call_sent = _call_sentiment([s for _, s in turn_sent])

    turn_intents: tuple[TurnIntent, ...] = ()
    dists: list[dict[str, float]] = []
    primary: str | None = None
    all_intents: tuple[str, ...] = ()
    labels = dict(DEFAULT_INTENTS)
    if intent_model is not None:
        labels.update(intent_model.labels)
        texts = [view[i] for i in cust_idx]
        dists = intent_model.predict_proba(texts) if cust_idx else []
        empty = [not t.clean.strip() for t in texts]
        preds = [(OTHER, 1.0) if e else max(d.items(), key=lambda kv: kv[1]) for d, e in zip(dists, empty, strict=True)]
        felt = [_felt(sent, ev) for (_, sent), ev in zip(turn_sent, turn_ev, strict=True)]
        preds = [_without_unfelt_complaint(p, d, f) for p, d, f in zip(preds, dists, felt, strict=True)]
        # How sure the model is that a turn is business at all, whichever intent.
        business = [0.0 if e else 1.0 - d.get(OTHER, 0.0) for d, e in zip(dists, empty, strict=True)]
        turn_intents = tuple(TurnIntent(i, intent, score) for i, (intent, score) in zip(cust_idx, preds, strict=True))
        turn_intents = _follow_ups(turn_intents, texts)

    evidence: list[RiskEvidence] = [e for ev in turn_ev for e in ev]
    if not evidence:  # the model is sure a turn complains though no rule worded it
        evidence.extend(RiskEvidence(t.segment, segs[t.segment].text.strip()[:80], "客户投诉", False)
                        for t in turn_intents if t.intent == "complaint" and t.score >= COMPLAINT_SURE)
    # A bank counts every complaint: one filed with the bank is high at call level too.
    threats = tuple(e for e in evidence if e.threat or e.filed)
    risk: RiskLevel = "high" if threats else "low" if evidence else "none"
    feats: CallFeatures | None = None
    confidence: float | None = None
    if intent_model is not None:
        topic = _agent_topic(transcript, view, turn_intents)
        primary, all_intents = _call_intents(turn_intents, business, risk, topic)
        agent_idx = [i for i, s in enumerate(segs) if s.speaker == "agent"]
        feats = CallFeatures(tuple(segs[i].text for i in cust_idx), tuple(segs[i].text for i in agent_idx),
                             tuple(dists), primary, direction,
                             tuple(view[i] for i in cust_idx), tuple(view[i] for i in agent_idx),
                             risk, topic.intent if topic is not None else None)
        if call_model is not None:
            # The model decides; the rules' verdict is one of its inputs. Falling back to the
            # rules when the model is unsure was measured (bench.call_intent): no gain on
            # writers the rules were not written on.
            primary, confidence = call_model.predict(feats)
            if primary != OTHER and primary not in all_intents:
                all_intents = (primary, *all_intents)
    if risk == "none" and primary == "complaint":
        risk = "low"  # the model heard a complaint the rules did not word-match
    shown = threats or tuple(evidence)

    entities = tuple((i, e) for i, t in enumerate(view.segments) for e in find_entities(t))
    pii = tuple((i, p) for i, s in enumerate(segs) for p in find_pii(s.text))
    kws = keywords([view[i] for i in cust_idx]) if cust_idx else ()
    summary = _summary(transcript, view, primary, labels, turn_intents, risk, shown, call_sent)
    return ConversationAnalysis(primary, all_intents, turn_intents, turn_sent, call_sent, risk, shown,
                                entities, pii, summary, kws, feats, confidence)

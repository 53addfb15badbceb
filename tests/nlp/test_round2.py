"""Issue 2, second round: homophone normalisation, complaint risk ``low`` and the
not-high threats, call-level aggregation (other, follow-ups, an agent's stated
purpose, complaints that dominate), and the split scorer's halves. Sentences here
are written for the tests, not taken from the independent sets."""

from __future__ import annotations

import pytest

from bench.quality_nlp_independent_split import half_of, per_class
from core.types import Segment, Transcript
from nlp.analyze import TurnIntent, _call_intents, _follow_ups, analyze_conversation, turn_risk
from nlp.intents import IntentModel
from nlp.sentiment import complaint_evidence, sentiment_of
from nlp.text import fix_asr_terms


def _call(spec: str) -> Transcript:
    segs = []
    for i, turn in enumerate(spec.split(" || ")):
        speaker, text = ("agent", turn[2:]) if turn.startswith("A:") else ("customer", turn)
        segs.append(Segment(speaker, float(i), i + 0.9, text))  # type: ignore[arg-type]
    return Transcript(tuple(segs), float(len(segs)), 2)


# ----------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("这个风显大不大", "这个风险大不大"),
        ("能保笨吗", "能保本吗"),
        ("大额村单下个月到其", "大额存单下个月到期"),
        ("收意怎么算", "收益怎么算"),
        ("利律多少", "利率多少"),
        ("我要书回", "我要赎回"),
        ("留着养劳", "留着养老"),
        # Real words that start like a misspelling stay.
        ("转到其他银行", "转到其他银行"),
        ("书回收站", "书回收站"),
    ],
)
def test_fix_asr_terms_round2(raw: str, fixed: str) -> None:
    out = fix_asr_terms(raw)
    assert out == fixed and len(out) == len(raw)  # same length: spans stay valid


# ----------------------------------------------------------------------------- complaint risk


def _risk(text: str) -> str:
    ev = complaint_evidence(0, text, sentiment_of(text))
    return "high" if any(e.threat for e in ev) else "low" if ev else "none"


@pytest.mark.parametrize(
    "text",
    [
        "经理当时讲能拿三个半 现在到手两个都不到",  # broken promise
        "卡里的钱被扣了都没人通知我一声",
        "排队排了一个多钟头 就为了改个密码",
        "我就是反映一下你们门口那台取款机又坏了",
        "我可以不去告你们 但这事必须给个交代",  # conceded threat, still a grievance
        "利息才这么点 你们是不是算错了",
    ],
)
def test_dissatisfaction_without_threat_is_low(text: str) -> None:
    assert _risk(text) == "low"


@pytest.mark.parametrize(
    "text",
    [
        "听说有人为这个打过12378 我就问问靠不靠谱",  # reported
        "我本来都想找记者了 后来想想算了",  # abandoned
        "逗你的 哈哈 要是亏了我就去起诉你们",  # joking
        "我又不是那种动不动就找监管的人",  # denied
        "你们有没有被投诉过",  # a question
    ],
)
def test_reported_abandoned_joking_denied_threats_are_not_high(text: str) -> None:
    assert _risk(text) != "high"


@pytest.mark.parametrize(
    "text",
    ["再拖着不办我就打12378", "我已经在微博上发了你们这事", "我所有的钱都从你们这转走 太气人了"],
)
def test_real_threats_stay_high(text: str) -> None:
    assert _risk(text) == "high"


@pytest.mark.parametrize("text", ["别家银行利息太低了 想看看你们的", "会不会多扣手续费", "净值跌了是不是就亏了"])
def test_no_grievance_against_the_bank_is_none(text: str) -> None:
    assert _risk(text) == "none"


def test_turn_risk_uses_a_sure_complaint_intent() -> None:
    text = "这事你们看着办吧"
    sent = sentiment_of(text)
    assert turn_risk(0, text, sent, ("complaint", 0.95)) == "low"
    assert turn_risk(0, text, sent, ("complaint", 0.5)) == turn_risk(0, text, sent)


# ----------------------------------------------------------------------------- call level


def test_small_talk_call_is_other(intent_model: IntentModel) -> None:
    tr = _call("A:您好请问有什么可以帮您 || 你们这个营业厅周日几点关门 || A:下午五点 || 好的谢谢 || A:再见")
    assert analyze_conversation(tr, intent_model).primary_intent == "other"


def test_no_confident_business_turn_means_other() -> None:
    turns = (TurnIntent(1, "product_inquiry", 0.5), TurnIntent(3, "other", 0.9))
    assert _call_intents(turns, [0.55, 0.1])[0] == "other"
    assert _call_intents(turns, [0.95, 0.1])[0] == "product_inquiry"


def test_short_follow_up_inherits_the_confident_turn() -> None:
    turns = (TurnIntent(1, "returns_inquiry", 0.9), TurnIntent(3, "purchase", 0.4), TurnIntent(5, "other", 0.99))
    out = _follow_ups(turns, ["我那个基金赚了多少", "那上个月呢", "好的谢谢"])
    assert out[1].intent == "returns_inquiry" and out[1].score < 0.9
    assert out[2].intent == "other"  # closings are never follow-ups
    # A long or confident turn keeps its own intent.
    turns2 = (TurnIntent(1, "returns_inquiry", 0.9), TurnIntent(3, "purchase", 0.95))
    assert _follow_ups(turns2, ["我那个基金赚了多少", "那给我再买两万"])[1].intent == "purchase"


def test_complaint_dominates_when_the_customer_is_dissatisfied() -> None:
    turns = (TurnIntent(1, "returns_inquiry", 0.8), TurnIntent(3, "complaint", 0.95))
    business = [0.95, 0.95]
    assert _call_intents(turns, business, "none")[0] == "returns_inquiry"
    assert _call_intents(turns, business, "low")[0] == "complaint"


def test_outbound_purpose_stated_by_the_agent(intent_model: IntentModel) -> None:
    promo = _call("A:您好请问是刘先生吗 || 是我 || A:我是城东支行的小赵 这个月我们有存款满五万送一桶油的活动 || "
                  "哦 那利息多少 || A:一年一点六 || 行 我过两天去存 || A:好的再见")
    assert analyze_conversation(promo, intent_model).primary_intent == "promotion"
    reminder = _call("A:您好请问是陈女士吗 || 对 || A:您的风险测评下个月就过期了 提醒您重新做一下 || "
                     "好的我周末去网点 || A:好的再见")
    assert analyze_conversation(reminder, intent_model).primary_intent == "risk_assessment"
    # An inbound call whose customer opens with a request is the customer's.
    inbound = _call("A:您好请问有什么可以帮您 || 我想把那个基金赎回 转到卡上 || A:我们现在有送积分的活动 || 不用了 || "
                    "A:好的")
    assert analyze_conversation(inbound, intent_model).primary_intent == "redemption"


# ----------------------------------------------------------------------------- the split scorer


def test_halves_by_id_number() -> None:
    assert half_of("ct-0002") == "dev" and half_of("ind-0120") == "dev"
    assert half_of("ct-0001") == "heldout" and half_of("ind-0239") == "heldout"


def test_per_class_macro() -> None:
    macro, scores = per_class(["a", "a", "b"], ["a", "b", "b"])
    assert scores["a"][:2] == (1.0, 0.5) and scores["b"][:2] == (0.5, 1.0)
    assert macro == pytest.approx((2 / 3 + 2 / 3) / 2)

"""Round 3: a call that opens with an errand outside the business intents (branch
hours, coins, a remittance's paperwork) stays ``other`` through its short follow-up
questions; an opening that is no question, or a business opening, keeps the old
behaviour. Sentences are written for the tests, not taken from the independent sets."""

from __future__ import annotations

from nlp.analyze import TurnIntent, _call_intents, _follow_ups


def test_short_questions_after_an_errand_opening_stay_other() -> None:
    texts = ["喂你好", "我想问下你们滨江那个营业厅礼拜天几点关门啊", "那手续费呢", "能存零钱吗", "好的谢谢"]
    turns = (TurnIntent(1, "other", 1.0), TurnIntent(3, "other", 0.9), TurnIntent(5, "product_inquiry", 0.9),
             TurnIntent(7, "account_service", 0.93), TurnIntent(9, "other", 1.0))
    out = _follow_ups(turns, texts)
    assert [t.intent for t in out] == ["other"] * 5
    assert out[2].score < 0.9  # inherited, discounted
    business = [0.0, 0.1, 0.9, 0.93, 0.0]
    assert _call_intents(out, business)[0] == "other"


def test_an_act_after_an_errand_opening_is_a_new_topic() -> None:
    texts = ["周六网点开不开门啊", "那我买五万"]
    turns = (TurnIntent(1, "other", 0.9), TurnIntent(3, "purchase", 0.95))
    assert _follow_ups(turns, texts)[1].intent == "purchase"


def test_a_statement_opening_sets_no_errand_topic() -> None:
    # A life answer (no question) is not the reason for calling: the follow-up keeps its intent.
    texts = ["这钱是留着给闺女念大学用的", "那手续费呢"]
    turns = (TurnIntent(1, "other", 0.95), TurnIntent(3, "product_inquiry", 0.9))
    assert _follow_ups(turns, texts)[1].intent == "product_inquiry"


def test_a_long_business_question_after_an_errand_opening_keeps_its_intent() -> None:
    texts = ["你们网点几点下班啊", "对了我那个三年的定期到期了现在有什么稳一点的理财"]
    turns = (TurnIntent(1, "other", 0.9), TurnIntent(3, "product_inquiry", 0.9))
    out = _follow_ups(turns, texts)
    assert out[1].intent == "product_inquiry"
    assert _call_intents(out, [0.1, 0.9])[0] == "product_inquiry"


def test_business_opening_unchanged() -> None:
    texts = ["我那个基金现在赚了多少", "那手续费呢"]
    turns = (TurnIntent(1, "returns_inquiry", 0.9), TurnIntent(3, "product_inquiry", 0.9))
    # A confident short question after a business opening is its own turn, as before.
    assert _follow_ups(turns, texts)[1].intent == "product_inquiry"


def test_a_complaint_needs_dissatisfaction_in_its_words() -> None:
    from nlp.analyze import _without_unfelt_complaint

    dist = {"complaint": 0.9, "other": 0.06, "product_inquiry": 0.04}
    assert _without_unfelt_complaint(("complaint", 0.9), dist, felt=False) == ("other", 0.06)
    dist2 = {"complaint": 0.5, "product_inquiry": 0.46, "other": 0.04}
    assert _without_unfelt_complaint(("complaint", 0.5), dist2, felt=False) == ("product_inquiry", 0.46)
    assert _without_unfelt_complaint(("complaint", 0.97), {"complaint": 0.97}, felt=True) == ("complaint", 0.97)


def test_calm_short_reply_is_not_a_complaint_in_a_call() -> None:
    """Through the whole analysis: sentiment and complaint wording decide ``felt``."""
    from callsight import runtime
    from core.types import Segment, Transcript
    from nlp.analyze import analyze_conversation

    model = runtime.analyzers().intent_model
    for text, complaint in (("没有呢", False), ("你们这服务太差了我要投诉", True)):
        tr = Transcript((Segment("agent", 0, 1, "您好"), Segment("customer", 1, 2, text)), 2, 2)
        a = analyze_conversation(tr, model)
        assert (a.turn_intents[0].intent == "complaint") is complaint
        assert (a.complaint_risk != "none") is complaint

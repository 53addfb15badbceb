"""How an outbound call ends (nlp/call_ending.py): the customer's last decision, a negated
take read as a turn-down, the agent's hand-over, and nothing at all on inbound calls."""

from __future__ import annotations

from nlp.call_ending import ENDING_COLUMNS, ending_features

_CLOSE = ("好的，那不打扰您了，再见。",)


def test_accepted_sale_is_a_take() -> None:
    customer = ["这个保本吗？", "那行，我买五万。", "好。"]
    values = ending_features(customer, ["已经帮您提交了，稍后短信通知。"], "outbound")
    assert values == [1.0, 0.0, 0.0, 1.0, 0.0, 1.0]


def test_put_off_and_negated_take_are_turn_downs() -> None:
    for last in ("我再考虑考虑吧", "不买不买，挂了", "我得先问问我儿子"):
        values = ending_features(["收益多少？", last, "再见"], _CLOSE, "outbound")
        assert values[:3] == [0.0, 1.0, 0.0], last


def test_the_last_decision_wins() -> None:
    # took first, then backed out: a declined pitch
    values = ending_features(["那我买十万吧", "等下，我老公说先不弄了"], _CLOSE, "outbound")
    assert values[:5] == [0.0, 1.0, 0.0, 1.0, 1.0]
    # hesitated, then waved the hesitation away and bought
    values = ending_features(["我得商量一下", "不用商量了，就三万一年吧"], _CLOSE, "outbound")
    assert values[:2] == [1.0, 0.0]


def test_no_decision_and_inbound() -> None:
    assert ending_features(["好的", "你发我吧", "再见"], _CLOSE, "outbound")[:3] == [0.0, 0.0, 1.0]
    assert ending_features(["我要买十万"], ["已经帮您提交了"], "inbound") == [0.0] * ENDING_COLUMNS
    assert ending_features(["我要买十万"], ["已经帮您提交了"], None) == [0.0] * ENDING_COLUMNS


def test_risk_test_reminder_is_an_outbound_purpose() -> None:
    from nlp.call_ending import risk_test_reminder

    # the lapse stated in the opening, the test heard through homophones or named in full
    for said in ("大哥 您的 风险侧评 这个月底 就过期了", "您的适当性测平上个月已经过期了",
                 "您的风险承受能力评估到下周就满两年了，提醒您重新做一下"):
        assert risk_test_reminder(["您好，请问是王先生吗？", said], "outbound") == 1.0, said
    # a pitch names the test too, with no lapse: the customer's answer decides
    assert risk_test_reminder(["我们有只新基金 R三 您之前测评是C三 刚好能买"], "outbound") == 0.0
    # inbound: the customer's request is the purpose
    assert risk_test_reminder(["您的测评已经过期了，需要重新做"], "inbound") == 0.0
    assert risk_test_reminder(["您的测评已经过期了，需要重新做"], None) == 0.0

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

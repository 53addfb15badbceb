"""The ``answered`` operator (qa/dialogue.py) and the identity rule that uses it: a check
recognised by its shape (the agent asks for a detail only the customer knows, the
customer supplies it) and ordered against the first account fact."""

from __future__ import annotations

import pytest

from qa import evaluate, load_pack, load_rules_text
from qa.conditions import RuleError
from tests.qa.helpers import call

PACK = load_pack()
GREET = ("agent", "您好，这里是招商银行城东支行，我是客服小王")
CLOSE = ("agent", "好的，感谢您的来电，再见")

RULE = """
rules:
  - id: asked_and_answered
    title: 测试
    condition:
      answered:
        ask: {keywords: [身份证, 手机号]}
        reply: {regex: "[0-9零一二三四五六七八九幺]{3,}"}
        within: 2
"""


def _hit(*turns: tuple[str, str]) -> bool:
    pack = load_rules_text(RULE)
    f = evaluate(call(*turns), pack).finding("asked_and_answered")
    return f.passed


def test_answered_needs_the_other_side_to_supply_it() -> None:
    assert _hit(("agent", "麻烦报一下身份证后四位"), ("customer", "三七零二"))
    assert _hit(("agent", "麻烦报一下身份证后四位"), ("customer", "稍等我找找"), ("customer", "三七零二"))
    assert not _hit(("agent", "麻烦报一下身份证后四位"), ("customer", "我不方便说"))
    assert not _hit(("agent", "麻烦报一下身份证后四位"))
    # The customer naming the number first is not the agent checking it.
    assert not _hit(("customer", "我身份证后四位三七零二"), ("agent", "好的"))


def test_answered_hits_on_the_asking_turn_and_the_answer() -> None:
    pack = load_rules_text(RULE)
    res = evaluate(call(("agent", "您好"), ("agent", "请说一下手机号"), ("customer", "一三九八八")), pack)
    assert [e.segment for e in res.finding("asked_and_answered").evidence] == [1, 2]


@pytest.mark.parametrize(("field", "bad"), [("by", "bank"), ("within", 0), ("within", 9)])
def test_answered_rejects_bad_arguments(field: str, bad: object) -> None:
    text = RULE.replace("within: 2", f"within: 2\n        {field}: {bad}") if field != "within" else \
        RULE.replace("within: 2", f"within: {bad}")
    with pytest.raises(RuleError, match=field):
        load_rules_text(text)


def _identity(*turns: tuple[str, str]) -> str:
    f = evaluate(call(GREET, *turns, CLOSE), PACK).finding("identity_verification")
    return "na" if not f.applicable else ("pass" if f.passed else "fail")


@pytest.mark.parametrize("turns", [
    [("customer", "我想查一下我卡里的余额"), ("agent", "麻烦您说一下开户时登记的手机号码"),
     ("customer", "一三九一二三四五六七八"), ("agent", "好的对上了，您卡里余额是两万三千元")],
    [("customer", "我想查一下我卡里的余额"), ("agent", "您的出生年月和开户地址说一下"),
     ("customer", "八五年三月，南京鼓楼"), ("agent", "好的，您卡里余额是两万三千元")],
    [("customer", "我的卡被锁了"), ("agent", "为了保障您的资金安全，需要先确认是您本人，请报一下身份证号码"),
     ("customer", "好的四四零一"), ("agent", "确认无误，您的卡昨天因为密码输错三次被锁了")],
])
def test_identity_checked_in_other_words_passes(turns: list[tuple[str, str]]) -> None:
    assert _identity(*turns) == "pass"


@pytest.mark.parametrize("turns", [
    # verified in the same turn, but after the balance was read out
    [("customer", "我想查一下我卡里的余额"), ("agent", "您卡里余额是两万三千元，对了麻烦报一下身份证后四位"),
     ("customer", "三七零二"), ("agent", "好的")],
    # a lookup read out (no 您) before the check
    [("customer", "我的卡怎么扣了一笔钱"), ("agent", "我看了下，是昨天晚上扣的一百二十块会员费"),
     ("customer", "那帮我退了"), ("agent", "好，先核对一下身份证号"), ("customer", "三七零二")],
    # the other party's card number is no check of the caller
    [("customer", "我昨天转给我儿子的钱没到"), ("agent", "您说一下转账的金额和对方卡号"),
     ("customer", "五万，尾号三八二一"), ("agent", "我看到了，您这笔是昨天晚上十点转的")],
    # a number taken down for a call back is no check either
    [("customer", "我的理财到期了没"), ("agent", "麻烦留一下您的手机号码，我们查好了回电联系您"),
     ("customer", "一三九一二三四五六七八"), ("agent", "好的，您那笔理财已经到期，本金已经到账")],
])
def test_identity_checked_late_or_not_at_all_fails(turns: list[tuple[str, str]]) -> None:
    assert _identity(*turns) == "fail"


@pytest.mark.parametrize(("customer", "agent"), [
    ("我的工资到了没", "到了，今天上午九点进来八千六百块"),
    ("我信用卡还欠多少", "本期应还是四千三百二十元，最低还款四百三"),
    ("我的积分有多少", "您现在有三万两千积分，可以兑换礼品"),
    ("帮我把定投停了", "好的，已经给您停掉了，下个月不会再扣"),
    ("帮我改一下手机号", "好的，已经帮您改好了"),
])
def test_an_answer_to_the_customers_own_request_needs_a_check_first(customer: str, agent: str) -> None:
    assert _identity(("customer", customer), ("agent", agent)) == "fail"
    checked = (("customer", customer), ("agent", "好的，麻烦报一下身份证后四位"), ("customer", "三七零二"),
               ("agent", agent))
    assert _identity(*checked) == "pass"


@pytest.mark.parametrize(("customer", "agent"), [
    ("我想问下信用卡年费多少", "普卡年费一百元，刷满五次免年费"),   # a general question
    ("我的钱放你们这安全吗", "您放心，存款有存款保险，五十万以内全额赔付"),   # a worry, not a request
])
def test_general_questions_need_no_check(customer: str, agent: str) -> None:
    assert _identity(("customer", customer), ("agent", agent)) == "na"


def test_window_anchored_needs_its_anchor() -> None:
    rule = """
rules:
  - id: after_request
    title: 测试
    condition:
      window:
        after: {keywords: {terms: [帮我查], speaker: customer}}
        anchored: true
        of: {regex: "[0-9]+元"}
"""
    pack = load_rules_text(rule)
    assert evaluate(call(("customer", "帮我查余额"), ("agent", "200元")), pack).finding("after_request").passed
    assert not evaluate(call(("customer", "你好"), ("agent", "200元")), pack).finding("after_request").passed
    loose = load_rules_text(rule.replace("anchored: true", "anchored: false"))
    assert evaluate(call(("customer", "你好"), ("agent", "200元")), loose).finding("after_request").passed


def test_a_check_at_the_counter_counts_when_it_comes_first() -> None:
    card = ("agent", "好的，请您刷一下身份证")
    pin = ("agent", "好的，请输入密码")
    fact = ("agent", "您卡里余额八万二，取五万没问题")
    ask = ("customer", "我要取五万")
    assert _identity(ask, card, ("customer", "好"), fact) == "pass"
    assert _identity(ask, pin, ("customer", "好了"), fact) == "pass"
    assert _identity(ask, fact, ("customer", "好"), pin) == "fail"


@pytest.mark.parametrize(("ask", "answer"), [
    ("为了确认是您本人，请告诉我您最近一笔交易的金额", "三百二十块"),   # a question, not a disclosure
    ("请问您的开户网点是哪里", "人民路支行"),
])
def test_known_answer_checks(ask: str, answer: str) -> None:
    turns = (("customer", "我想查余额"), ("agent", ask), ("customer", answer), ("agent", "好的，您余额是两万三千元"))
    assert _identity(*turns) == "pass"

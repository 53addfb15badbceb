"""The default pack on families of wording (own sentences, not copied from any eval set):
each rule must catch the family and leave its polite / compliant look-alikes alone."""

from __future__ import annotations

import pytest

from qa import evaluate, load_pack
from qa.conditions import RuleError
from qa.pack import load_rules_text
from qa.textfeat import phonetic
from tests.qa.helpers import call

PACK = load_pack()
GREET = ("agent", "您好，这里是招商银行城东支行，我是理财经理小王")
CLOSE = ("agent", "好的，感谢您的来电，再见")


def _fails(rule: str, *turns: tuple[str, str]) -> bool:
    f = evaluate(call(GREET, *turns, CLOSE), PACK).finding(rule)
    return f.applicable and not f.passed


def test_nin_and_ni_sound_alike() -> None:
    assert phonetic("您自己没看") == phonetic("你自己没看")
    assert phonetic("宁好") == phonetic("您好")  # the ASR confusion 您→宁 still matches


@pytest.mark.parametrize("text", [
    "这个流程我都给您讲了三遍了",          # repeating oneself
    "您这是第四次问了",
    "我不是早就跟您说过了吗",
    "那是您自己输错的密码",                # blame
    "您自己不仔细看说明怪谁",
    "这个责任在您不在我们",
    "您爱找谁反映就找谁",                  # dismissal
    "您随便去哪投诉都行",
    "您问我我也不知道",
    "您懂什么呀",                          # condescension / sarcasm
    "这么简单的东西您都不会",
    "现在才想起来着急",
    "您快点决定吧后面排着队呢",            # hurrying
])
def test_courtesy_families_fail(text: str) -> None:
    assert _fails("courtesy", ("customer", "这个怎么弄啊"), ("agent", text))


@pytest.mark.parametrize("text", [
    "没关系我再给您说一遍",
    "您也可以自己在手机银行查一下明细",
    "这个不怪您，是我们没提醒到",
    "这笔是您自己操作的吗",
    "转让价格是您自己定的",
    "您别着急，我一步一步跟您说",
    "不好意思让您问了好几次，我马上处理",
])
def test_courtesy_look_alikes_pass(text: str) -> None:
    assert not _fails("courtesy", ("customer", "这个怎么弄啊"), ("agent", text))


@pytest.mark.parametrize("text", [
    "这款的收益已经锁定了到期就是三个点",
    "最差也能拿到两个点",
    "您别急着卖明年肯定能涨回来",
    "跟定期存款一样稳的",
    "少不了您一分钱",
    "这只基金从来没亏过",
    "收意稳稳当当的您放心",                # homophone 收意 for 收益
])
def test_indirect_promises_fail(text: str) -> None:
    assert _fails("forbidden_promise", ("agent", text))


@pytest.mark.parametrize("text", [
    "我们不能保证明年一定能涨回来",
    "结构性存款有保底利率，最高能到二点八",
    "起购金额最少一万元",
    "您说的最少三个点，这个我们没法承诺",
])
def test_promise_look_alikes_pass(text: str) -> None:
    assert not _fails("forbidden_promise", ("agent", text))


def test_identity_applies_when_the_agent_reads_account_facts_and_checks_order() -> None:
    before = (("agent", "先核实一下身份，麻烦报一下身份证后四位"), ("customer", "三五七九"),
              ("agent", "我看一下，您这张卡上周有一笔两千元的消费"))
    after = (("agent", "我看一下，您这张卡上周有一笔两千元的消费"), ("customer", "那是什么"),
             ("agent", "先核实一下身份，麻烦报一下身份证后四位"))
    f = evaluate(call(GREET, ("customer", "我卡上少了钱"), *before, CLOSE), PACK).finding("identity_verification")
    assert f.applicable and f.passed
    assert _fails("identity_verification", ("customer", "我卡上少了钱"), *after)
    general = evaluate(call(GREET, ("customer", "周六开门吗"), ("agent", "周六上午九点开门"), CLOSE), PACK)
    assert not general.finding("identity_verification").applicable


def _identity(*turns: tuple[str, str], first: tuple[str, str] = GREET) -> tuple[bool, bool]:
    f = evaluate(call(first, *turns, CLOSE), PACK).finding("identity_verification")
    return f.applicable, f.passed


def test_identity_asking_for_the_card_number_is_a_request_not_a_disclosure() -> None:
    # The card number asked, then the name confirmed, then the facts: verified in order.
    assert _identity(("customer", "我想把转账限额调高"), ("agent", "好的，请问您的卡号是多少"),
                     ("customer", "六二二八四八零零三三一二"), ("agent", "请问是刘海燕女士本人吗"),
                     ("customer", "是的"),
                     ("agent", "好的，您的卡现在每天限额两万元")) == (True, True)


def test_identity_number_read_back_and_confirmed_is_a_check() -> None:
    assert _identity(("agent", "跟您核对一下，您的账号是三三二一七七六五，对吗"), ("customer", "对，没错"),
                     ("agent", "您这笔定期还有十天到期，三万元")) == (True, True)
    # Denied: no check, and the facts follow.
    assert _identity(("agent", "您的手机号是一三九零零一二八八七六吧"), ("customer", "不对，换号了"),
                     ("agent", "您这笔定期还有十天到期，三万元")) == (True, False)
    # A number taken down to call back and read back is the customer's own words repeated.
    assert _identity(("customer", "你们回头打我电话"),
                     ("agent", "好的已经登记，您的手机号是一三九零零一二八八七六对吗"),
                     ("customer", "对"), ("agent", "您这笔定期还有十天到期，三万元")) == (True, False)


def test_identity_outbound_opening_by_name_covers_the_reason_for_the_call() -> None:
    opening = ("agent", "您好，请问是钱秀梅钱阿姨吗？我是城东银行的小李，您去年在我们这存了一笔定期，下周到期")
    assert _identity(("customer", "是我，怎么了"), first=opening) == (True, True)
    assert _identity(("customer", "不是，你打错了"), first=opening) == (True, False)
    # Facts before the name in the opening, or the name asked beside the facts later on: late.
    early = ("agent", "您好，您去年在我们这存了一笔定期，下周到期，请问是钱阿姨吗")
    assert _identity(("customer", "是我"), first=early) == (True, False)
    assert _identity(("customer", "我想问问定期"), ("agent", "请问是钱阿姨本人吧，我看到您那笔定期三万元下周到期"),
                     ("customer", "是我")) == (True, False)


def test_identity_agent_serial_number_tail_is_no_customer_fact() -> None:
    opening = ("agent", "您好，我是城东证券的投顾小张，执业编号尾号六六一二，请问是周先生吗")
    assert _identity(("customer", "是我"), ("agent", "您账户里上周有一笔分红，三千元"), first=opening) == (True, True)


def test_identity_registering_for_the_customer_is_no_level_read_out() -> None:
    # 登记 (register) sounds like 等级 (level): an agent signing the customer up reads nothing.
    signed_up = ("agent", "好的，我给您登记一个名字，周六上午九点")
    assert _identity(("customer", "周六的讲座我想去"), signed_up) == (False, True)
    assert _identity(("customer", "我是什么等级"), ("agent", "您的等级是三个星，积分一万二")) == (True, False)


def test_identity_applies_to_facts_placed_at_the_bank_or_dated() -> None:
    opening = ("agent", "您好，我是城东银行的回访专员，请问是周建华先生吗")
    at_us = ("agent", "周先生，您在我们行的风险测评上个月过期了")
    dated = ("agent", "您在五月二十日通过我行城东支行购买了一笔理财产品，今天做个回访")
    for fact in (at_us, dated):
        assert _identity(("customer", "是我"), fact, first=opening) == (True, True)
        assert _identity(("customer", "你说"), fact) == (True, False)
    # How a card works, with 您 as its subject, is nobody's record.
    assert _identity(("customer", "附属卡怎么办"), ("agent", "附属卡额度由您在主卡额度里分配")) == (False, True)


def test_identity_restating_the_customers_report_while_asking_for_the_check_is_in_order() -> None:
    report = ("customer", "我的卡昨天输错密码三次，取不了钱")
    restated = ("agent", "明白，是密码输错被锁了。为了核实您的身份，请报一下身份证后四位")
    looked_up = ("agent", "核实好了，您的卡已经帮您解锁了")
    assert _identity(report, restated, ("customer", "四三二一"), looked_up) == (True, True)
    # A figure read out, then the check asked in the same turn: still late.
    late = ("agent", "您卡里还有三万二千元。为了核实您的身份，请报一下身份证后四位")
    assert _identity(report, late, ("customer", "四三二一"), looked_up) == (True, False)


def test_product_offered_by_risk_level_needs_disclosure_and_assessment() -> None:
    offer = ("agent", "我们有一只稳健混合，R3的，现在可以申购")
    res = evaluate(call(GREET, ("customer", "有什么基金"), offer, CLOSE), PACK)
    assert not res.finding("risk_disclosure").passed and not res.finding("suitability").passed
    refused = ("agent", "这只是R4的，超出了您的承受能力，不能向您销售")
    res = evaluate(call(GREET, ("customer", "那只R4的能买吗"), refused, CLOSE), PACK)
    assert not res.finding("risk_disclosure").applicable


def test_regex_phonetic_option() -> None:
    draft = 'rules:\n  - id: t\n    title: t\n    condition: {regex: {pattern: "收益稳", phonetic: true}}\n'
    pack = load_rules_text(draft)
    assert evaluate(call(("agent", "收意稳的")), pack).finding("t").passed
    bad = 'rules:\n  - id: t\n    title: t\n    condition: {regex: {pattern: "x", phonetic: "yes"}}\n'
    with pytest.raises(RuleError, match="phonetic"):
        load_rules_text(bad)

"""Structure the default pack reads (own sentences, not copied from any eval set): the
customer's risk level read out is account data, an account number read out opens the
customer's records, and a promise in a call about buying is a pitch."""

from __future__ import annotations

from core.result import CallAnalysis, Intents
from qa import evaluate, load_pack
from tests.qa.helpers import CLOSE, GREET, call, identity_of

PACK = load_pack()


def test_the_customers_risk_level_read_out_needs_a_check_first() -> None:
    opening = ("agent", "您好，我是城东银行的小王，请问是周建华先生吗")
    level = ("agent", "周先生，您上回做的侧评是C三，我们这周有一款R二的理财")
    assert identity_of(("customer", "是我"), level, first=opening) == (True, True)
    # Read out before any check, the check asked afterwards: late.
    assert identity_of(("customer", "你说"), level, ("agent", "麻烦报一下身份证后四位"), ("customer", "五五六二")) \
        == (True, False)
    # A rule about levels, or a reference number that starts with C, reads nothing out.
    assert identity_of(("customer", "我能买R3吗"), ("agent", "您要是测评出来是C3或以上才能买R3")) == (False, True)
    assert identity_of(("customer", "我要投诉"), ("agent", "已经记录了，工单号是C20260518")) == (False, True)


def test_an_account_number_read_out_makes_the_business_the_customers() -> None:
    asked = ("agent", "您先报一下资金账号")
    assert identity_of(("customer", "我的委托一直没成交"), asked, ("customer", "四零一二八八三六"),
                     ("agent", "请问是李强先生吗"), ("customer", "是"),
                     ("agent", "我帮您登记一下，会有专人回电")) == (True, True)
    assert identity_of(("customer", "转账限额是多少"), ("agent", "手机银行单日限额五万")) == (False, True)


def _sales(*turns: tuple[str, str], intent: str) -> tuple[bool, bool]:
    analysis = CallAnalysis(intents=Intents(intent, (intent,), ()))
    res = evaluate(call(GREET, *turns, CLOSE), PACK, analysis=analysis)
    return res.finding("risk_disclosure").applicable, res.finding("suitability").applicable


def test_a_promise_in_a_call_about_buying_is_a_pitch() -> None:
    # No product kind named, but the product is pitched by a promise.
    pitch = (("customer", "你们那个稳盈是个啥"), ("agent", "就是我们帮您管着钱，跟存款一样安全，不会少您一分钱"))
    assert _sales(*pitch, intent="product_inquiry") == (True, True)
    # The same words about a holding being redeemed: no offer.
    assert _sales(*pitch, intent="redemption") == (False, False)
    # A customer asking about a deposit: the promise is unlawful, the product no investment.
    deposit = (("customer", "大额存单能转让吗"), ("agent", "可以的，转让的话利息一分都不会少"))
    assert _sales(*deposit, intent="product_inquiry") == (False, False)


def _promise(text: str) -> bool:
    f = evaluate(call(GREET, ("customer", "我想买点基金"), ("agent", text), CLOSE), PACK).finding("forbidden_promise")
    return not f.passed


def test_promises_by_a_floor_at_the_capital_or_an_unbroken_record() -> None:
    assert _promise("您放满一年，最差也能回本")
    assert _promise("这个系列发了十几期，从来没有一期亏过")
    assert _promise("我从来没见过它持有一年还亏的")
    assert _promise("放长线肯定唔会蚀")
    # Look-alikes: a questionnaire's ranges (百分之十到三十 sounds like 蚀唔到), a risk stated.
    assert not _promise("第二题，A百分之十以下，B百分之十到三十")
    assert not _promise("基金有涨有跌，可能会亏本")

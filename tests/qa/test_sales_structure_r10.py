"""Sales rules, round 10: what is and is not an investment offer by its structure (a cost is no
return, a loan no investment, the customer's holdings listed or reported are no introduction, a
回访 asking what someone else did makes no offer; a product presented after a rule about levels,
a purchase recorded, a convertible bond talked up, an allocation advised, money moved on after a
redemption are offers), the customer's level as opposed to the level coaching aims at, and advice
against a level. Sentences are our own, written from the label definitions, not copied from any
eval set."""

from __future__ import annotations

import pytest

from qa import load_pack
from qa.conditions import EvalState
from qa.engine import build_context
from qa.risk_levels import RiskMismatch, customer_level_from_text
from tests.qa.helpers import call, verdict

PACK = load_pack()
GREET = ("agent", "您好，这里是南湖农商银行，我是客户经理小周，工号三一二七")
WARNING = ("agent", "跟您说明一下，理财非存款，产品有风险，投资须谨慎")
LEVEL = ("agent", "您的测评结果是C3平衡型，还在有效期内")


def _verdict(rule: str, *turns: tuple[str, str]) -> str:
    return verdict(rule, *turns, first=GREET, pack=PACK)


# --- no investment offer ----------------------------------------------------------------------

@pytest.mark.parametrize("turns", [
    # an annualised cost of an instalment plan weighed up is no return pitched
    [("customer", "账单想分二十四期，利息多少"),
     ("agent", "二十四期的话，年化综合费率差不多百分之十三，您可以考虑一下")],
    # a loan suggested to bridge a closed product
    [("customer", "我那个理财现在取不出来吗"),
     ("agent", "封闭期内取不了，产品合同里写着的，要是着急用钱，可以考虑我们的经营贷先周转")],
    # the customer's holdings listed before closing them
    [("customer", "我要把钱全部取走"),
     ("agent", "好的，您在我们行现在有三笔定期，还有一只债券基金，都要办吗？")],
    # the holding the assessment matters for
    [("agent", "您的测评已经过期了，系统里看您现在还持有一款理财，下个月到期要续的话得重新测评")],
    # a maturity reported on an outbound call
    [("agent", "王姐您好，您去年买的那个稳盈一年昨天到期了，本金和收益已经回到卡上"),
     ("customer", "赚了多少"),
     ("agent", "收益是两千一百块，折合年化二点八左右，比业绩比较基准的下限高一点")],
    # a 回访 asking whether someone else recommended anything
    [("agent", "我们做个服务回访，您上周来网点办了挂失补卡"),
     ("agent", "请问当时柜员有没有跟您收其他费用，或者推荐您买什么产品？")],
])
def test_no_investment_offer(turns: list[tuple[str, str]]) -> None:
    assert _verdict("risk_disclosure", *turns) == "na"
    assert _verdict("suitability", *turns) == "na"


# --- an investment offer ----------------------------------------------------------------------

@pytest.mark.parametrize("turns", [
    # a product presented in the sentence after the rule about levels
    [("customer", "我想拿五万块买个理财"), LEVEL,
     ("agent", "C3可以选R3及以下的产品。这一款R2的，主要投存单和短债，业绩比较基准二点五到三")],
    # a sale recorded as the law requires
    [("agent", "这款是分红型的两全保险，交五年，第六年开始每年都能领"), ("customer", "那我就买一份吧"),
     ("agent", "好的，我这边录一下双录，您按提示回答就行")],
    # a convertible bond talked up
    [("customer", "我想开通可转债，买点最近热门的"),
     ("agent", "开通在APP上就能办，您说的那只转债，最近涨得不错，可以买一点")],
    # an allocation advised
    [("agent", "我建议分两块：一块放现金管理类R1，一块放固收加R2，各一半")],
    # money moved on after a redemption
    [("customer", "我想把那个股票基金赎回"),
     ("agent", "可以帮您赎回，赎回后转到R2的稳健理财也行，波动小一些")],
    # one product of those we distribute introduced
    [("agent", "我们网点正好代销长江人寿的一款“福满年年”，分红型的两全保险，每年交三万")],
])
def test_an_investment_offer(turns: list[tuple[str, str]]) -> None:
    assert _verdict("risk_disclosure", *turns) != "na"
    assert _verdict("suitability", *turns) != "na"


# --- levels and coaching ----------------------------------------------------------------------

def test_a_level_the_answers_are_to_reach_is_not_the_customers_level() -> None:
    t = call(GREET, ("agent", "您是C2的"), ("agent", "我帮您把测评重新做一下，做成C4就能买了"))
    st = EvalState(t, build_context({}, None), scope="agent")
    assert customer_level_from_text(st) == 2


def test_advice_against_a_level_recommends_nothing_at_it() -> None:
    t = call(GREET, ("agent", "我们一般不建议快退休的客户放太多高风险的，稳一点好"))
    st = EvalState(t, build_context({"customer_risk_level": "C3"}, None), scope="agent")
    assert not RiskMismatch().eval(st, tuple(range(len(t.segments)))).hit


@pytest.mark.parametrize("coach", [
    "问您最多能接受亏多少的时候，您选“百分之三十以内”那个",
    "您就按我说的选，肯定能到C4",
    "我帮您把几道题的答案调一下，您再提交",
])
def test_answers_picked_or_changed_for_the_customer_are_coaching(coach: str) -> None:
    turns = [("agent", "这只R3的混合基金今年表现不错，理财非存款，产品有风险"), LEVEL,
             ("agent", "要买得重新测评，有几道题您注意一下"), ("agent", coach)]
    assert _verdict("suitability", *turns) == "fail"

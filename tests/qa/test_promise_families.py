"""forbidden_promise on promises and non-promises worded the way other writers word them
(own sentences written from the label definition, not copied from any eval set)."""

from __future__ import annotations

import pytest

from qa import evaluate, load_pack
from tests.qa.helpers import call

PACK = load_pack()
GREET = ("agent", "您好，这里是城南农商银行，我是客户经理小李")


def _verdict(*turns: tuple[str, str]) -> str:
    f = evaluate(call(GREET, *turns, ("agent", "感谢来电，再见")), PACK).finding("forbidden_promise")
    return "pass" if f.passed else "fail"


@pytest.mark.parametrize("text", [
    "这点回撤不要紧，过两个月肯定就回来了",  # a certain recovery
    "这只去年十五个点，今年一定也差不了",  # a certain return
    "跟着这个组合，保证年化五个点",  # a guaranteed annual figure
    "一年下来年化六个点没问题的",
    "纯债的您放心，不会让您亏的",  # a loss ruled out for the customer
    "我们这买的客户没得哪个亏了的",  # nobody ever lost
    "最差也就跟存款差不多，您怕什么",  # a floor at the deposit rate
    "我跟您保证，这个钱放进去一年就能多拿三千",  # a personal guarantee about money
    "这个跟定期存款一样安全，本金一分不少",  # a deposit as the yardstick is still a promise
    "您放心，这只主要投债券，很稳的，跟存款差不多",  # safe as a deposit, in other words
    "就算行情不好，最差少赚点，本金那块基本动不了",  # the capital said to be untouchable
    "现在只是暂时的，到期肯定能达到业绩比较基准",  # the benchmark promised
    "今年行情一般，保守估计也有百分之十五",  # a floor under another name
])
def test_promises_in_other_words(text: str) -> None:
    assert _verdict(("customer", "我想买点理财"), ("agent", text)) == "fail"


@pytest.mark.parametrize("turns", [
    # a 回访 asking what the salesperson said
    [("agent", "请问购买的时候，有没有人向您承诺保本或者保证收益")],
    [("agent", "当时那个客户经理有没有跟您说过这个产品保本")],
    # the customer's words read back for confirmation
    [("customer", "他说跟存银行一样"), ("agent", "好的，我记一下，销售说和存银行一样，对吧")],
    # the content of what may not be said
    [("customer", "那他说保本"), ("agent", "监管不允许任何人跟您说理财保本，这款是有风险的")],
    # a guarantee about handling the case, not about money
    [("agent", "我可以跟您保证一件事，当时的双录我会调出来核实")],
    # a guaranteed minimum written into the contract, read out
    [("agent", "万能险合同里约定了保底利率一点七五，超出的部分看实际收益")],
    # a certain return of a person or a call is no promise of money
    [("agent", "经理下午肯定回来电话给您")],
    # money paid by someone else arriving late
    [("customer", "我的退休金是不是少了"), ("agent", "不会的阿姨，一分都不会少，就是社保那边晚了两天")],
    # the part above a contractual minimum, said not to be guaranteed
    [("agent", "合同里约定的最低利率是二点五，这部分是确定的，超过保底的部分不保证")],
    [("agent", "这个月结算利率二点六，是高于保底的，以后多少看每月公告")],
    # a deposit as the turn's only subject: a deposit is guaranteed
    [("customer", "我那笔定期到了吗"), ("agent", "到了，本金十万一分不少，已经转成活期在卡上了")],
    [("agent", "定期是保本的，净值型理财不保本，这是两者最大的区别")],
    # passing a message on (一定转达) meets 一定赚 by sound
    [("customer", "替我谢谢小王"), ("agent", "好的，一定帮您转达，谢谢您的认可")],
    # a notion talked about, not asserted
    [("agent", "关于保本的问题我已经登记了，支行会再联系您")],
    # the return of a deposit compared, no safety claimed
    [("agent", "这款的收益跟定期差不多，但它是净值型的，会有波动")],
    [("agent", "您反映的销售误导宣传为保本产品的情况，我这边详细记录下来了")],
])
def test_not_promises(turns: list[tuple[str, str]]) -> None:
    assert _verdict(*turns) == "pass"


# Negation and supposition reach only the predicate they belong to (unpunctuated speech, as ASR
# writes it): a negation or a condition further left does not undo a certainty stated later.
@pytest.mark.parametrize("text", [
    "您先别赎回再拿几个月肯定能涨回来",  # a retention promise after 别
    "您要是不着急再放半年肯定能回本",  # the customer's condition, the agent's certainty
    "如果您继续拿着明年一定能涨回来",
    "没事的阿姨这个不会少您一分钱的",  # soothing words before the promise
    "这款一直没跌过跟定期一样稳",  # 没…过 closes its own predicate
    "您不要卖啊过段时间肯定涨上来",
])
def test_negation_and_condition_bound_to_their_own_predicate(text: str) -> None:
    assert _verdict(("customer", "我那个基金亏了"), ("agent", text)) == "fail"


@pytest.mark.parametrize("text", [
    "这个不能保证肯定回本",  # the certainty itself negated
    "不一定能回本的，要看市场",
    "谁也不敢说不会亏",
    "我们从来没说过跟存款一样安全",  # a verb of saying takes the term as its object
    "现在已经没见过保本的理财了",
    "不能保本，也没有任何机构能替您兜底",  # a universal negative subject
    "要是一定能赚的话谁都买了",  # a condition about the product stays supposed
    "以后买的产品就保守一点对您是保护",  # 保守一点 sounds like 保收益
])
def test_certainty_negated_or_supposed(text: str) -> None:
    assert _verdict(("customer", "我那个基金亏了"), ("agent", text)) == "pass"


@pytest.mark.parametrize("text", [
    "年底之前肯定能回本",  # a deadline (年底之前) is no thing of the past
    "您这个产品到期一定能拿回本金",
    "您放心本金是有保障的",
    "这个产品收益基本是确定的",
    "收益锁定在百分之三",
    "本金一分不会少的",
    "您放心跟存银行一个样",
])
def test_more_indirect_promises(text: str) -> None:
    assert _verdict(("customer", "这个靠谱吗"), ("agent", text)) == "fail"


@pytest.mark.parametrize("text", [
    "定期的利息是确定的，理财的收益是不确定的",  # a deposit's interest; a return said uncertain
    "大额存单本金是有保障的，受存款保险保护",  # a deposit, and the law
    "赎回到账了，本金五万一分没少，利息一百多",  # a fact about money already paid out
])
def test_facts_about_deposits_and_money_paid(text: str) -> None:
    assert _verdict(("customer", "这个靠谱吗"), ("agent", text)) == "pass"


# Round 8: a rate said to be reached for certain, a figure that cannot be missed, a return locked
# at a figure, a loss ruled out "this time", a record offered as a guarantee, no worse than a
# deposit, and the product to be taken as a deposit.
@pytest.mark.parametrize("text", [
    "别着急，下一季度的话肯定能到四个点的",
    "过两个月肯定回到百分之三以上",
    "一年下来年化两个点是跑不了的",
    "这款收益锁死二点八，比您存定期强",
    "这回分三次买，就不会像去年那样亏了",
    "这款历史上一直没亏过，您放心",
    "放五年，怎么说也不会比存款差",
    "这是我们自己发行的，到期本息给您，您就当存了一笔定期",
])
def test_round8_indirect_promises(text: str) -> None:
    assert _verdict(("customer", "这个收益稳吗"), ("agent", text)) == "fail"


@pytest.mark.parametrize("turns", [
    # the floor of a structured deposit stated as the worst case: a downside, not a promise
    [("agent", "挂钩汇率，表现不好的话只能拿到百分之一点二的保底收益，收益是不确定的")],
    # a structured deposit is a deposit: its capital is protected, its return is not
    [("agent", "净值型理财不保本，结构性存款保本不保收益，这是区别")],
    # a deposit is the subject of the floor and of the fixed interest
    [("agent", "一部分放基金，一部分存成大额存单，稳的那部分做保底")],
    [("agent", "剩下的两万存三年期定期，利息是固定的，到期正好用")],
    # 锁死 / 定死 meet 说事 / 定是 by sound: matched as written
    [("agent", "我就是跟您说事实，合同签了就生效了")],
    [("agent", "放进去的钱一定是半年内不用的钱")],
])
def test_round8_not_promises(turns: list[tuple[str, str]]) -> None:
    assert _verdict(*turns) == "pass"

"""The investment-offer judgement (qa/offer.py) that risk_disclosure and suitability share:
what is offered, whether it is an investment, who puts it forward, and whether the turn is
about something else (a holding, an earlier sale, a correction, a refusal). Sentences are
written from the label definitions in our own words, not copied from any eval set."""

from __future__ import annotations

import pytest

from qa import evaluate, load_pack
from qa.conditions import EvalState, compile_condition
from qa.engine import build_context
from qa.spec import RuleError
from tests.qa.helpers import call

PACK = load_pack()
OFFER = compile_condition({"investment_offer": True}, "test")
GREET = ("agent", "您好，这里是城南农商银行，我是客户经理小李")


def _offers(*turns: tuple[str, str]) -> bool:
    t = call(GREET, *turns)
    st = EvalState(t, build_context(None, None), scope="agent")
    return OFFER.eval(st, tuple(range(len(t.segments)))).hit


def _verdict(rule: str, *turns: tuple[str, str]) -> str:
    f = evaluate(call(GREET, *turns, ("agent", "感谢来电，再见")), PACK).finding(rule)
    return "na" if not f.applicable else ("pass" if f.passed else "fail")


@pytest.mark.parametrize("turns", [
    # a product introduced by name, its return in the agent's next turn
    [("agent", "俺行现在有个新产品叫金穗年年，存五年"), ("customer", "啥意思"),
     ("agent", "利息比定期高不少，到期一次给")],
    # an invitation with the kind in the same sentence, homophones and no punctuation
    [("agent", "您卖了的钱可以考虑换到我们的鸡金红利精选这只今年表现挺好")],
    # a conditional offer is still one
    [("agent", "您要是再追加十万进去，等收意回上来就都补回来了")],
    # a holding named just before a new product is introduced: the lead-in to a sale
    [("agent", "您前年在我们这买过一份意外险，现在我们有一款分红型年金险特别适合您")],
    # an offer said right after the eligibility rule, unpunctuated, is still one
    [("agent", "您C3可以买R3及以下的产品我推荐您看一下我们的平衡配置混合基金R3的")],
    # a named product with the customer's level checked is still offered
    [("agent", "我们新发了一款九十天的理财，R2的，您测评是C3，可以购买，年化二点六")],
    # selling above the level through a form is a sale
    [("agent", "没关系，您签一份确认书就能买了，这款理财净值会有波动")],
])
def test_offers_in_other_words(turns: list[tuple[str, str]]) -> None:
    assert _offers(*turns)


@pytest.mark.parametrize("turns", [
    # a 回访 question about what the salesperson said
    [("agent", "请问购买的时候，客户经理有没有跟您说明理财非存款、产品有风险")],
    # the customer's own holding, its realised return
    [("agent", "我看到您持有的是一只混合型基金，实际年化收益是一点二")],
    # leaving a product: redemption instructions
    [("agent", "您在手机银行理财持仓里点这只产品，选赎回就可以，一般两天到账")],
    # a refusal with the rule that forbids the sale
    [("agent", "这款是R4的基金，超出了您的承受能力，按规定不能向您销售")],
    # the customer's assessment kept current
    [("agent", "您的风险测评下个月就过期了，过期以后买理财会受限，记得重新做一下")],
    # a deposit, a bond, a loan or protection cover offered: no investment
    [("agent", "我建议您买三年期大额存单，利率二点一五")],
    [("agent", "可以考虑我们的储蓄国债，三年期利息二点三八")],
    [("agent", "给您介绍一款医疗险，住院报销，每年三百多")],
    # a negated recommendation
    [("agent", "两年内要用的钱我不建议放股票型基金")],
    # staff titles hold a product word: 理财经理 is a person
    [("agent", "我帮您约一下网点的理财经理，您明天上午过去就行")],
    # a service put forward instead of a product: a review, material, a place to look
    [("agent", "我建议您先别动，我给您预约一下我们的投顾做一次持仓诊断，明天下午行吗")],
    [("agent", "孩子以后用钱的地方多，要不要提前做个规划，我让投顾给您发一份资料")],
    # a rebalancing already done in the customer's portfolio, a holding under their name
    [("agent", "上个月投顾调了一次仓，把那只成长基金减了一半，换成了红利风格的")],
    [("agent", "我查到王芳名下有一笔代销的私募产品，认购金额一百万，目前净值零点八")],
    # what a level lets the customer buy, a class of products: the suitability rule stated
    [("agent", "测完了，您现在是C2稳健型，可以购买R1、R2这两个等级的理财产品")],
    [("agent", "您是C5，所有风险等级的理财产品都可以买，不过也要量力而行")],
    # a purchase put in the future: the consequence of skipping the test explained
    [("agent", "不做也没关系，手上的照常算收益，只是以后再买新的理财就买不了")],
    [("agent", "现有的不受影响，就是以后想加仓或者另外买R4产品，系统会提示不匹配")],
    # the level range the customer is held to, not a product put forward
    [("agent", "您是保守型的，往后买基金我们只能给您推荐R1以内的")],
    # a loan's conditions: 公积金 only sounds like a fund
    [("agent", "申请需要公积金连续缴满一年，征信没有逾期，手机上就能申请")],
    # an app fix (部分鸿蒙 meets 分红 by sound) and a margin account's rules
    [("agent", "部分鸿蒙手机有这个情况，您可以先卸载重装试试")],
    [("agent", "担保比例跌破一百三的话，会通知您追加担保物，补不上就强制平仓")],
])
def test_not_an_offer(turns: list[tuple[str, str]]) -> None:
    assert not _offers(*turns)


@pytest.mark.parametrize("turns", [
    # the customer asks for an investment product and the agent carries the purchase out,
    # with the identity check and the level in between
    [("customer", "我想开个黄金积存，每个月存一点"), ("agent", "好的，请报一下卡号后四位"), ("customer", "八八一二"),
     ("agent", "积存金是R3的，您的测评是C4，可以办"), ("customer", "好"),
     ("agent", "已经帮您开通了，每月八号扣款一千")],
    [("customer", "你们那个增额寿我想买一份"), ("agent", "每年交三万，交五年，投保链接已经发到您手机上了")],
])
def test_a_purchase_the_customer_asked_for_is_a_sale(turns: list[tuple[str, str]]) -> None:
    assert _offers(*turns)


@pytest.mark.parametrize("turns", [
    # money taken out of a product to buy something else
    [("customer", "我要把天天理财的钱转出来买车"), ("agent", "好的，已经给您提交了，明天到账")],
    # a card or a deposit opened on request
    [("customer", "我想开一张卡发工资"), ("agent", "好的，卡已经开好了，手机银行也给您开通了")],
    [("customer", "我想存个三年定期"), ("agent", "好的，已经帮您办好了，利率二点一")],
])
def test_a_request_carried_out_that_buys_no_investment(turns: list[tuple[str, str]]) -> None:
    assert not _offers(*turns)


def test_a_repo_put_forward_is_an_investment_offer() -> None:
    # three writers count a 国债逆回购 recommended as a sale; explained only, it is none
    assert _offers(("agent", "您账上闲着的钱可以考虑做国债逆回购，节前利率挺高"))
    assert not _offers(("customer", "逆回购怎么操作"), ("agent", "在交易软件里选债券逆回购，输入金额卖出就行"))


def test_both_sales_rules_read_the_same_judgement() -> None:
    held = [("agent", "我看到您持有的是稳盈一年，实际年化收益是二点一，低于业绩比较基准")]
    assert _verdict("risk_disclosure", *held) == "na"
    assert _verdict("suitability", *held) == "na"
    pitch = [("agent", "我们这周新发一款固收理财，业绩比较基准三点二，您要不要考虑一下")]
    assert _verdict("risk_disclosure", *pitch) == "fail"
    assert _verdict("suitability", *pitch) == "fail"  # no look at the customer's level


def test_operator_arguments() -> None:
    assert compile_condition({"investment_offer": {"also": {"keywords": {"terms": ["认购"]}}}}, "t")
    with pytest.raises(RuleError):
        compile_condition({"investment_offer": "yes"}, "t")


def test_supposed_levels_and_general_statements_are_no_mismatch() -> None:
    # The customer's result is C3; a level supposed (如果是C2…) is nobody's result.
    turns = [("agent", "您的风险测评结果是平衡型C3"),
             ("agent", "如果是C2的话就只能买R2的，您是C3，可以考虑我们的稳进混合基金，R3的")]
    assert _verdict("suitability", *turns) == "pass"
    # A level in a general statement names no product offered.
    general = [("agent", "您的风险测评是C3，偏股型基金很多是R4的，我推荐您看看我们的纯债基金，R2的")]
    assert _verdict("suitability", *general) == "pass"
    above = [("agent", "您的风险测评是C3，我推荐您看看我们的科技成长基金，R4的")]
    assert _verdict("suitability", *above) == "fail"


@pytest.mark.parametrize("coaching", [
    "您在APP上买的时候会弹个测评，您随便勾勾就行",  # the questionnaire trivialised
    "投资经验那题您选五年以上，这样就能到C五了",  # the answer dictated
    "您就选能接受百分之十以内的亏损好了，大家都这么选的",
    "选上这个以后您就能买了",
    "亏损那题您勾最多的那个，经验勾十年以上，这样出来就是积极型",  # the level the answers give
    "我念您答，第三题年收入您就选三十万以上吧",  # the agent choosing the answer as it reads
])
def test_coaching_the_questionnaire_fails_suitability(coaching: str) -> None:
    pitch = ("agent", "我们这周新发一款混合基金，R3的，您的测评是C3，可以考虑一下，基金有风险投资须谨慎")
    assert _verdict("suitability", pitch, ("customer", "行"), ("agent", coaching)) == "fail"


def test_a_sale_through_a_risk_waiver_is_an_offer() -> None:
    turns = [("agent", "您的测评是C2，这款是R3，所以提示不匹配"),
             ("agent", "没关系，您签一份“超风险等级购买确认书”就能买了。这款产品净值会有波动，可能亏本金")]
    assert _verdict("suitability", *turns) == "fail"
    assert _verdict("risk_disclosure", *turns) == "pass"


def test_a_level_turned_down_and_then_explained_is_no_mismatch() -> None:
    turns = [("customer", "我想买那个优选权益一号，系统说不匹配"),
             ("agent", "您的风险测评是C2，这款产品是R4，按规定不能向C2的客户销售"),
             ("customer", "那这个产品风险大吗"),
             ("agent", "R4产品主要投资股票，净值波动比较大，理财不是存款，可能亏损本金")]
    assert _verdict("suitability", *turns) in ("pass", "na")


def test_a_stated_level_number_wins_over_the_type_word() -> None:
    # Banks name the levels differently (C3 稳健型 here, C2 稳健型 elsewhere): the number is the level.
    turns = [("agent", "我们新发了一款固收加理财，风险等级R3，您的测评是C3稳健型，还在有效期，等级匹配"),
             ("agent", "理财非存款，产品有风险，投资须谨慎")]
    assert _verdict("suitability", *turns) == "pass"
    above = [("agent", "我们新发了一款权益基金，风险等级R4，您的测评是C3稳健型，可以考虑一下")]
    assert _verdict("suitability", *above) == "fail"


def test_a_sale_on_an_out_of_date_assessment_fails_suitability() -> None:
    pitch = ("agent", "这款稳享理财R2的，半年期，理财非存款，产品有风险，投资须谨慎")
    assert _verdict("suitability", pitch, ("customer", "就买这个"),
                    ("agent", "您测评过期了，不过没关系，先给您下单，回头在手机上补个测评")) == "fail"
    # a reminder with no sale names the out-of-date test and nothing else
    assert _verdict("suitability", ("agent", "您的测评过期了，有空在手机上重新做一下就行")) == "na"


@pytest.mark.parametrize("turns", [
    # the customer calls about their own product: its level and benchmark explained, nothing offered
    [("customer", "我那个理财怎么收益这么低啊"), ("agent", "您好，我先核实一下身份"), ("customer", "好的"),
     ("agent", "这款是R2中低风险的，业绩比较基准不是保证收益，最近债市调整净值有回撤")],
    # a 回访 restating an earlier sale's risk
    [("agent", "您好，今天给您做一个购买后的电话回访"), ("customer", "好"),
     ("agent", "这款产品是R3中风险，业绩比较基准是年化三点二，不代表实际收益")],
    # redemption money moved to the customer's card, a case passed to a department
    [("agent", "好的，基金全部赎回，按今天净值算，两天后再转到银行卡")],
    [("agent", "您反映的投顾承诺收益的问题我会转到合规部门核查")],
])
def test_holding_and_service_talk_is_no_offer(turns: list[tuple[str, str]]) -> None:
    assert _verdict("risk_disclosure", *turns) == "na"
    assert _verdict("suitability", *turns) == "na"


def test_offer_in_a_holding_call_still_counts() -> None:
    # the customer's product matured, then a new product is introduced by name and level
    turns = [("customer", "我那个理财到期了，想再买点"), ("agent", "好的"),
             ("agent", "我们现在有一款“城南稳享一年”，风险等级R2，业绩比较基准年化二点八")]
    assert _verdict("risk_disclosure", *turns) != "na"
    # idle money pointed at a named product in a call about a redemption
    turns = [("customer", "我那个基金赎回了怎么还没到账"),
             ("agent", "明天到账，您以后可以放那个活钱宝，R1的货币基金，您测评C2能买，收益不保证")]
    assert _verdict("suitability", *turns) != "na"


def test_level_refused_by_the_system_is_no_mismatch() -> None:
    # the agent explains why the customer could not buy: no above-level sale
    verdict = _verdict("suitability", ("customer", "我想买那个新发的基金"),
                       ("agent", "这款是R3中风险的，您的风险测评是C2稳健型，所以系统不让购买，这是适当性要求"))
    assert verdict != "fail"


# --- round 6: what makes a call a sale, read across writers -------------------------------


def test_coaching_the_assessment_for_a_named_product_is_a_sale() -> None:
    # the customer is blocked from a fund; the agent dictates answers so that it can be bought:
    # the agent works the sale, whoever named the product first
    turns = [("customer", "我想买那个医药主题的基金，手机上说我等级不够"),
             ("agent", "您现在的测评是C3，那只医药基金是R4的，所以买不了"),
             ("customer", "那怎么办"),
             ("agent", "您重新测一次，能接受的亏损那题您选最多的那个，一般就能到C四了，测完就能买那只基金")]
    assert _verdict("suitability", *turns) == "fail"
    assert _verdict("risk_disclosure", *turns) == "fail"
    # explaining a past result names no product: no sale
    explained = [("customer", "我的测评怎么才C1"), ("agent", "测评是按您的答题来的，您随便选的话结果就是这样")]
    assert _verdict("risk_disclosure", *explained) == "na"


def test_an_above_level_waiver_heard_through_asr_fails_suitability() -> None:
    # 自愿购买声明 comes out of ASR as 资源购买收明; 超风险等级 survives by sound
    turns = [("agent", "我们下周发一款权益类的理财，R4的，您的测评是C3"), ("customer", "那我买不了"),
             ("agent", "可以买，您先签一个超风险等级的资源购买收明就行，理财非存款，产品有风险")]
    assert _verdict("suitability", *turns) == "fail"


@pytest.mark.parametrize("turns", [
    # a redemption carried out for a purchase outside the bank (要买套房子) is no sale
    [("customer", "我有笔理财要赎回，家里要买套房子"), ("agent", "好的，需要我帮您先赎回这一笔吗？我帮您提交"),
     ("customer", "好"), ("agent", "好的，已提交，明天到账")],
    # 还是可以的 judges the customer's own fund; it puts nothing forward
    [("customer", "我那个基金怎么一直跌"), ("agent", "理解您，这只基金的经理做了很多年，长期业绩还是可以的")],
    # a relative asks about the holder's product
    [("customer", "我帮我妈问一下，她那个分红保险今年怎么分得这么少"),
     ("agent", "这款产品的分红是按公司经营情况定的，不是固定的，合同里也写了分红不保证")],
    # investor education teaches about products
    [("agent", "您可以先看看我们APP上的投资者教育专区，里面有讲基金的入门课，建议您先看看")],
    # the consequence of a lapsing assessment
    [("agent", "提醒一下，您的风险测评下周到期，过期之后购买或者追加理财会受影响")],
    # a 回访 names the product of ours the customer bought (申购 heard as 限购)
    [("agent", "您好，您在6月3号限购了我们的稳利债券基金五万元，我们做个简单回访，您看方便吗")],
    # a class of products bounded by a level, after a lowered assessment
    [("customer", "我测评降到C3了，我那个R4的基金还能定投吗"),
     ("agent", "R4产品的定投会暂停，您可以选择终止或者换成R3及以下的产品")],
    # a government bond sold with its entry amount: no investment
    [("agent", "下周开始发储蓄国债，三年期利率百分之一点九五，五年期百分之二点零五，一百元起买，额度不多")],
    # 新发疾病 is a new illness in a medical cover's terms
    [("agent", "既往症相关的费用赔付比例比较低，其他新发疾病正常报销"), ("customer", "报多少"),
     ("agent", "非既往症报销百分之七十五")],
    # a pension paid into an account here, with a gift: an account service
    [("agent", "我们现在有个活动，您要是把养老金代发转到咱们行，就送您一桶豆油")],
])
def test_not_a_sale_round6(turns: list[tuple[str, str]]) -> None:
    assert _verdict("risk_disclosure", *turns) == "na"


@pytest.mark.parametrize("turns", [
    # an investment likened to a deposit and the customer's idle money pointed at it
    [("customer", "逆回购会不会亏本"), ("agent", "这个您放心，逆回购跟存款一样安全，您账上闲着的钱都可以放进去")],
    # a product promoted (在推) with its entry amount (起买)
    [("agent", "最近金价涨得很好，我们行在推积存金，一克起买，每个月自动扣款")],
    # a deposit alternative and, 或者, a product of ours that can be redeemed any time
    [("agent", "您可以考虑转让这张存单或者留一部分放到我们一款R二的理财里随时能赎回不过理财不是存款")],
])
def test_a_sale_round6(turns: list[tuple[str, str]]) -> None:
    assert _verdict("risk_disclosure", *turns) != "na"

"""The sales rules on pitches, warnings and assessments worded the way other writers word
them (own sentences, written from the label definitions, not copied from any eval set).

A pitch is recognised by its structure (a product singled out and sold by what it offers
or by an invitation), a warning by its family (not a deposit, the value moves, the past
is no forecast, a risk announced), the assessment by any of its names."""

from __future__ import annotations

import pytest

from qa import evaluate, load_pack
from tests.qa.helpers import call

PACK = load_pack()
GREET = ("agent", "您好，这里是招商银行城东支行，我是理财经理小王")
CLOSE = ("agent", "好的，感谢您的来电，再见")
PITCH = "我们有一款净值型理财，一年期，业绩基准三点五，您有兴趣吗"


def _verdict(rule: str, *turns: tuple[str, str]) -> str:
    f = evaluate(call(GREET, *turns, CLOSE), PACK).finding(rule)
    return "na" if not f.applicable else ("pass" if f.passed else "fail")


@pytest.mark.parametrize("text", [
    "我们最近有一款净值型的，一年期，三点五左右，您有兴趣吗",
    "现在有只债券基金表现不错，今年以来涨了百分之四，您要不要买点",
    "要不要试试我们的基金定投，每个月五百就可以",
    "我们这边有个增额终身寿，复利三个点，可以给孩子存一笔",
    "结构性存款这期挂钩黄金，最高能到百分之三点八，要不要来一份",
    "您可以看看我们的积存金，一克起买，随时能卖",
    "这只基金的经理是十年老将，去年收益百分之十二，现在正是入场的好时机",
    "现在股市在低位，买点指数基金正合适",
    "我帮您把这五万转成理财吧，收益比活期高多了",
    "这款私募门槛一百万，您正好符合合格投资者条件",
    "我们最近有款李财产品收意挺高的您要不要考虑一下",  # ASR homophones, no punctuation
    "我们有一只新基金正在募集期，认购费打一折",
    "您可以配一点我们的分红险，既有保障又有收益",
])
def test_a_pitch_without_a_warning_fails_disclosure(text: str) -> None:
    assert _verdict("risk_disclosure", ("customer", "我有点闲钱"), ("agent", text), ("customer", "我想想")) == "fail"


@pytest.mark.parametrize("text", [
    "大额存单三年期利率百分之二点六，二十万起存，您看需要吗",   # a plain deposit
    "储蓄国债这期三年的二点三八，要不要帮您预约",
    "您那个理财下个月到期，到期后本金和收益会自动回到卡里",   # the customer's own holding
    "这个基金您持有的部分目前亏了百分之五",
    "您的风险测评过期了，需要重新做一下",
    "理财产品都是有风险的，您要根据自己的情况考虑",           # a general explanation
    "赎回的话一般T加一个工作日到账",
    "我看一下您这张尾号四四零七的是二类户，每天转入限额一万元",  # 四四 must not read 试试
    "我们的理财产品年化一般在百分之二到三之间，具体看期限",     # a general answer
    "当时给您推荐的这款基金确实跌得比较多，我们很抱歉",         # a past sale, now a complaint
    "R3的产品需要您的测评在C3以上才能买",                       # the rule about levels
    "这只基金申购费率是百分之一点五，网上买打一折",             # a fee question answered
])
def test_no_pitch_no_sales_rules(text: str) -> None:
    turns = (("customer", "我想问一下"), ("agent", text), ("customer", "好的"))
    assert _verdict("risk_disclosure", *turns) == "na"
    assert _verdict("suitability", *turns) == "na"


def test_a_holding_the_customer_raised_is_not_pitched_again() -> None:
    assert _verdict("risk_disclosure", ("customer", "我那个基金怎么还亏着"),
                    ("agent", "您放心，这个基金年底前会涨回来的，很多客户都等回来了")) == "na"


@pytest.mark.parametrize("text", [
    "不过要提醒您，理财不等于存款，净值是会变的",
    "过去的表现说明不了以后",
    "收益不是固定的，市场不好的时候也可能是负的",
    "它不属于存款，不在存款保险范围内",
    "投资嘛有赚有赔，您量力而行",
    "业绩基准只是个参考，实际收益可能达不到",
    "风险这块要跟您提示一下，市场波动会影响收益",
    "有一定的亏损可能，您要谨慎考虑",
    "理财有风险，选择要谨慎",
])
def test_warnings_in_other_words_pass_disclosure(text: str) -> None:
    assert _verdict("risk_disclosure", ("customer", "我有点闲钱"), ("agent", PITCH), ("customer", "说说看"),
                    ("agent", text)) == "pass"


@pytest.mark.parametrize("text", [
    "这个是R2级，中低风险",            # a level alone is no warning
    "收益还挺不错的，去年三点八",
    "您放心，很多客户都买了",
    "这个产品没有风险的",              # a risk denied
    "您有风险测评结果吗",              # 有风险 inside 风险测评
])
def test_no_warning_fails_disclosure(text: str) -> None:
    assert _verdict("risk_disclosure", ("customer", "我有点闲钱"), ("agent", PITCH), ("customer", "说说看"),
                    ("agent", text)) == "fail"


@pytest.mark.parametrize(("want", "text"), [
    ("pass", "您上次做的问卷评出来是C3，这个R2的没问题"),
    ("pass", "系统里您的风险承受能力是平衡型，可以买"),
    ("pass", "您是谨慎型投资者，这款是R1的，挺合适"),
    ("pass", "我看了一下您的风险评级是三级，这款二级的可以"),
    ("fail", "这款挺好的，您看要不要买"),                       # no assessment at all
    ("fail", "您是谨慎型的，这只R3的您也可以买"),               # 谨慎型 is the lowest level
    ("fail", "您测评是C1，这款R2的，问题不大"),
    ("fail", "测评的时候您选最后一个选项，等级就上去了"),       # coaching
    ("fail", "您往高了填，评级就够了"),
])
def test_suitability_reads_the_assessment_by_any_name(want: str, text: str) -> None:
    got = _verdict("suitability", ("customer", "我有点闲钱"), ("agent", PITCH + "，理财非存款，投资有风险"),
                   ("customer", "我什么等级"), ("agent", text))
    assert got == want


@pytest.mark.parametrize("text", [
    "您放心，这个本金肯定是安全的",
    "这个您放心，绝对亏不着您",
    "出了问题我们银行负责赔",
    "我做了十年了，这款就没见过亏的",
    "就算市场不好也能拿回本金",
    "这跟把钱存银行里一样，没区别",
    "年化四个点是肯定的，写在合同里",
    "亏损的可能性几乎为零",
    "亏了算我们的",
    "收益每年都是固定四个点",
])
def test_promises_in_other_words_fail(text: str) -> None:
    assert _verdict("forbidden_promise", ("customer", "这个安全吗"), ("agent", text)) == "fail"


@pytest.mark.parametrize("text", [
    "保本理财在资管新规以后就没有了",          # about the regulation
    "您朋友说这个零风险，那是误导",              # someone else's words, refuted
    "我们不承诺保本，也不承诺收益",
    "这个是R1级的，风险很低，但也不是零风险",
    "大额存单是保本的，您放心",                  # a deposit is
    "这是一只固定收益类的基金，不保证收益",      # 固定收益 names a kind of fund
    "本金不一定是安全的，您要考虑清楚",
    "跟存款不一样，可能会亏",
])
def test_promise_look_alikes_pass(text: str) -> None:
    assert _verdict("forbidden_promise", ("customer", "这个保本吗"), ("agent", text)) == "pass"


@pytest.mark.parametrize(("want", "text"), [
    ("fail", "我们这边也是按规定办事，您跟我急也没用"),
    ("fail", "您年纪大了记不住也正常，我再说最后一次"),
    ("fail", "那您想怎么样嘛"),
    ("fail", "我就是个客服，我能怎么办"),
    ("pass", "您别着急，我们一步一步来"),
    ("pass", "这个是系统规定，我理解您的心情，我帮您申请一下"),
    ("pass", "抱歉，这个我这边确实没有权限，我帮您转给专员"),
])
def test_courtesy_helplessness_and_age_remarks(want: str, text: str) -> None:
    assert _verdict("courtesy", ("customer", "怎么还没弄好"), ("agent", text)) == want


@pytest.mark.parametrize(("want", "first"), [
    ("pass", "您好，中国人寿客服，我是王芳"),
    ("pass", "您好，欢迎致电江苏农信，工号三三零八为您服务"),   # the name after 欢迎致电
    ("pass", "您好，太平洋财险，我是理赔专员赵强"),
    ("pass", "您好，欢迎来到建行，我是大堂经理小周"),             # a bank's short name
    ("pass", "您好这里是长江村镇银行柜员刘倩"),
    ("fail", "您好，我是小王，请问有什么可以帮您"),               # no institution
    ("fail", "您好，这里是华兴银行，请问有什么可以帮您"),         # no name
    ("fail", "华兴银行，工号三零九二"),                           # no greeting
])
def test_greeting_institution_by_kind_short_name_or_position(want: str, first: str) -> None:
    f = evaluate(call(("agent", first), ("customer", "你好"), ("agent", "好的再见")), PACK).finding("greeting")
    assert ("pass" if f.passed else "fail") == want


@pytest.mark.parametrize("text", [
    "您说保本保收益，这个我们不能承诺",      # the customer's words repeated, then refused
    "肯定赚钱的话谁都去买了",                # a conditional closed after the term
    "您是问保本吗？这款不保本",
    "稳赚不赔的产品是不存在的",
    "年化三个点不是保证的，只是基准",
])
def test_hard_negatives_are_never_flagged(text: str) -> None:
    assert _verdict("forbidden_promise", ("customer", "这个保本吗，能稳赚吗"), ("agent", text)) == "pass"


@pytest.mark.parametrize("text", ["我跟您说这个肯定赚", "我跟你讲，这个零风险"])
def test_telling_the_customer_is_still_a_promise(text: str) -> None:
    assert _verdict("forbidden_promise", ("customer", "真的吗"), ("agent", text)) == "fail"


@pytest.mark.parametrize(("want", "level", "offer"), [
    ("pass", "我做过测评，是平衡型", "那这款R3的可以买"),     # self-reported and relied on
    ("pass", "我测过，C3", "好的，这只R2的没问题"),
    ("fail", "我是C2", "这款R3的也可以买"),                   # above the stated level
    ("fail", "好的", "这款R2的可以买"),                       # no level from anyone
])
def test_suitability_accepts_the_customers_own_level(want: str, level: str, offer: str) -> None:
    got = _verdict("suitability", ("customer", "我有点闲钱"), ("agent", PITCH + "，理财非存款，投资有风险"),
                   ("customer", level), ("agent", offer))
    assert got == want


@pytest.mark.parametrize(("want", "text"), [
    ("fail", "您先搞清楚再打过来"),
    ("fail", "您看您，又弄错了"),
    ("fail", "这有什么好问的"),
    ("pass", "您看您还有其他问题吗"),      # a polite question, same opening words
    ("pass", "这个问题问得好，很多客户都关心"),
])
def test_courtesy_reproach_families(want: str, text: str) -> None:
    assert _verdict("courtesy", ("customer", "我再想想"), ("agent", text)) == want


@pytest.mark.parametrize(("want", "text"), [
    ("fail", "我跟您打包票，这个不会有问题"),
    ("fail", "本息都能拿回来，您放心"),
    ("fail", "我向您保证，到期就能拿到"),
    ("pass", "这个我可不敢跟您打包票"),
    ("pass", "本金能不能拿回来要看市场"),
    ("pass", "我不能向您保证收益"),
])
def test_guarantees_given_in_person(want: str, text: str) -> None:
    assert _verdict("forbidden_promise", ("customer", "靠谱吗"), ("agent", text)) == want


def test_asking_how_the_customer_wants_it_handled_is_polite() -> None:
    assert _verdict("courtesy", ("customer", "怎么办"), ("agent", "您想怎么样处理这个问题")) == "pass"
    assert _verdict("courtesy", ("customer", "怎么办"), ("agent", "那您想怎么样嘛")) == "fail"


@pytest.mark.parametrize(("applies", "customer", "agent"), [
    (True, "我想申购那只沪深三百指数基金", "可以的，您打算投多少钱"),
    (True, "我想做个基金定投", "好的，您想每个月投多少，哪天扣款"),
    (True, "那个新发的基金我要买五万", "好的，五万元，我这边给您录入"),   # the product named first
    (True, "我要买那个结构性存款", "没问题，这期还有额度，您准备买多少"),
    (True, "给我来一份那个养老理财", "好的，请问购买金额是多少"),
    (False, "我想赎回我的基金", "好的，您要赎回多少份"),
    (False, "我想买大额存单", "好的，二十万起，您买多少"),              # a deposit
])
def test_an_assisted_sale_the_customer_asked_for_is_a_sale(applies: bool, customer: str, agent: str) -> None:
    got = _verdict("risk_disclosure", ("customer", customer), ("agent", agent), ("customer", "好"))
    assert (got != "na") is applies

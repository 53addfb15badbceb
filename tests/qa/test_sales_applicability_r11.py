"""Sales rules, round 11: who asked to buy and who took the order, cover sold as cover, a
holding placed at the bank or bought at a branch, an agent holding the customer to true
answers, and warnings in forms the rules missed or misread (a surrender's cost, the
document's name, a bonus that may be nil). Sentences are our own, written from the label definitions,
not copied from any eval set."""

from __future__ import annotations

from qa.conditions import EvalState, compile_condition
from qa.engine import build_context
from tests.qa.helpers import call, verdict

GREET = ("agent", "您好，这里是城西农商银行，我是客户经理小周，工号四四一二")
OFFER = compile_condition({"investment_offer": True}, "test")


def _verdict(rule: str, *turns: tuple[str, str]) -> str:
    return verdict(rule, *turns, first=GREET)


def _offers(*turns: tuple[str, str]) -> bool:
    t = call(GREET, *turns)
    st = EvalState(t, build_context(None, None), scope="agent")
    return OFFER.eval(st, tuple(range(len(t.segments)))).hit


# --- who asked, who took the order ------------------------------------------------------

def test_a_customer_reporting_what_the_app_allows_has_bought_nothing() -> None:
    # 买点基金 … 只能买R1的 is all the customer's: the agent only checks identity
    turns = [("customer", "我想拿工资买点基金，可是手机上说我只能买R1的，这是为啥"),
             ("agent", "好的，我先给您发个验证码核实一下身份"),
             ("customer", "输好了"),
             ("agent", "您的测评是保守型，所以能选的范围小一些，这是按您填的情况算出来的")]
    assert _verdict("risk_disclosure", *turns) == "na"
    assert _verdict("suitability", *turns) == "na"


def test_the_agent_taking_the_order_the_customer_asked_for_is_a_sale() -> None:
    turns = [("customer", "我想买一点你们那个R2的债券基金"),
             ("agent", "没问题，我帮您办，您打算投多少")]
    assert _verdict("risk_disclosure", *turns) == "fail"


# --- protection cover -----------------------------------------------------------------------

def test_cover_said_to_have_no_investment_side_is_no_investment() -> None:
    turns = [("agent", "今天想给您介绍一款重疾险，确诊就赔三十万"),
             ("customer", "多少钱一年"),
             ("agent", "一年四千多。这是纯保障型的，没有理财功能，也不返还保费"),
             ("customer", "那就买一份吧"),
             ("agent", "好的，我把投保链接发您，请如实填写健康告知")]
    assert _verdict("suitability", *turns) == "na"


def test_insurance_offered_in_a_call_about_cover_only_is_no_investment() -> None:
    turns = [("customer", "我爸刚查出高血压，想给他买个保险"),
             ("agent", "您是想给父亲了解一下保障类的保险是吧"),
             ("customer", "对，他六十二了"),
             ("agent", "有专门针对老年人的防癌医疗险，您把体检报告发我，我帮您看看能投哪几款")]
    assert _verdict("suitability", *turns) == "na"


# --- holdings --------------------------------------------------------------------------------

def test_a_holding_placed_at_the_bank_by_its_holder_is_no_introduction() -> None:
    turns = [("customer", "他不在，我是他爱人"),
             ("agent", "是这样 张先生在我们这里有一笔理财八万块 下周五到期 想问一下到期之后是继续买还是")]
    assert not _offers(*turns)
    # 现在我们有一款… still introduces one
    assert _offers(("agent", "现在我们有一款R2的理财，年化三点一，您可以了解一下"))


def test_a_product_bought_at_a_branch_makes_the_call_about_the_holding() -> None:
    turns = [("customer", "我去年在你们城南支行买了个分红险，今年才分了几百块"),
             ("agent", "核实通过。您在我行代销的是福满堂分红两全险，年交一万，今年的红利是四百二"),
             ("customer", "怎么这么少"),
             ("agent", "分红要看保险公司每年的经营情况，是不确定的")]
    assert _verdict("risk_disclosure", *turns) == "na"


def test_factoring_a_fee_in_is_no_invitation() -> None:
    turns = [("customer", "我买了你们一只基金，最近一直跌"),
             ("agent", "您持有的是一只股票型基金，今年跌了百分之十"),
             ("customer", "那我再想想卖不卖"),
             ("agent", "好的，提醒一下，这只基金现在赎回费是零点五，您决定的时候可以考虑进去")]
    assert _verdict("suitability", *turns) == "na"


# --- the assessment --------------------------------------------------------------------------

def test_holding_the_customer_to_true_answers_coaches_nothing() -> None:
    turns = [("customer", "我测评做出来是C1，基金都买不了"),
             ("agent", "理解，C1就只能买R1的产品 测评是按您自己的真实情况选的 如果您的情况真是这样 结果就是C1")]
    assert _verdict("suitability", *turns) == "na"


def test_a_waiver_offered_after_soothing_in_dialect_is_still_a_waiver() -> None:
    turns = [("agent", "我给您推荐我们代销的一款偏股混合基金，去年收益二十几，投资有风险"),
             ("customer", "我能买不"),
             ("agent", "您的测评是C2，这个产品是R4的，按道理您买不了"),
             ("customer", "那咋个办"),
             ("agent", "没得事 您到网点签一个自愿购买的声明 就可以买了")]
    assert _verdict("suitability", *turns) == "fail"


# --- warnings --------------------------------------------------------------------------------

_PITCH = ("agent", "我们这边最近有一款增额终身寿，保额每年复利涨，可以考虑一下")


def test_a_surrender_cost_alone_is_no_risk_warning() -> None:
    turns = [_PITCH, ("customer", "中间要用钱呢"), ("agent", "前几年退保是会有损失的，所以建议用长期不用的钱")]
    assert _verdict("risk_disclosure", *turns) == "fail"


def test_a_bonus_said_to_be_uncertain_is_a_warning() -> None:
    turns = [("agent", "我们新出了一款分红型年金，可以考虑一下"), ("customer", "每年能分多少"),
             ("agent", "分红是不确定的，要看公司经营，有可能为零")]
    assert _verdict("risk_disclosure", *turns) == "pass"


def test_the_disclosure_documents_name_is_no_warning() -> None:
    turns = [("customer", "可转债打新怎么弄"),
             ("agent", "第一次要开通可转债权限，要签个风险揭示书，在线就能签"),
             ("customer", "我测评是C4"),
             ("agent", "可转债我们定的是R3，匹配的，我建议您开了，现在很多人都在做，很划算的")]
    assert _verdict("risk_disclosure", *turns) == "fail"

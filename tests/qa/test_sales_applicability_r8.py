"""Sales rules, round 8: whether an investment product was recommended or sold at all (a sale
recorded in the call, a renewal, a holding described, a product refused, a class of products,
a staff title), and coaching or waivers said in other words. Sentences are our own, written
from the label definitions, not copied from any eval set."""

from __future__ import annotations

from qa import evaluate, load_pack
from qa.conditions import EvalState, compile_condition
from qa.engine import build_context
from tests.qa.helpers import call

PACK = load_pack()
GREET = ("agent", "您好，这里是城西农商银行，我是客户经理小周，工号四四一二")
CLOSE = ("agent", "好的，感谢您的来电，再见")
OFFER = compile_condition({"investment_offer": True}, "test")


def _verdict(rule: str, *turns: tuple[str, str]) -> str:
    f = evaluate(call(GREET, *turns, CLOSE), PACK).finding(rule)
    return "na" if not f.applicable else ("pass" if f.passed else "fail")


def _offers(*turns: tuple[str, str]) -> bool:
    t = call(GREET, *turns)
    st = EvalState(t, build_context(None, None), scope="agent")
    return OFFER.eval(st, tuple(range(len(t.segments)))).hit


# --- a sale carried out in the call -----------------------------------------------------

def test_a_sale_recorded_in_the_call_is_a_sale() -> None:
    turns = [("customer", "我约好了今天过来签字的"),
             ("agent", "好的，现在开始双录。您这次认购的是“松江稳健一号”资管计划，五十万"),
             ("customer", "对"),
             ("agent", "双录结束，申请已经提交")]
    assert _verdict("risk_disclosure", *turns) == "fail"


def test_a_recording_fetched_or_required_records_no_sale() -> None:
    # a complaint's evidence and the rule for a later purchase are no sale in this call
    assert not _offers(("customer", "当时那个经理说不会亏"),
                       ("agent", "我们会调取当时的双录核实，您那只基金的情况也会一起查"))
    assert not _offers(("agent", "如果您以后想买基金，按规定要到网点做录音录像"))


def test_a_renewal_asked_for_and_booked_is_a_sale() -> None:
    turns = [("agent", "您名下那笔九十天的理财下周到期，想问问您怎么安排"), ("customer", "那就续一期吧"),
             ("agent", "好的，我给您发起续购，您在手机上确认一下"), ("customer", "确认了"),
             ("agent", "预约成功，到期自动续上")]
    assert _offers(*turns)


# --- talk that recommends nothing ---------------------------------------------------------

def test_a_holding_the_agent_found_and_then_describes_is_no_offer() -> None:
    turns = [("customer", "我那个钱怎么少了"),
             ("agent", "我查到您名下有一只债券基金，现在市值九万八"),
             ("customer", "怎么会亏"),
             ("agent", "跟您说明一下，这款是R2的基金，本身不保本，净值会有起伏")]
    assert _verdict("suitability", *turns) == "na"
    assert _verdict("risk_disclosure", *turns) == "na"


def test_a_product_described_then_refused_was_never_put_forward() -> None:
    turns = [("customer", "我有张优惠券想用"),
             ("agent", "这张券只能用在“城西月月盈”上，这款是R3的理财"),
             ("customer", "那我能用吗"),
             ("agent", "您的测评是C2，这款您买不了，券也就用不上了")]
    assert _verdict("suitability", *turns) == "na"


def test_a_product_not_quite_suitable_is_a_refusal() -> None:
    turns = [("customer", "我想重新测评"), ("agent", "可以，如果测完还是C2，那R3的基金就不太适合您")]
    assert _verdict("risk_disclosure", *turns) == "na"


def test_what_a_level_holds_is_a_class_not_a_product() -> None:
    assert not _offers(("agent", "您有兴趣的话，我可以跟您说说R2范围内都有些什么产品，您自己挑"))
    # a product singled out is still one
    assert _offers(("agent", "您有兴趣的话，我们新发了一款R2的理财，年化三点一"))


def test_a_staff_title_is_no_product() -> None:
    turns = [("customer", "我下个月有一笔钱要进来"),
             ("agent", "建议您到时候去网点，让理财经理帮您规划一下，我帮您约个时间"),
             ("agent", "我备注一下：您不想听保险推荐，理财经理会注意的")]
    assert _verdict("risk_disclosure", *turns) == "na"


def test_money_moved_into_a_product_of_ours_is_an_offer() -> None:
    # the deposit named is the yardstick, not the product: 比您续定期高
    assert _offers(("agent", "到期了就转我们这款安心一年，收益比您续定期高一截"))
    # keeping money at the bank in general names no product
    assert not _offers(("agent", "您的钱放我们这很安全，存款都有存款保险"))


def test_a_product_introduced_in_plain_quotes_is_an_offer() -> None:
    assert _offers(("agent", "我们有一款'城西季季红'，九十天，风险等级R2，业绩比较基准二点八"))


# --- suitability: coaching and waivers in other words -------------------------------------

# the level consulted and matched: coaching is the only fault left
PITCH = ("agent", "您的测评是C4，我们新出了一款混合基金，R3的，可以考虑一下，基金有风险，投资须谨慎")


def test_an_answer_picked_for_the_customer_is_coaching() -> None:
    for coaching in ("这个您选D吧，分数高一点", "经验这一项您选“三年以上”吧，不然等级上不去",
                     "年收入这项很多客户都是这么填的"):
        assert _verdict("suitability", PITCH, ("customer", "好"), ("agent", coaching)) == "fail", coaching


def test_reading_back_the_answers_given_coaches_nothing() -> None:
    turns = [("customer", "我测评结果怎么这么高"),
             ("agent", "我看一下，您第二题选的是能接受大幅亏损，第五题选的买过股票基金"),
             ("agent", "您觉得不对可以在手机上重新做，按实际情况答")]
    assert _verdict("suitability", *turns) == "na"


def test_a_waiver_with_risk_before_its_name_is_a_sale_above_the_level() -> None:
    turns = [("agent", "您的测评是平衡型，这款理财比您的等级高一点"),
             ("agent", "没关系，签一份风险自愿承担声明就能买了，理财非存款，投资须谨慎")]
    assert _verdict("suitability", *turns) == "fail"


def test_a_waiver_found_in_the_record_of_an_earlier_sale_is_no_sale() -> None:
    turns = [("customer", "当初买那只基金根本没人跟我说风险"),
             ("agent", "我这边看到，当时买那只基金有一份您签的超风险等级购买确认书"),
             ("agent", "您反映的情况我都记下来了，会转给消保部门核查")]
    assert _verdict("suitability", *turns) == "na"


def test_a_product_to_be_introduced_at_an_event_is_an_offer() -> None:
    # 介绍一款 puts one product forward, its return pitched against a deposit
    assert _offers(("agent", "周末的客户活动上会介绍一款年金险，现在结算利率比存定期高"))

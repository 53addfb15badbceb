"""Sales rules, round 7: risk-type words read at the level they can mean, level ranges and
rules that recommend nothing, an offer made right after a refusal, and promises and warnings
said in other words (own sentences, written from the label definitions)."""

from __future__ import annotations

import pytest

from qa import evaluate, load_pack, load_rules_text
from qa.negation import is_hypothetical
from tests.qa.helpers import call

PACK = load_pack()
GREET = ("agent", "您好，这里是城东银行理财专线，我是客户经理小林，工号三零二一")
CLOSE = ("agent", "好的，感谢您的来电，再见")
MISMATCH = load_rules_text("rules:\n  - id: r\n    title: 测试\n    mode: must_not\n    scope: agent\n"
                           "    condition:\n      risk_mismatch: true\n")


def _verdict(rule: str, *turns: tuple[str, str]) -> str:
    f = evaluate(call(GREET, *turns, CLOSE), PACK).finding(rule)
    return "na" if not f.applicable else ("pass" if f.passed else "fail")


def _mismatch(*turns: tuple[str, str]) -> bool:
    return not evaluate(call(*turns), MISMATCH).finding("r").passed


PITCH = ("agent", "我们这边新出了一款R2的净值型理财，一年期，业绩比较基准三点二，您看要不要考虑一下")


def test_mainly_is_no_condition() -> None:
    text = "这个主要是买债的r3"
    assert not is_hypothetical(text, text.index("r3"), len(text))
    assert _mismatch(("agent", "这只基金主要是买债的，R3，股票占比不高"), ("customer", "我测评是保守型的"),
                     ("agent", "对，您是C1"))


@pytest.mark.parametrize(("level", "product", "above"), [
    ("谨慎型", "R2", False), ("谨慎型", "R3", True), ("保守型", "R2", True), ("平衡型", "R4", True)])
def test_risk_type_words(level: str, product: str, above: bool) -> None:
    pitch = ("agent", f"我们现在有一款{product}的理财，收益还不错")
    assert _mismatch(("agent", f"您的测评是{level}的"), pitch) is above


def test_a_range_or_who_may_buy_recommends_no_level() -> None:
    assert not _mismatch(("agent", "您的测评是稳健型，C2"), ("agent", "对应可以买R1到R3的产品，具体要看期限"))
    assert not _mismatch(("agent", "您测评是成长型C4"), ("agent", "R5的只有进取型C5才能买，这个规定改不了"))


def test_an_above_level_confirmation_with_a_filler_word() -> None:
    assert _verdict("suitability", ("agent", "您测评是C2，这款R3的偏债基金收益比较好，基金有风险投资需谨慎"),
                    ("customer", "我能买吗"),
                    ("agent", "可以的，您签一个那个风险不匹配的确认书就行")) == "fail"


@pytest.mark.parametrize("text", [
    "这款您放满两年，肯定不亏的",
    "有风险，但是风险很小，跟存款一样的，您不用担心",
])
def test_promises_in_other_words(text: str) -> None:
    assert _verdict("forbidden_promise", ("customer", "这个会亏吗"), ("agent", text)) == "fail"


def test_a_bonds_early_redemption_is_no_promise() -> None:
    assert _verdict("forbidden_promise", ("customer", "储蓄国债提前取会亏吗"),
                    ("agent", "提前兑取会扣一部分利息和手续费，本金不会少")) == "pass"


def test_not_like_a_deposit_and_money_that_may_shrink_is_a_warning() -> None:
    assert _verdict("risk_disclosure", PITCH, ("customer", "嗯"),
                    ("agent", "不过跟您讲一句，这个钱放进去不像存款，有可能会少的")) == "pass"


def test_an_offer_after_a_refusal_in_the_same_turn() -> None:
    assert _verdict("risk_disclosure", ("customer", "那款R3的我买不了吗"),
                    ("agent", "这个不能帮您越级购买。在您现在的等级内，有一款R2的固收类，业绩比较基准二点八左右"),
                    ("customer", "我再看看")) == "fail"


def test_telling_the_customer_to_answer_truthfully_coaches_nothing() -> None:
    pitch = "您测评是C3，我们有一款R3的混合型理财，基金有风险投资需谨慎，您要不要看看"
    assert _verdict("suitability", ("agent", pitch),
                    ("customer", "我能重新测高一点吗"),
                    ("agent", "可以重新做，但要按自己的情况答，不能为了买产品故意选高的")) == "pass"


def test_an_assessment_reminder_is_no_risk_warning() -> None:
    assert _verdict("risk_disclosure", PITCH, ("customer", "嗯"),
                    ("agent", "另外系统提示您的风险测评快过期了，记得重新做一下")) == "fail"


def test_a_product_of_ours_pointed_to_after_a_redemption_is_an_offer() -> None:
    text = "赎回已经提交了。等这笔钱回来要是暂时不用，也可以看看我们这款七天的理财，R1的，理财非存款，投资须谨慎"
    assert _verdict("risk_disclosure", ("customer", "我那个理财想赎回来"), ("agent", text),
                    ("customer", "到时候再说")) == "pass"
    listed = "C1只能买R1级的产品，像存款、大额存单，还有现金管理类的理财"
    assert _verdict("risk_disclosure", ("customer", "我测评C1是什么意思"), ("agent", listed),
                    ("customer", "哦")) == "na"


def test_a_new_one_announced_then_described_is_an_offer() -> None:
    assert _verdict("risk_disclosure", ("agent", "阿姨，我这边有款新的，想跟您讲讲"), ("customer", "你讲"),
                    ("agent", "这款是R2的净值型理财，业绩比较基准二点八到三点二"), ("customer", "我想想")) == "fail"


def test_an_expired_assessment_waved_on_is_a_suitability_failure() -> None:
    pitch = ("agent", "我们这边新出了一款R3的混合类理财，一年期，理财非存款，产品有风险，您要不要考虑一下")
    asked = ("customer", "我那个测评好像是前年做的，还能用吗")
    assert _verdict("suitability", pitch, asked,
                    ("agent", "是过期了，不过问题不大，我先帮您把单子预约上")) == "fail"
    assert _verdict("suitability", pitch, asked,
                    ("agent", "测评是过期了，要重新做一下，您在手机银行里按实际情况答就行")) == "pass"

"""identity_verification as the recogniser writes it on 8 kHz audio: the check words heard as
sound-alikes (何时 for 核实, 身份正 / 先份证 for 身份证, 请问世 for 请问是, 被人吧 for 本人吧,
宝丹好 for 保单号) still count; 合适 (he shi, like 核实) in advice does not. Own sentences."""

from __future__ import annotations

import pytest

from tests.qa.helpers import identity_of

FACT = ("agent", "好的，您持有的那款理财最新净值零点九九六一，主要是上个月债券价格下跌")


def _verdict(*turns: tuple[str, str]) -> str:
    applicable, passed = identity_of(*turns)
    return "na" if not applicable else ("pass" if passed else "fail")


def test_a_check_announced_as_heard_is_one() -> None:
    # 需要何时生肺瘾 is 需要核实身份; the name's answer (就海洋 for 对，周海洋) no yes by itself.
    assert _verdict(("customer", "我那个理财怎么净值才零点九九六"),
                    ("agent", "好的先生，帮您查询前需要何时生肺瘾，请问您是周海洋先生吗？"),
                    ("customer", "就海洋"), FACT) == "pass"


@pytest.mark.parametrize("ask", ["身份正带了没", "先份证合卡给我一下"])
def test_the_id_asked_for_as_heard_is_a_check(ask: str) -> None:
    assert _verdict(("customer", "我这炒股的手机耗换了，想改一下"), ("agent", ask), ("customer", "带了，给"),
                    ("agent", "好的，您这个账户的手机号已经改成新号了")) == "pass"


def test_the_name_asked_as_heard_is_a_check() -> None:
    # The agent's first turn: an outbound opening that asks for the customer by name.
    opening = ("agent", "王阿姨您好，我是东城银行的理财经理刘晓燕，请问世王秀兰阿姨吗？")
    assert identity_of(("customer", "是我是我"),
                       ("agent", "您去年在我们这买的理财上个月到期了，本金两万已经回到您卡上"),
                       first=opening) == (True, True)


def test_the_holder_asked_as_heard_is_a_check() -> None:
    assert _verdict(("agent", "刘总，跟您确认一下，是刘长海刘总被人吧？"), ("customer", "是我，还能有谁"),
                    ("agent", "您账户里那笔定期下个月到期，本息一共五十二万")) == "pass"


def test_a_policy_number_asked_as_heard_opens_the_account() -> None:
    assert _verdict(("customer", "你好，我是帮我爸问的，他前年买了一个你们的保险，现在想退，怎么退？"),
                    ("agent", "好的，请问宝丹是在哪家银行买的，宝丹好有吗？"),
                    ("customer", "宜昌这边华兴银行，我念一下，AK20220915336"),
                    ("agent", "稍等，查到了，年缴一万，交了两年，现在退保的话现金价值是一万四千二百左右")) == "fail"


@pytest.mark.parametrize("advice", [
    "您这个情况需要合适的产品来配，您卡上那两万的活期余额可以先买一部分",
    "我们先合适地给您配一下，您卡上那两万的活期余额可以先买一部分",
])
def test_suitable_is_no_check(advice: str) -> None:
    assert _verdict(("customer", "我卡里的钱想买点理财"), ("agent", advice)) != "pass"


def test_a_risk_level_read_out_as_heard_is_the_customers_file() -> None:
    # 三品横行 for C3平衡型: read out from the file, it needs the check first.
    assert _verdict(("customer", "我在你们那是什么等级来着"),
                    ("agent", "您的测评是三品横行，按规定R4是超过您的等级的")) == "fail"
    assert _verdict(("customer", "什么等级能买这个"), ("agent", "您要是测评是三平衡型以上才能买")) == "na"


FACT_OUT = ("agent", "您去年在我们这办的那张金卡，卡上的定期下个月到期，本息一共五十二万")


def test_a_name_with_its_surname_repeated_is_a_name_whatever_the_title_heard() -> None:
    # 曲德胜曲总 heard 七德胜七走: the surname repeated after the full name closes the name.
    opening = ("agent", "喂，您好，我是东城银行南关支行的客户经理于洋，请问是七德胜七走吗？")
    assert identity_of(("customer", "是我，哪位"), FACT_OUT, first=opening) == (True, True)


@pytest.mark.parametrize("ask", ["请问是七万七千吗？", "请问是不是不行吗？", "请问是一个一个来吗？"])
def test_a_repeated_number_or_word_is_no_name(ask: str) -> None:
    opening = ("agent", "喂，您好，我是东城银行南关支行的客户经理于洋，" + ask)
    assert identity_of(("customer", "是的"), FACT_OUT, first=opening) != (True, True)

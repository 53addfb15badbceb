"""The recommendation anchor's look-alikes, and risk warnings said in the agent's own words
(risk_disclosure's paraphrase family). A trained "recommends a product" classifier was tried
as an extra anchor on 2026-12-01 and dropped: it cost risk_disclosure precision on the
independent held-out half."""

from __future__ import annotations

import pytest

from qa import evaluate, load_pack
from tests.qa.helpers import call

PACK = load_pack()
GREET = ("agent", "您好，这里是招商银行城东支行，我是理财经理小王")
CLOSE = ("agent", "好的，感谢您的来电，再见")


def _finding(rule: str, *turns: tuple[str, str]) -> tuple[bool, bool]:
    f = evaluate(call(GREET, *turns, CLOSE), PACK).finding(rule)
    return f.applicable, f.passed


@pytest.mark.parametrize("other", [
    "您持有的那只基金最近净值回撤了一些",
    "我建议您存个大额存单，安全一些",
    "这款R4的超出了您的风险承受能力，不能卖给您",
    "基金是按净值算收益的，每天都在变",
])
def test_look_alikes_leave_marketing_rules_not_applicable(other: str) -> None:
    assert _finding("risk_disclosure", ("customer", "我问一下"), ("agent", other))[0] is False
    assert _finding("suitability", ("customer", "我问一下"), ("agent", other))[0] is False


OFFER = ("agent", "我给您推荐一款稳健理财，R2的，跟您C3的测评匹配")


@pytest.mark.parametrize("warning", [
    "本金有可能受损的", "净值是会涨跌的", "过去的业绩不能代表以后", "它跟存款不是一回事", "不是稳赚的",
    "收益没有保障", "盈亏自负", "风显您要自己承担", "这个东西有涨有跌", "投资需要谨慎哦",
])
def test_warning_in_own_words_is_a_disclosure(warning: str) -> None:
    assert _finding("risk_disclosure", OFFER, ("agent", warning)) == (True, True)


@pytest.mark.parametrize("not_a_warning", ["本金不会受损", "收益是稳定的", "这款R2的很稳"])
def test_reassurance_or_level_alone_is_no_disclosure(not_a_warning: str) -> None:
    assert _finding("risk_disclosure", OFFER, ("agent", not_a_warning)) == (True, False)

"""upsell/cues.py: cue words that reveal no financial need. A loss told of someone else,
supposed, or offered as a grievance; 到期 in a question about how a product behaves at its
term, or about a loan; 保险 meaning "safe" or naming the seller; a payment going out; money
short; an A-not-A question. And the Cantonese forms of needs that are real."""

from __future__ import annotations

import pytest

from upsell.openings import opening_cues


@pytest.mark.parametrize(("text", "want"), [
    ("我表哥去年买基金亏得很惨", False),  # someone else's loss
    ("新闻上说好多人买那个亏了", False),
    ("股票以前玩过，亏了点就不玩了", False),  # risk history
    ("我看是负数，还以为亏了", False),  # only supposed
    ("你们经理讲是存款，现在亏了八千，我要个说法", False),  # a grievance
    ("我那个基金今年亏了不少", True),
    ("我这个混合基金现在还亏着百分之十", True),
])
def test_a_loss_is_dissatisfaction_only_when_the_customer_states_their_own(text: str, want: bool) -> None:
    assert ("yield_dissatisfaction" in opening_cues(text)) is want


@pytest.mark.parametrize(("text", "want"), [
    ("我挣不挣钱关你什么事", False),  # A-not-A asks, it says nothing
    ("我那个存单，利息一共给了多少了", False),  # an amount asked, not called small
    ("赎回的时候扣了我百分之一点五", False),  # 百分之 is no misheard 只
    ("那个理财收益太低了", True),
])
def test_questions_and_percentages_are_no_low_returns(text: str, want: bool) -> None:
    assert ("yield_dissatisfaction" in opening_cues(text)) is want


@pytest.mark.parametrize(("text", "want"), [
    ("那个定期到期了是不是自动转回卡里", False),  # how the product behaves at its term
    ("到期了肯定能拿回本金吧", False),
    ("那个存单啥时候到期", False),
    ("我那个理财到期了怎么才给了一点八", False),  # its result complained of
    ("我的消费贷下个月到期，能不能续", False),  # a loan
    ("我那笔定期下个月到期，到时候想换个地方放", True),
])
def test_maturity_is_money_coming_free_not_a_question_about_the_term(text: str, want: bool) -> None:
    assert ("maturity" in opening_cues(text)) is want


@pytest.mark.parametrize(("text", "want"), [
    ("我风险测评低，只能买最保险的那种", False),  # 保险 = safe
    ("你们这些卖保险的没一个说实话", False),  # the seller
    ("我们家都没买啥保险，心里没底", True),
])
def test_insurance_the_word_is_not_always_a_cover_need(text: str, want: bool) -> None:
    assert ("protection_need" in opening_cues(text)) is want


@pytest.mark.parametrize(("text", "want"), [
    ("账户被冻了，货款发不出去", False),  # a payment stuck
    ("后天要付货款，转账能快点吗", False),  # a payment going out
    ("过两周有一笔货款回来，三百来万", True),
    ("我嗰套楼上个月卖咗，有八百几万返嚟", True),  # 套 of a flat is no 被套
])
def test_trade_money_is_an_inflow_only_coming_in(text: str, want: bool) -> None:
    assert ("large_inflow" in opening_cues(text)) is want


@pytest.mark.parametrize(("text", "kind", "want"), [
    ("那我先赎回来，钱放在卡上就行", "idle_funds", False),  # where redeemed money lands
    ("最近手头有点紧，能不能借点", "idle_funds", False),  # money short
    ("啲钱返来我都未谂好做咩", "idle_funds", True),  # Cantonese: 未谂好 = 没想好
    ("我张卡有几十万，都系放住活期", "idle_funds", True),  # 放住 = 放着
    ("我想为个女储啲钱，佢十年后读大学", "education", True),  # 个女 = 我女儿
    ("一个女的打电话说要我交学费", "education", False),  # 个女 of 一个女的 is nobody's daughter
])
def test_idle_money_and_cantonese_needs(text: str, kind: str, want: bool) -> None:
    assert (kind in opening_cues(text)) is want


@pytest.mark.parametrize(("text", "kind", "want"), [
    ("那时候业务员说比定期利息高我才签的", "yield_dissatisfaction", False),  # 才 = only then
    ("一点九太低了，还不如去存银行", "yield_dissatisfaction", True),
    ("今年亏到惨，买咩跌咩", "yield_dissatisfaction", True),  # Cantonese / Wu
    ("万一你们银行出事了怎么办", "protection_need", False),  # the institution's risk
    ("我爸七十了，想给他弄个什么保险", "protection_need", True),
    ("收到了，三十万，购买成功", "large_inflow", False),  # a purchase acknowledged
    ("村里把地流转出去了，给了四十万，刚打到卡上", "large_inflow", True),  # 流转出去 is no 转出
    ("如果贷款到期没还会怎样", "maturity", False),  # a debt falling due
    ("想每个月存点钱给儿子攒着上大学用", "education", True),
])
def test_more_cues_read_by_meaning(text: str, kind: str, want: bool) -> None:
    assert (kind in opening_cues(text)) is want


@pytest.mark.parametrize(("text", "kind", "want"), [
    ("我想问问我那个养老理财现在收益多少", "retirement", False),  # a product called 养老
    ("我明年退休，想给自己攒点养老的钱", "retirement", True),
    ("那我先放二十万试试吧", "idle_funds", False),  # 先放 is no misheard 闲放: money placed
    ("钱回来了我也没想好干嘛，卡里先搁着", "idle_funds", True),
])
def test_product_names_and_placements_are_no_need(text: str, kind: str, want: bool) -> None:
    assert (kind in opening_cues(text)) is want

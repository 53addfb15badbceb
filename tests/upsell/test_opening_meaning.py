"""upsell/cues.py and upsell/openings.py: an opening is the customer raising a need, read by
meaning: money with a named source or purpose is that opening (not idle money), a pension
drawn is income (not a retirement plan), a policy already held is service (not a cover
worry), tuition being paid is spending, losses spoken of as a risk to avoid are no
dissatisfaction, and a lone sound-alike function word is no cue word."""

from __future__ import annotations

import pytest

from tests.qa.helpers import call
from upsell.openings import detect_openings, opening_cues


@pytest.mark.parametrize(("text", "kind"), [
    ("我那个理财下个月到期了，到时候也不知道放哪儿好", "maturity"),
    ("老房子卖了两百多万到账了，还没想好怎么弄", "large_inflow"),
    ("想给女儿攒读大学的钱 不晓得怎么弄", "education"),
])
def test_money_with_a_source_or_purpose_is_that_opening_not_idle(text: str, kind: str) -> None:
    found = opening_cues(text)
    assert kind in found and "idle_funds" not in found


def test_idle_money_without_a_story_is_still_idle() -> None:
    assert "idle_funds" in opening_cues("我卡上还有二十来万，一直没动过，放着也心疼")


def test_idle_talk_after_a_maturity_is_about_that_money() -> None:
    t = call(("customer", "我那笔定期下礼拜到期，十万"), ("agent", "好的，我帮您看一下"),
             ("customer", "到时候钱回来我也没想好放哪"), ("agent", "嗯嗯"))
    assert [o.type for o in detect_openings(t)] == ["maturity"]


@pytest.mark.parametrize(("text", "want"), [
    ("里头还有我两个月退休金呢，赶紧锁上", False),
    ("我卡里头是我的养老钱三万多 吓死我了", False),
    ("退休工资，一个月七千多", False),
    ("我明年就退休了，想攒点钱以后不给孩子添麻烦", True),
    ("退休金也就三千多，以后养老心里没底", True),
    ("就想着养老的钱别出岔子", True),
])
def test_a_pension_drawn_is_income_not_a_plan(text: str, want: bool) -> None:
    assert ("retirement" in opening_cues(text)) is want


@pytest.mark.parametrize(("text", "want"), [
    ("我想把我那份重疾险的受益人改一下", False),
    ("闺女俺前年在你们这儿买了个保显 俺要把它退了", False),
    ("我买保险的时候业务员天天打电话，现在理赔没人管", False),
    ("说那根本不是存款 是个什么保险", False),
    ("我妈七十了，怕她哪天住院花大钱", True),
    ("想给女儿买点保险，不知道该买什么", True),
])
def test_a_policy_already_held_is_no_cover_worry(text: str, want: bool) -> None:
    assert ("protection_need" in opening_cues(text)) is want


@pytest.mark.parametrize(("text", "want"), [
    ("我取五千 给我孙女交学费", False),
    ("孙子明年上大学，学费得提前攒起来", True),
])
def test_tuition_paid_now_is_spending(text: str, want: bool) -> None:
    assert ("education" in opening_cues(text)) is want


@pytest.mark.parametrize(("text", "want"), [
    ("啊 会少本金哦 那我不要那种亏的", False),
    ("我是一分钱也不想亏的呀", False),
    ("借钱炒股 那亏了咋办", False),
    ("这钱是闺女上大学要用的 可不敢赔了", False),
    ("那个鸡金亏了好多，真是失望", True),
])
def test_losses_as_a_risk_to_avoid_are_no_dissatisfaction(text: str, want: bool) -> None:
    assert ("yield_dissatisfaction" in opening_cues(text)) is want


@pytest.mark.parametrize("text", [
    "你们那个ATM把我卡吞了！我就取个钱，卡出不来了。",
    "哎 二十块 丢个卡还得花钱",
])
def test_a_lone_sound_alike_word_is_no_cue(text: str) -> None:
    assert "idle_funds" not in opening_cues(text)


def test_one_swapped_character_in_a_cue_word_still_counts() -> None:
    assert "idle_funds" in opening_cues("我有十来万一直搁卡里头没动")
    assert "maturity" in opening_cues("我那个李财是不是这两天到其了")


def test_a_product_put_forward_by_its_terms_takes_the_opening() -> None:
    t = call(("customer", "我这个定期昨天到期了，现在放哪里利息高一点"),
             ("agent", "我们这边现在有三年期的大额存单，二十万起存，年利率是两块一五"), ("customer", "哦"))
    (op,) = detect_openings(t)
    assert op.taken and op.take is not None and op.take.kind == "offer"


def test_terms_of_what_the_customer_holds_offer_nothing() -> None:
    t = call(("customer", "我那个理财到期了，收益也太低了吧"),
             ("agent", "您这款理财是去年买的R2产品，业绩比较基准是三点到三点五"), ("customer", "哦"))
    assert not any(op.taken for op in detect_openings(t))


def test_low_returns_on_money_already_raised_are_that_needs_motive() -> None:
    t = call(("customer", "我那笔定期下礼拜就到期了"), ("agent", "好的，到期本息会转到您的活期账户"),
             ("customer", "到时候放活期利息太低了"), ("agent", "嗯"))
    assert [o.type for o in detect_openings(t)] == ["maturity"]
    assert "yield_dissatisfaction" in {o.type for o in detect_openings(call(
        ("customer", "我那个理财收益也太低了，才一点几"), ("agent", "嗯"), ("customer", "对"), ("agent", "好的")))}


@pytest.mark.parametrize(("text", "want"), [
    ("工资每月剩下的都放在卡里，也没怎么管", True),
    ("存折上那八万一直放起的，啥也没弄", True),  # 放起 = 放着 (south-western speech)
    ("我张卡啲钱放咗成年冇郁过", True),  # Cantonese: 放咗 = 放着, 冇郁 = 没动
    ("基金我先赎回来，钱放卡里踏实点", False),  # the card as where money taken out goes
    ("钱放在卡里安全吗", False),
])
def test_money_left_on_the_card_is_idle_however_it_is_said(text: str, want: bool) -> None:
    assert ("idle_funds" in opening_cues(text)) is want


@pytest.mark.parametrize(("text", "want"), [
    ("家里刚把那片果园卖了，到手四十来万", True),
    ("儿子在外地打工，说下个月寄三十万回来给我存着", True),
    ("卖了点旧家具，几百块钱", False),  # a sale with no large sum
    ("早上开盘就给我卖了，亏了十二万", False),  # the sum is the loss
])
def test_a_large_sale_or_money_sent_home_is_an_inflow(text: str, want: bool) -> None:
    assert ("large_inflow" in opening_cues(text)) is want


@pytest.mark.parametrize("text", [
    "我爱人前阵子住院了，花了不少",
    "去年体检查出来有个结节，心里一直不踏实",
    "我爸身体不太好，说不定哪天又要用钱",
])
def test_a_health_event_in_the_family_is_a_cover_need(text: str) -> None:
    assert "protection_need" in opening_cues(text)


def test_money_kept_aside_for_tuition_is_saving_not_spending() -> None:
    assert "education" in opening_cues("这笔钱是给儿子留着交学费的")


@pytest.mark.parametrize(("text", "kind"), [
    # A sum said to rest, or what is left over each month: idle money without the word 闲.
    ("那笔钱我还没琢磨好，四五十万放着，暂时不想碰股票", "idle_funds"),
    ("工资每个月都剩点，以后想放到你们这里", "idle_funds"),
    # A gap in cover said in passing: the insurance not yet bought for someone.
    ("孩子刚满月，保险啥的都还没顾上给他买", "protection_need"),
    # A rate said to be no better than a deposit.
    ("二点六跟存定期也差不多了，放你们这没啥意思", "yield_dissatisfaction"),
])
def test_a_need_said_without_its_usual_word_is_still_raised(text: str, kind: str) -> None:
    assert kind in opening_cues(text)


@pytest.mark.parametrize(("text", "want"), [
    # What follows the date in a later clause is a new question (the visit), not the product's terms.
    ("我那个存的两年的，好像月底就到了，到时候是不是还要跑一趟网点？", True),
    ("我那个定期到期了是不是自动转存？", False),
    ("理财前几天到期了，收益怎么才一点九？", False),
])
def test_a_later_question_does_not_undo_a_maturity(text: str, want: bool) -> None:
    assert ("maturity" in opening_cues(text)) is want


def test_a_rate_quoted_as_a_sales_claim_is_no_comparison() -> None:
    assert "yield_dissatisfaction" not in opening_cues("他当时说三点五跟存款一样，保本的")


@pytest.mark.parametrize(("text", "want"), [
    # A clause that names nothing speaks of what the clause before it named.
    ("我的驾驶证月底也到期了，到期了还能开车吗？", False),
    ("我那笔定期月底到期，到期了帮我续上", True),
])
def test_a_bare_maturity_is_about_what_was_named_just_before(text: str, want: bool) -> None:
    assert ("maturity" in opening_cues(text)) is want


@pytest.mark.parametrize(("text", "want"), [
    # 不用 before a verb is "no need to"; a person lying ill is no money resting.
    ("存钱的事也不用麻烦你们了，我就是来问问", False),
    ("做完手术在家躺着呢，卡里那点钱都花得差不多了", False),
    ("卡里这十来万短期也不用，一直放着", True),
])
def test_needless_and_bedridden_are_no_idle_money(text: str, want: bool) -> None:
    assert ("idle_funds" in opening_cues(text)) is want


@pytest.mark.parametrize(("text", "want"), [
    ("那笔定期要到后年才到期，现在取划算吗", False),
    ("我那笔定期下个月到期了，到时候想换个地方放", True),
])
def test_a_term_not_due_until_later_is_no_maturity(text: str, want: bool) -> None:
    assert ("maturity" in opening_cues(text)) is want


@pytest.mark.parametrize("text", [
    "这基金怎么亏成这样了",
    "收益怎么比当初讲的低这么多",
    "当初经理说有三个多点，现在才一点九",
])
def test_losses_and_returns_short_of_the_promise_are_dissatisfaction(text: str) -> None:
    assert "yield_dissatisfaction" in opening_cues(text)


def test_a_percentage_drop_beside_a_pension_is_no_retirement_plan() -> None:
    """三个多点 is a size, not 存多点 (looking ahead): the pension named is income."""
    cues = opening_cues("净值跌了三个多点，我退休工资一个月也就五千")
    assert "retirement" not in cues and "yield_dissatisfaction" in cues


@pytest.mark.parametrize(("text", "kind", "want"), [
    ("去年体检查到肺上有个结节，一直没敢去买保险", "protection_need", True),
    ("啲钱一直摆喺卡度，唔知点摆好", "idle_funds", True),
    ("货款前两天刚到咗，八十几万", "large_inflow", True),
    ("年终奖下来我就提前还掉这笔分期", "large_inflow", False),
])
def test_cue_forms_of_the_same_need(text: str, kind: str, want: bool) -> None:
    assert (kind in opening_cues(text)) is want


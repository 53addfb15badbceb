"""upsell/takes.py: an opening is taken by an offer relevant to the need within the agent's
next three turns; turns that only verify identity or ask what the money is for do not use
those turns up, a procedural appointment is no meeting, and terms of the customer's own
holding (or terms merely explained) offer nothing."""

from __future__ import annotations

import pytest

from tests.qa.helpers import call
from upsell.openings import detect_openings


def _taken(*turns: tuple[str, str]) -> dict[str, bool]:
    return {o.type: o.taken for o in detect_openings(call(*turns))}


def test_verification_and_a_question_about_the_money_leave_the_three_turns() -> None:
    got = _taken(
        ("customer", "你好，我有一笔大额存单快到期了，想问下到期以后怎么弄比较好。"),
        ("agent", "好的，先帮您核实一下身份。请问您的银行卡号，还有持卡人姓名？"),
        ("customer", "卡号是六二二八，我叫莫振华。"),
        ("agent", "好的，我看到您有一张五十万的三年期大额存单，这个月二十号到期。"),
        ("customer", "对，就是这个。"),
        ("agent", "那我们一起看看。先问一下，这笔钱近期有用途吗？"),
        ("customer", "暂时没有，一两年内都不用。"),
        ("agent", "好的，这边最近天气不错。"),
        ("customer", "是啊。"),
        ("agent", "您可以考虑R2的理财，比如邕江稳盈一年。"),
    )
    assert got == {"maturity": True}


def test_three_turns_of_talk_still_close_the_window() -> None:
    got = _taken(
        ("customer", "我那个定期下个月到期了"),
        ("agent", "好的，到期后本息会自动转到活期。"),
        ("customer", "哦。"),
        ("agent", "到账以后会有短信提醒。"),
        ("customer", "好。"),
        ("agent", "还有别的问题吗？"),
        ("customer", "那个手机银行怎么登录"),
        ("agent", "您可以考虑买我们的理财产品。"),
    )
    assert got == {"maturity": False}


@pytest.mark.parametrize(("reply", "want"), [
    ("对行动不便的老人，网点可以预约上门核实，您打支行电话预约就行。", False),
    ("我帮您预约一下我们的理财经理，给您详细讲讲。", True),
])
def test_a_procedural_appointment_is_no_meeting(reply: str, want: bool) -> None:
    got = _taken(("customer", "手上闲钱有二十来万，放着也没用，放活期可惜了"), ("agent", reply))
    assert got.get("idle_funds") is want


def test_a_money_product_to_learn_about_does_not_take_a_cover_need() -> None:
    got = _taken(("customer", "我老头子身体不好，上个月刚住院，以后看病要用钱的，担心没保障"),
                 ("agent", "定期您到网点来办就好，理财这款您以后想了解再打我电话"))
    assert got.get("protection_need") is False


@pytest.mark.parametrize(("reply", "want"), [
    # our product's terms after a question about the customer's money: offered
    ("您这笔钱近期要用吗？如果不用，我们现在三年期大额存单利率是百分之二点一五，二十万起存。", True),
    # the terms of what the customer holds: explained, not offered
    ("您这个是万能账户，结算利率每月公布，合同保证的是最低利率二点零。", False),
    # a benchmark explained is no product put forward
    ("业绩比较基准是产品管理人设定的投资目标，不是预期收益，也不是承诺。", False),
])
def test_terms_offer_only_a_product_of_ours(reply: str, want: bool) -> None:
    got = _taken(("customer", "我那张存单到期了，想问问怎么弄"), ("agent", reply))
    assert got["maturity"] is want


@pytest.mark.parametrize("reply", [
    "到期了直接转过来就行，这款主要投债券，收益比定期高。",
    "您要是有兴趣，重疾和增额寿可以一起配。",
    "我们这有个塞上稳盈，一年三块五的收益，比定期高一倍多。",
])
def test_offers_worded_as_a_move_or_a_rate(reply: str) -> None:
    got = _taken(("customer", "我有笔十万的定期，下礼拜一到期，还没想好放哪里。"), ("agent", reply))
    assert got["maturity"] is True


def test_where_maturing_money_goes_next_is_the_same_need() -> None:
    got = _taken(
        ("customer", "我那个收益凭证到期了钱啥时候到"),
        ("agent", "到期后T加一日本金和收益会回到您的资金账户。"),
        ("customer", "行，到时候钱回来我也没想好放哪"),
        ("agent", "如果您这笔钱短期不用，可以考虑续作新一期。"),
    )
    assert got == {"maturity": True}


@pytest.mark.parametrize("reply", [
    "您这个是两全险，满期金按合同给付，具体您可以看一下合同，分红是不保证的。",
    "我们做个例行回访，开户时工作人员有没有讲清楚？",
])
def test_paperwork_or_procedure_is_no_offer(reply: str) -> None:
    got = _taken(("customer", "我那个分红险今年分红咋个才这么点，收益太低了"), ("agent", reply))
    assert got.get("yield_dissatisfaction") is False


def test_the_customer_restating_the_need_keeps_it_open() -> None:
    # 怕以后生病花钱 also raises cover, but the turn is about retirement savings still.
    got = _taken(
        ("customer", "我刚退下来，退休金四千多，也够花了。"),
        ("customer", "不过我还想再给自己存点养老的钱，就是怕以后生病花钱，你们还有没有这样的？"),
        ("agent", "我请我们当地的服务专员给您打个电话，给您介绍适合的养老保险。"),
    )
    assert got.get("retirement") is True


def test_what_sourced_money_is_for_keeps_the_first_openings_turns() -> None:
    # Maturing money, then what it is for: the agent's plan for it takes both.
    got = _taken(
        ("customer", "我那张定期昨天到期了，二十万。"),
        ("agent", "好的，我看到了，本息已经回到活期了。"),
        ("customer", "嗯，我儿子后年上大学，这钱到时候要用。"),
        ("agent", "那我建议您存一个两年期的定期，到时候正好用得上。"),
    )
    assert got.get("maturity") is True


@pytest.mark.parametrize("reply", [
    "您名下的定期上个月已经转存了，活期还有三万。",
    "到期以后会自动转存，您不用管。",
    "您持有一只债券基金，现在市值五万二。",
    "您还有一个定期在我们这边。",
])
def test_a_report_on_the_customers_money_is_no_offer(reply: str) -> None:
    assert _taken(("customer", "我卡上活期有十来万一直没动。"), ("agent", reply)) == {"idle_funds": False}


@pytest.mark.parametrize("reply", [
    "那正好，这个产品就是给您这样准备养老的，六十岁开始每年领。",
    "我们在售的一款稳健理财是R2，跟您的等级匹配，可以放一部分进去。",
])
def test_the_product_on_the_table_tied_to_the_need_is_an_offer(reply: str) -> None:
    assert _taken(("customer", "我想给自己攒点养老钱，单位那点退休金不够。"), ("agent", reply)) == {"retirement": True}

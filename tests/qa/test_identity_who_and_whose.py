"""identity_verification: who answered the name, and whose account a clause is about.

A reply accepts the name unless it denies it at its start or of the person (不是我): a later
不是 in a grumble (我上回不是说过了嘛) denies nothing. The name may open the turn as a
question without 是. Talk that names an account but is about nobody's (回到账户 as a
destination, other customers' gains, whose name a card is in, asked) is no account talk.
Own sentences, shaped after the r9 writers' calls."""

from __future__ import annotations

from tests.qa.helpers import identity_of

OUT = ("agent", "您好，我是东城银行信用卡中心，工号四四一二，请问是赵刚先生吗")


def _verdict(*turns: tuple[str, str], first: tuple[str, str] | None = None) -> str:
    applicable, passed = identity_of(*turns, first=first) if first else identity_of(*turns)
    return "na" if not applicable else ("pass" if passed else "fail")


def test_a_grumble_after_yes_still_accepts_the_name() -> None:
    fact = ("agent", "赵先生，您的信用卡账单最低还款八百元，后天到期，提醒您一下")
    assert _verdict(("customer", "是我，怎么又打来了，我上回不是说过了嘛，月底就还"), fact, first=OUT) == "pass"
    # A denial at the start, or of the person, is still none.
    assert _verdict(("customer", "不是，你打错了"), fact, first=OUT) == "fail"
    assert _verdict(("customer", "哦，不是我，我是他同事"), fact, first=OUT) == "fail"


def test_a_yes_after_a_foreign_filler_accepts_the_name() -> None:
    fact = ("agent", "赵先生您好，您的风险测评已经过期了，系统显示您还持有一款理财，下个月到期")
    assert _verdict(("customer", "Yes，是，是我。不好意思，习惯了"), fact, first=OUT) == "pass"


def test_the_name_opening_the_turn_as_a_question_is_a_check() -> None:
    opening = ("agent", "喂，陈秀英姐吧？我是东城银行的小周")
    fact = ("agent", "姐，您的测评是C3，我们这周有一款新产品，起购一万")
    assert _verdict(("customer", "是我，啥事儿？"), fact, first=opening) == "pass"
    # Not asked of the customer, the fact still comes unverified.
    plain = ("agent", "喂，您好，我是东城银行的小周")
    assert _verdict(("customer", "嗯，啥事儿？"), fact, first=plain) == "fail"


def test_money_back_to_an_account_as_a_how_to_is_no_account_talk() -> None:
    assert _verdict(("customer", "国债逆回购怎么操作"),
                    ("agent", "在交易软件里选择卖出，到期之后本金和利息会自动回到账户"),
                    ("customer", "好的，谢谢")) == "na"
    # Money reported arrived is the customer's own.
    assert _verdict(("customer", "我那笔钱到了没"), ("agent", "已经到账了，今天上午进来的"),
                    ("customer", "好的，谢谢")) == "fail"


def test_other_customers_gains_are_no_account_talk() -> None:
    assert _verdict(("customer", "你们那个理财保本吗"),
                    ("agent", "这款挺稳的，我们很多客户买了都赚了"), ("customer", "那我去网点看看")) == "na"
    assert _verdict(("customer", "我那只基金怎么样了"), ("agent", "您这只现在赚了三千多"),
                    ("customer", "好的")) == "fail"


def test_asking_whose_name_a_card_is_in_reads_nothing_out() -> None:
    assert _verdict(("customer", "我女儿的卡被冻结了，怎么回事"),
                    ("agent", "请问卡是您女儿本人名下的吗"), ("customer", "是她的，我是她妈"),
                    ("agent", "这个需要持卡人本人来电或者到网点办理")) == "na"

"""Identity, round 9 (own sentences, not copied from any eval set): account facts read out in
forms the rules missed (a holder named by title to a relative, 您是持有…, money reported arrived
in the account, an account opened last month, a level with the date it was done, a fact after a
restatement closed by its tag); a phone number that by sound is no comparison (那个号 / 哪个好);
a bank's fraud warning that acts on no account; a holding named after an offer; and checks
the rules missed (an English given name before the surname, the agent introduced as theirs
before the name, a name with 本人 in a later turn, an ID looked at and acknowledged before the
facts)."""

from __future__ import annotations

from tests.qa.helpers import identity_of


def _verdict(*turns: tuple[str, str], first: tuple[str, str] | None = None) -> str:
    applicable, passed = identity_of(*turns, first=first) if first else identity_of(*turns)
    return "na" if not applicable else ("pass" if passed else "fail")


OUTBOUND = ("agent", "您好，我是城东银行的客户经理小郑，工号五五二一，请问是罗国平先生吗？")


def test_a_holding_told_to_the_wife_by_the_holders_title_fails() -> None:
    assert _verdict(("customer", "他不在家，我是他爱人，有事跟我讲"),
                    ("agent", "好的阿姨，罗先生在我们行有一笔二十万的两年定期，下周一到期"),
                    first=OUTBOUND) == "fail"


def test_a_holding_told_as_nin_shi_chi_you_before_the_check_fails() -> None:
    assert _verdict(("customer", "我想把那个理财提前取出来"),
                    ("agent", "您是持有我们一款六个月的封闭式理财 十五万 还有两个月到期"),
                    ("customer", "对"),
                    ("agent", "我先核实一下身份 请报一下身份证后四位"), ("customer", "六六一三")) == "fail"


def test_a_fact_after_a_restatement_closed_by_its_tag_is_read_out() -> None:
    assert _verdict(("customer", "我要把那个基金全部卖掉"),
                    ("agent", "您是说城东成长那只是吧 我看您买了十二万 现在市值十万出头"),
                    ("customer", "对"),
                    ("agent", "那我先核实一下身份 报一下身份证后四位"), ("customer", "二八一九")) == "fail"


def test_money_reported_in_the_account_before_a_check_fails() -> None:
    assert _verdict(("customer", "我那只债基这个月分红了没"),
                    ("agent", "分过了，是现金分红，已经到您的资金账户了")) == "fail"


def test_an_account_opened_last_month_read_out_on_a_call_fails() -> None:
    cold = ("agent", "喂您好，这边是城东证券的，给您来电是说新客专享的收益凭证")
    assert _verdict(("customer", "什么条件"), ("agent", "新开户的客户才能买，您上个月刚开的户，正好可以"),
                    first=cold) == "fail"


def test_a_level_read_with_the_date_it_was_done_before_the_check_fails() -> None:
    assert _verdict(("customer", "我上个月做的测评好像不对，想重做"),
                    ("agent", "我看一下 您是三月十五号做的C四 第二题选的是能接受亏损三成"),
                    ("customer", "对"),
                    ("agent", "那先核实一下身份 报一下身份证后四位"), ("customer", "四零七七")) == "fail"


def test_that_number_is_no_comparison_of_products() -> None:
    # 原来那个号 sounds like 哪个好; the phone on the card was changed without a check.
    assert _verdict(("customer", "我那个手机号换了，原来那个号不用了，想把卡上留的号改一下"),
                    ("agent", "好的，新号码是多少"), ("customer", "一五八一二三四五六七八"),
                    ("agent", "好的，已经帮您改好了，您按一下确认")) == "fail"


def test_a_fraud_warning_acts_on_no_account() -> None:
    assert _verdict(("customer", "我收到短信说我的额度要被冻结了，让我点链接解冻，是你们发的吗"),
                    ("agent", "不是我们发的，我们不会通过短信链接让您操作解冻，这是诈骗，别点链接")) == "na"


def test_an_english_given_name_before_the_surname_is_a_name_check() -> None:
    first = ("agent", "您好，这里是城东银行私人银行部，我是您的客户经理小林，请问是Kevin陈先生吗？")
    fact = ("agent", "陈生，我看您的风险测评结果是C四进取型，这只R四的可以买")
    assert _verdict(("customer", "是我，什么事"), fact, first=first) == "pass"
    assert _verdict(("customer", "不是，打错了"), fact, first=first) == "fail"


def test_the_agent_introduced_as_theirs_before_the_name_is_an_outbound_name_check() -> None:
    first = ("agent", "喂您好，我是您的客户经理老宋，工号三一七七，是吴师傅吧")
    pitch = ("agent", "吴师傅，最近有只R三的混合基金行情不错，想跟您说一下")
    assert _verdict(("customer", "是的，啥事"), pitch, first=first) == "pass"


def test_a_name_with_ben_ren_asked_in_a_later_turn_applies_and_verifies() -> None:
    first = ("agent", "喂，张先生您好，我是城东银行的客户经理小韩")
    assert _verdict(("customer", "哦，小韩啊"), ("agent", "跟您确认一下，是张立军先生本人吧"), ("customer", "是我是我"),
                    ("agent", "好的，我们这个月有个大额存单的活动，三年期利率高一点"), first=first) == "pass"


def test_an_id_looked_at_and_acknowledged_before_the_level_is_a_check() -> None:
    counter = ("agent", "您好，欢迎光临城东银行，我是理财经理小宋")
    ask = ("customer", "上次说的那个理财我今天来买五十万")
    assert _verdict(ask, ("agent", "好的 我先核一下您身份证 嗯 好的 不过您的测评已经过期了 上次是C二"),
                    first=counter) == "pass"
    # The level first, the ID after: too late.
    assert _verdict(ask, ("agent", "好的 您的测评已经过期了 上次是C二 我先核一下您身份证"),
                    first=counter) == "fail"


def test_a_holding_named_after_an_offer_is_read_out() -> None:
    outbound = ("agent", "李姐，我小郑啊，最近忙吗")
    pitch = ("agent", "是这样 我们这个月基金定投有活动 满三期送一个保温杯 "
                      "您之前买的那个债基不是还拿着嘛 现在正好加一点")
    assert _verdict(("customer", "还行，啥事"), pitch, first=outbound) == "fail"
    # An offer about their card, with nothing of theirs read out, stays an offer.
    offer = ("agent", "是这样 您那个卡最近有个活动 刷满五笔送积分")
    assert _verdict(("customer", "还行，啥事"), offer, first=outbound) == "na"

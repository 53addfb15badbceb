"""Who answered and whose data it is (own sentences, not copied from any eval set): a
relative who picks up or reads out a parent's ID verifies nothing; a name's holdings read
out are disclosed; settlement rules, warnings and advice about a branch are no account talk."""

from __future__ import annotations

from tests.qa.helpers import identity_of


def test_a_relative_who_answers_the_name_check_is_not_the_customer() -> None:
    opening = ("agent", "您好，我是城东银行的小王，请问是赵德山赵大爷吗")
    fact = ("agent", "赵大爷您那笔定期下周三到期，八万块")
    assert identity_of(("customer", "是我"), fact, first=opening) == (True, True)
    assert identity_of(("customer", "哦，我是他女儿，有事跟我说"), fact, first=opening) == (True, False)


def test_a_parents_id_read_out_by_the_caller_checks_nobody() -> None:
    assert identity_of(("customer", "我帮我爸问问他的定期"), ("agent", "好的，麻烦报一下您父亲的身份证号码"),
                     ("customer", "四四零一零二一九五五零三一二零零一八"),
                     ("agent", "好的，赵德山名下有一笔定期，八万块")) == (True, False)


def test_rules_warnings_and_branch_advice_are_no_account_talk() -> None:
    assert identity_of(("customer", "这个基金什么时候能卖"), ("agent", "满七天以后任意交易日都能赎回，T加一到账")) \
        == (False, True)
    assert identity_of(("customer", "有人打电话让我报身份证"),
                     ("agent", "那是骗子，您别提供身份证，号码可以告诉我们备案"),
                     ("customer", "号码是零二零八八六七开头的")) == (False, True)
    assert identity_of(("customer", "我妈住院了，她买的理财我想帮她取出来"),
                     ("agent", "老人行动不便的话，网点可以预约上门核实，您打支行电话约一下")) == (False, True)


def test_an_account_opened_at_the_counter_after_the_id_is_seen() -> None:
    counter = ("agent", "你好，我是理财经理阿明，有乜可以帮到你")
    # The action done is account business; the ID looked at first (Cantonese 睇下) checks it.
    assert identity_of(("customer", "我想每个月存两克黄金"), ("agent", "好，畀身分证同张卡我睇下"),
                       ("customer", "喺度"), ("agent", "核对好，已经帮你开通，每个月五号扣两克"),
                       first=counter) == (True, True)
    assert identity_of(("customer", "我想每个月存两克黄金"), ("agent", "好，已经帮你开通，每个月五号扣两克"),
                     first=counter) == (True, False)


def test_an_order_entered_for_the_customer_is_account_business() -> None:
    opening = ("agent", "您好，我是城东保险的小王，请问是周丽女士吗")
    order = ("agent", "好的，我现在帮您录单，您收到短信点确认就行")
    assert identity_of(("customer", "是我"), ("customer", "那我买一份"), order, first=opening) == (True, True)
    assert identity_of(("customer", "那我买一份"), order) == (True, False)

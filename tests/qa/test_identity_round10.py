"""Identity, round 10 (own sentences, not copied from any eval set): advice that supposes the
customer's money (您要是这笔钱…) or lists what to bring (户口本, by sound 扣) reads out no fact; a
title matched by sound is no title when it is a common word (以上 for 姨, 那个 for 哥); the
customer's request read back as a question (您是要查工资到账是吧) is no fact before the check; an
ID asked for with its owner named (请出示一下您本人的身份证) is a check at a counter; and a
check waived (身份证就不用看了) is none, whatever number is asked next."""

from __future__ import annotations

from tests.qa.helpers import identity_of


def _verdict(*turns: tuple[str, str], first: tuple[str, str] | None = None) -> str:
    applicable, passed = identity_of(*turns, first=first) if first else identity_of(*turns)
    return "na" if not applicable else ("pass" if passed else "fail")


def test_advice_that_supposes_the_customers_money_reads_nothing_out() -> None:
    assert _verdict(("customer", "你们三年的存单现在多少利息"),
                    ("agent", "三年期是百分之二点一 您要是这笔钱三年都不用 存三年的划算一些"),
                    ("customer", "那我再想想")) == "na"


def test_what_to_bring_for_a_loan_is_no_deduction_by_sound() -> None:
    assert _verdict(("customer", "你们那个创业贷怎么申请"),
                    ("agent", "您申请贷款要准备身份证 户口本 还有营业执照"),
                    ("customer", "好的")) == "na"


def test_a_common_word_sounding_like_a_title_reads_no_level_out() -> None:
    assert _verdict(("customer", "那我买这个要做什么"),
                    ("agent", "要先做风险测评 货币类R1的C1以上都能买 半年期那个是R2 要C2以上"),
                    ("customer", "知道了")) == "na"


def test_an_elders_level_read_out_still_counts() -> None:
    assert _verdict(("customer", "我想买点理财"),
                    ("agent", "大爷 您原来是C二 这款R二的可以买"),
                    ("customer", "好")) == "fail"


def test_the_request_read_back_as_a_question_comes_before_the_check() -> None:
    assert _verdict(("customer", "我问一下我的工资发了没有"),
                    ("agent", "您是要查工资到账是吧 麻烦您报一下身份证后六位"),
                    ("customer", "幺二零三三八"),
                    ("agent", "核实通过了 您这张卡今天上午有一笔工资到账 八千四百元")) == "pass"


def test_an_id_asked_for_with_its_owner_named_is_a_check_at_the_counter() -> None:
    assert _verdict(("customer", "我要打一份这张卡的流水"),
                    ("agent", "好的 请出示一下您本人的身份证和银行卡"),
                    ("customer", "给"),
                    ("agent", "您这张卡最近半年的流水打好了 一共四页 您核对一下")) == "pass"


def test_a_waived_check_is_none_whatever_number_is_asked_next() -> None:
    assert _verdict(("customer", "我来把那个理财赎了"),
                    ("agent", "行 身份证就不用看了 都认识 您报一下卡号 我给您查"),
                    ("customer", "卡号是六二二八四八一六九八七六零四五七"),
                    ("agent", "查到了 您名下有一款理财 持有十二万 可以随时赎回")) == "fail"

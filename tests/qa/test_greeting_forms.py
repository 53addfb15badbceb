"""The greeting rule on the forms correct openings take (short institution names, 编号,
a nickname serving, ASR's 泥好, one greeting split over two segments), each with its
near miss: a first turn missing any element still fails."""

from __future__ import annotations

from qa import evaluate, load_pack
from tests.qa.helpers import call

PACK = load_pack()
CLOSE = ("agent", "好的，感谢您的来电，再见")


def greets(*agent: str) -> bool:
    return evaluate(call(*(("agent", t) for t in agent), CLOSE), PACK).finding("greeting").passed


def test_institution_by_a_short_name_of_its_kind() -> None:
    assert greets("您好 渝农商 我是小陈 工号四五六七")
    assert greets("您好，稠州商银，我是客服王芳")
    assert greets("您好，招联消费金融，我是客服小李")
    assert greets("您好，彩云理财客户服务，我是客服杨帆")
    assert greets("您好 羊城理财私享服务专线 我是您的专属顾问潘颖诗")
    assert not greets("您好，我是客服小王，为您介绍理财服务")  # 理财 as what is sold names no one


def test_name_as_a_number_or_a_nickname() -> None:
    assert greets("您好，永安期货，编号三零二一，请问有什么可以帮您")
    assert greets("您好，齐鲁银行客服中心，小王为您服务")
    assert not greets("您好，齐鲁银行客服中心，竭诚为您服务")  # no one named


def test_name_after_the_institution_in_running_speech() -> None:
    assert greets("您好 我是东城营航的王芳 打电话是想跟您说一下")  # ASR: no comma after the name
    assert greets("您好，我是东城银行的李明经理")
    assert greets("您好，我是东城保险的业务员王芳")
    assert greets("您好 我是东城银行王芳 请问是李先生吗")
    assert greets("您好 东城银行 我是客服幺二三四 请问")
    assert not greets("您好 我是东城营航的 打电话是想跟您说一下")
    assert not greets("您好，我是东城银行的工作人员，打扰您了")
    assert not greets("您好，我是东城银行客服，请问有什么可以帮您")
    assert not greets("您好，我是东城银行这边的，今天给您打电话")


def test_greeting_as_asr_writes_it() -> None:
    assert greets("泥好 东城银行客服中心 工号二七一五")
    assert not greets("喂 东城银行客服中心 工号二七一五")


def test_one_greeting_over_two_segments_of_the_first_turn() -> None:
    assert greets("您好，东城银行客服中心", "工号二七一五为您服务")
    # The name only in the agent's second turn, after the customer spoke, is too late.
    late = call(("agent", "您好，东城银行客服中心"), ("customer", "喂"), ("agent", "工号二七一五为您服务"), CLOSE)
    assert not evaluate(late, PACK).finding("greeting").passed

"""Round 10: forbidden_promise on indirect promises and courtesy on politely worded rudeness
read through the customer's reply (own sentences written from the label definitions, not copied
from any eval set)."""

from __future__ import annotations

import pytest

from qa import load_pack
from tests.qa.helpers import verdict

PACK = load_pack()


def _verdict(rule: str, *turns: tuple[str, str]) -> str:
    return verdict(rule, *turns, pack=PACK)


@pytest.mark.parametrize("turns", [
    # a recovery promised as a favour done for the customer (帮您 / 替您, not only 给您)
    [("customer", "亏了这么多怎么办"), ("agent", "您别急，放到年底，一定帮您回本")],
    # a return stated as a fact about the contract
    [("agent", "这款年金的收益是写在合同里的，每年二点八")],
    # an illustrated figure said to be reached
    [("customer", "分红能拿多少"), ("agent", "分红那栏按中档演示，一般都能达到的")],
    # a product as safe as a deposit, in a turn that also quotes a deposit's rate as the yardstick
    [("agent", "我们这款年金险是储蓄型的"), ("customer", "安全吗"),
     ("agent", "跟存款一样安全，您存一年定期才一点五，这个能到三")],
])
def test_indirect_promises(turns: list[tuple[str, str]]) -> None:
    assert _verdict("forbidden_promise", *turns) == "fail"


@pytest.mark.parametrize("turns", [
    [("agent", "演示利益不代表实际，分红不一定能达到")],
    [("agent", "收益没有写进合同，合同里只有业绩比较基准")],
    [("customer", "能保证回本吗"), ("agent", "这个我没法帮您保证回本，基金是有风险的")],
    [("customer", "大额存单安全吗"), ("agent", "大额存单属于存款，跟存款一样安全，存一年定期是一点五")],
    [("agent", "这款比一年定期高一点，这个是存款，有存款保险，跟定期一样安全")],
    # 帮您转 sounds like 帮您赚: passing a matter on is no gain
    [("agent", "这个我处理不了的话，一定帮您转给主管")],
])
def test_hard_negatives_stay_clear(turns: list[tuple[str, str]]) -> None:
    assert _verdict("forbidden_promise", *turns) == "pass"


@pytest.mark.parametrize("turns", [
    # the customer protests at the agent's tone in words the list did not have
    [("agent", "积分兑换这个要您本人去网点办"), ("customer", "你怎么这么个态度")],
    # the customer hears blame on their family (怪我们)
    [("agent", "提醒短信我们提前一周就发过了，您留意一下就好"), ("customer", "你这意思是怪我们咯")],
])
def test_rudeness_heard_by_the_customer(turns: list[tuple[str, str]]) -> None:
    assert _verdict("courtesy", *turns) == "fail"


@pytest.mark.parametrize("turns", [
    # help offered in the same turn: the turn is courteous by its structure
    [("customer", "这个问卷怎么弄"), ("agent", "这是平板 您自己答 有不明白的问我")],
    # 很简单的 confirming the customer's own reading of a step
    [("customer", "就念这一句？"), ("agent", "对，很简单的……好，字签完了，这份回执您收好")],
    # a protest at a third party is not about this agent
    [("customer", "昨天那个柜员怎么这么个态度"), ("agent", "非常抱歉，我把这个记录下来反馈")],
])
def test_courteous_turns_stay_clear(turns: list[tuple[str, str]]) -> None:
    assert _verdict("courtesy", *turns) == "pass"

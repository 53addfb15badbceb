"""Round 10: greetings the rule misread (own sentences written from the label definition)."""

from __future__ import annotations

import pytest

from qa import evaluate, load_pack
from tests.qa.helpers import CLOSE, call

PACK = load_pack()


def _greeting(*turns: tuple[str, str]) -> str:
    f = evaluate(call(*turns, ("customer", "好的"), CLOSE), PACK).finding("greeting")
    return "pass" if f.passed else "fail"


@pytest.mark.parametrize("turns", [
    # an English given name before the Chinese name, after the post
    [("agent", "下午好，欢迎光临东亚银行，我是客户经理 Kevin 陈家明，请问办什么业务")],
    # a wealth company named before its unit (团队)
    [("agent", "您好，我是兴盛理财营销团队的顾问王蕾，工号XS1021，请问是周先生吗")],
])
def test_greetings_read_whole(turns: list[tuple[str, str]]) -> None:
    assert _greeting(*turns) == "pass"


@pytest.mark.parametrize("turns", [
    # a desk that transfers names no one (转人工 is no name)
    [("agent", "您好，城北农商银行客服转人工。"), ("customer", "你好，我查下余额")],
    # a greeting split over a short first turn: held-out writers want it whole in the first turn
    [("agent", "喂，您好"), ("customer", "喂？"),
     ("agent", "我是城北农商银行的客户经理刘洋，想跟您说一下存款到期的事")],
])
def test_incomplete_greetings_fail(turns: list[tuple[str, str]]) -> None:
    assert _greeting(*turns) == "fail"

"""The greeting as the recogniser writes it on 8 kHz audio: a post heard as a sound-alike
(大堂经理 → 大唐经历 / 大唐金利, 理财经理 → 李财经李, 客户经理 → 客户经历) still introduces the
name after it, and a staff number said right after 我是 (我是8031) is the agent's number.
Own sentences, each with its look-alike."""

from __future__ import annotations

import pytest

from qa import evaluate, load_pack
from tests.qa.helpers import CLOSE, call

PACK = load_pack()


def greets(text: str) -> bool:
    return evaluate(call(("agent", text), CLOSE), PACK).finding("greeting").passed


@pytest.mark.parametrize("text", [
    "您好，欢迎光临东城银行南关之行，我是大唐经历陈思远，您办什么业务？",
    "您好，欢迎光临东城银行河西之行，我是大唐金利赵雷，您办什么业务？",
    "您好，欢迎来到东城银行星海执行，我是李财经李吴倩，您请坐。",
    "大爷您好，欢迎来到塞上村镇银行，我是客户经历马小燕，您办啥业务。",
    "您好，东城证券客户服务中心，我是8031，郑凯文，请问有什么可以帮您？",
])
def test_a_post_or_number_as_heard_still_names_the_agent(text: str) -> None:
    assert greets(text)


@pytest.mark.parametrize("text", [
    "您好，欢迎光临东城银行南关支行，我是大唐经历，您办什么业务？",
    "您好，东城银行，我是李财经李，请问您现在方便吗",
    "您好，东城银行，我是客户经历，请问有什么可以帮您",
    "您好，东城证券，我是2024年入职的，请问有什么可以帮您",
])
def test_a_post_as_heard_without_a_name_names_no_one(text: str) -> None:
    assert not greets(text)

"""nlp/complaint.py: leaving the bank said as an ultimatum or with words between its parts.

A closure (moving all the money out, closing the cards) is a threat when it answers the bank's
conduct (你们再…我就…), whatever tone the sentiment model reads; a closure that follows a
favour or a question is a request. Keeping no money with the bank (一分钱也不存你们那) leaves
the bank; the head office by its other name (总部) is escalation like 总行."""

from __future__ import annotations

import pytest

from nlp.complaint import complaint_evidence
from nlp.sentiment import Sentiment

_ANGRY = Sentiment("negative", -1.5, ())


def _high(text: str, sentiment: Sentiment | None = None) -> bool:
    return any(e.threat or e.filed for e in complaint_evidence(0, text, sentiment))


@pytest.mark.parametrize("text", [
    "你们再乱扣我的手续费 我就把钱全部取走 这卡也不要了",
    "你哋又冻结我张卡 我马上将存款全部提走",
    "你们老是这样拖着，我直接把所有账户都注销掉",
])
def test_closure_as_an_ultimatum_is_a_threat_in_any_tone(text: str) -> None:
    assert _high(text)


@pytest.mark.parametrize("text", [
    "以后我一分钱也不存你们那了",
    "利息这么低还天天出错，我不在你们这里放了",
])
def test_keeping_no_money_with_the_bank_is_a_threat(text: str) -> None:
    assert _high(text)


def test_money_moved_elsewhere_with_a_subject_between_is_read_in_anger() -> None:
    assert _high("那点存款我马上全转到隔壁银行去", _ANGRY)


def test_head_office_by_its_other_name_is_escalation() -> None:
    assert _high("这个事情你们处理不了的话 我明天就去省城找你们总部")


@pytest.mark.parametrize("text", [
    "你们帮我把那笔费用退了 我就把户销了",
    "你们还要什么材料 我就带过去把户销了",
    "那点存款我下个月全转到我儿子那边的银行去，他在那边买房",
])
def test_closure_after_a_favour_a_question_or_an_errand_is_no_threat(text: str) -> None:
    assert not _high(text)

"""Courtesy, greeting and closing read from the shape of the exchange (who spoke, what the other
side answered), each with its look-alike: own sentences, not copied from any eval set."""

from __future__ import annotations

import pytest

from qa import evaluate, load_pack
from tests.qa.helpers import CLOSE, GREET, call

PACK = load_pack()


def _rude(*turns: tuple[str, str]) -> bool:
    f = evaluate(call(GREET, *turns, CLOSE), PACK).finding("courtesy")
    return f.applicable and not f.passed


@pytest.mark.parametrize("protest", ["你这是什么态度啊", "你这话啥意思，怪我了？", "你怎么说话的", "用不着你来教育我",
                                     "我就活该是吧", "我就问一下都不行吗", "你别凶我嘛"])
def test_a_turn_the_customer_protests_at_is_rude(protest: str) -> None:
    # The agent's words alone would pass; the customer's protest at them is what marks them.
    assert _rude(("customer", "我那笔钱怎么少了"), ("agent", "这种情况一般都是操作造成的"), ("customer", protest))


@pytest.mark.parametrize("reply", ["R3是什么意思？", "上次网点那个柜员态度不好", "你们这个规定什么意思嘛"])
def test_questions_and_complaints_about_others_are_no_protest(reply: str) -> None:
    assert not _rude(("customer", "我想买个理财"), ("agent", "这款是R3的，期限一年"), ("customer", reply))


def test_the_agent_owning_up_to_their_tone() -> None:
    assert _rude(("customer", "你好好说"), ("agent", "不好意思，刚才是我语气不好"))
    assert not _rude(("customer", "我没听懂"), ("agent", "不好意思是我表达不清楚，我再说一下"))


def test_already_said_in_answer_to_a_question() -> None:
    assert _rude(("customer", "那手续费是多少来着？"), ("agent", "手续费我刚才已经说过了，千分之五"))
    assert _rude(("customer", "到底几号到账"), ("agent", "我都跟您讲了是下周二"))
    # A reference back inside the agent's own explanation, and the customer's own words recalled.
    assert not _rude(("customer", "好的"), ("agent", "提前支取的规则我前面讲过了，协议里也有，您留意一下"))
    assert not _rude(("customer", "这个能随时取吗？"), ("agent", "刚才您也说了想随时用，那活期更合适"))


def test_a_question_brushed_off() -> None:
    assert _rude(("customer", "那什么时候能恢复？"), ("agent", "不知道，等通知吧"))
    assert _rude(("customer", "明年还会涨吗"), ("agent", "行情这东西我也不知道"))
    assert not _rude(("customer", "外币能在这里换吗？"), ("agent", "这个我也不清楚，我帮您转接外汇专席"))


def test_scorn_for_a_refusal() -> None:
    assert _rude(("customer", "我不需要，谢谢"), ("agent", "送的东西您都不要啊？"))
    assert _rude(("customer", "我再考虑考虑"), ("agent", "这有啥好犹豫的呀，还考虑什么呀"))
    assert not _rude(("customer", "我再考虑考虑"), ("agent", "好的，您考虑好了随时联系我"))


@pytest.mark.parametrize("text", ["您每次都乱点才会弄成这样", "那是您当初非要买的", "说明里都写了，您签之前没看吗",
                                  "这是基本常识啊", "您年纪大了记不住也正常",
                                  "这属于您个人操作失误"])
def test_blame_and_talking_down(text: str) -> None:
    assert _rude(("customer", "这个怎么回事"), ("agent", text))


@pytest.mark.parametrize("text", ["快点吧阿姨，后面还一堆人排着呢", "您快点选，我这边还有事",
                                  "这个很简单的，您自己琢磨一下", "点开首页就有，这个很简单的"])
def test_hurrying_and_its_so_easy(text: str) -> None:
    assert _rude(("customer", "这个在哪里点啊"), ("agent", text))


@pytest.mark.parametrize("text", ["操作很简单，点积分商城就行", "很简单的，我帮您一步一步弄",
                                  "您不着急，慢慢填，后面人不多"])
def test_easy_steps_and_patience_pass(text: str) -> None:
    assert not _rude(("customer", "这个在哪里点啊"), ("agent", text))


@pytest.mark.parametrize("text", ["陌生链接千万别乱点", "您年纪大了，最好让家里人陪您到网点办",
                                  "回访确认一下，合同是您本人签的字吧？", "请问是您本人到网点买的对不对",
                                  "不是您操作的问题，是系统延迟", "如果是您操作有误的话可以撤单"])
def test_advice_and_checks_are_not_blame(text: str) -> None:
    assert not _rude(("customer", "好的"), ("agent", text))


def test_a_nickname_after_any_post_names_the_agent() -> None:
    def greets(text: str) -> bool:
        return evaluate(call(("agent", text), CLOSE), PACK).finding("greeting").passed

    assert greets("阿姨您好 这里是东城银行 我是前台小周 请问办什么")
    assert not greets("阿姨您好 这里是东城银行 请问您办什么业务")


def test_answering_thanks_closes_the_call() -> None:
    def closes(last: str) -> bool:
        ended = call(GREET, ("customer", "好的我知道了，谢谢"), ("agent", last))
        return evaluate(ended, PACK).finding("closing").passed

    assert closes("不客气阿姨，您这边坐一下，叫到号我喊您")
    assert not closes("嗯")


@pytest.mark.parametrize("turns", [
    # the information said to be plainly written, and the customer said not to have read it
    [("customer", "怎么又扣了一笔年费"), ("agent", "年费规则在协议里写得非常清楚，您当时没留意")],
    # the customer's ignorance told to them
    [("customer", "年费怎么这么多"), ("agent", "年费这块您就是不懂了，它是按年收的")],
    # their own action named as what makes the agent's work hard
    [("customer", "我已经在网上曝光了"), ("agent", "您这么闹的话我们很难办的")],
    # their duty lectured to them by their role
    [("customer", "他欠钱关我什么事"), ("agent", "您做父母的总得提醒一下孩子")],
    # a repetition closed with exasperation, though the customer did not ask
    [("customer", "卡号是六二二八"), ("agent", "卡号我刚刚已经说过了嘛，要的是身份证号")],
])
def test_talking_down_by_structure(turns: list[tuple[str, str]]) -> None:
    assert _rude(*turns)


@pytest.mark.parametrize("turns", [
    [("customer", "这个在哪里看"), ("agent", "说明书第二页写得很清楚，我帮您一条一条念一下")],
    [("customer", "我不懂这些"), ("agent", "没关系，不懂的地方我慢慢给您讲")],
    [("customer", "好的"), ("agent", "还款日刚才说过了，每月十号，短信也会提醒您")],
    [("customer", "我儿子的卡"), ("agent", "您作为家长可以陪他一起来网点办理")],
])
def test_plain_help_is_not_talking_down(turns: list[tuple[str, str]]) -> None:
    assert not _rude(*turns)

"""Greeting, courtesy and closing by what each element is rather than by the sentences seen:
a post is no name, a service desk is no institution, a hold ends the first turn; fault laid on
the customer however softly; leave-taking in its several families. Own sentences, each with
its look-alike."""

from __future__ import annotations

import pytest

from qa import evaluate, load_pack
from tests.qa.helpers import CLOSE, GREET, call

PACK = load_pack()


def greets(*turns: tuple[str, str]) -> bool:
    return evaluate(call(*turns, CLOSE), PACK).finding("greeting").passed


@pytest.mark.parametrize("text", ["您好，东城银行，我是客服，请问有什么可以帮您",
                                  "您好，东城银行客服中心，我是客服代表，请问有什么可以帮您",
                                  "喂您好 这边是京华理财的客户经理打扰您一下 请问是许先生吗",
                                  "您好，我是东城银行的客户经理，请问您现在方便吗",
                                  "您好，东城银行，我是理财经理，很高兴为您服务",
                                  "喂 你好 东城营航客服 请讲"])
def test_a_post_without_a_name_names_no_one(text: str) -> None:
    assert not greets(("agent", text))


@pytest.mark.parametrize("text", ["您好，东城银行，我是客户经理王芳，请问有什么可以帮您",
                                  "大爷您好欢迎光临梨树农商云航我是柜员孙丽娜您办点啥业务",
                                  "阿姨您好 欢迎来到东城村镇银行 我是柜员二号 王小燕 您办什么业务",
                                  "喂 王姐您好 我是天府营航锦江支行的理财经里 小罗 是王丽华王姐本人吧",
                                  "您好，我是东城银行理财经理张伟，请问是刘先生吗"])
def test_a_post_with_its_name(text: str) -> None:
    assert greets(("agent", text))


def test_a_service_desk_is_no_institution() -> None:
    assert not greets(("agent", "喂 您好 我是 客服中心的 小马 工号 三零幺 请问是田桂花阿姨吗"))
    assert not greets(("agent", "您好，这里是客服中心，我是小王"))
    assert not greets(("agent", "您好，客户服务热线，工号三二一"))
    assert greets(("agent", "您好 东城市农村信用联社客服热线 工号六零八八 我是小普"))
    # A wealth company by its name, whatever follows it.
    assert greets(("agent", "您好，我是招银理财合作渠道的投资顾问陈思远，工号5530"))


@pytest.mark.parametrize("text", ["喂，王先生好，我是东城银行的客户经理李明", "您好，东城银行，为您服务的是王芳",
                                  "您好，东城银行，我这边是小王", "您好，诺亚财富，我是理财师王芳",
                                  "您好，东城金融，我是客服小李"])
def test_openers_in_other_words(text: str) -> None:
    assert greets(("agent", text))


def test_a_post_or_product_is_no_finance_house() -> None:
    assert not greets(("agent", "您好，我是财富经理王芳"))
    assert not greets(("agent", "您好，我是您的专属财富顾问王芳"))


def test_a_hold_ends_the_first_turn() -> None:
    assert not greets(("agent", "喂 您好 请稍等一下啊"),
                      ("agent", "不好意思久等了 您好 这里是东城营航 我是客服小蒋 工号幺九二零"))
    assert greets(("agent", "您好，东城银行，工号三二一，请稍等"), ("agent", "好的久等了"))
    # One greeting that ASR split in two is still one turn.
    assert greets(("agent", "您好，东城银行客服中心"), ("agent", "工号二七一五为您服务"))


def _rude(customer: str, agent: str) -> bool:
    f = evaluate(call(GREET, ("customer", customer), ("agent", agent), CLOSE), PACK).finding("courtesy")
    return f.applicable and not f.passed


@pytest.mark.parametrize("text", ["亲，这确实是您那边网络或者手机的问题哦，我们系统是没问题的",
                                  "阿姨，这个要怪就怪您当时没选对产品",
                                  "一期五十一块六，您办不办，我这边还有好多电话要打",
                                  "不能退，规定就是规定，您签字的时候怎么不问",
                                  "那您还是去网点吧，这个跟您解释也解释不清楚",
                                  "您耳朵不好就让家里人来打"])
def test_fault_busyness_and_wits_held_up_to_the_customer(text: str) -> None:
    assert _rude("这个怎么回事", text)


@pytest.mark.parametrize("text", ["哎，又要再说一遍啊", "您是不是不识字啊", "便宜？您想得倒挺美",
                                  "我们就这样，不满意您可以换家银行"])
def test_exasperation_insult_and_sarcasm(text: str) -> None:
    assert _rude("能再说一遍吗", text)


@pytest.mark.parametrize(("customer", "text"), [("你能不能说慢点", "我已经说得很慢了"),
                                              ("你说清楚点", "我说得够清楚了"),
                                              ("这个表我不会填", "不会填就让别人帮您填"), ("什么时候能好", "等着吧")])
def test_defending_oneself_and_brushing_off(customer: str, text: str) -> None:
    assert _rude(customer, text)
    assert not _rude(customer, "不好意思，我说得有点快了，我慢点说")
    assert not _rude(customer, "您等着短信通知就行，一般当天到")


@pytest.mark.parametrize("text", ["可能是您手机缓存的问题，您清一下缓存再试试",
                                  "不好意思，不是您的问题，是系统重复扣款",
                                  "好的，我这边还有一个步骤，马上就好",
                                  "这是您那边网络的问题吗？", "好的，我再给您说一遍"])
def test_diagnosis_apology_and_checks_pass(text: str) -> None:
    assert not _rude("这个怎么回事", text)


def _closes(last: str) -> bool:
    c = call(GREET, ("customer", "定期利率多少"), ("agent", "三年期百分之二点一"), ("customer", "好的我知道了"),
             ("agent", last))
    return evaluate(c, PACK).finding("closing").passed


@pytest.mark.parametrize("last", ["好的，欢迎下次光临", "好嘞阿姨，您路上小心", "好的，那您保重身体",
                                  "好的，欢迎您再次来电",
                                  "好的，请您对本次服务进行评价，谢谢"])
def test_leave_taking_in_its_families(last: str) -> None:
    assert _closes(last)


@pytest.mark.parametrize("last", ["好的", "行那就这样", "下一位", "好的，那就先这样", "您哪天有空来网点一趟"])
def test_ending_without_a_close(last: str) -> None:
    assert not _closes(last)

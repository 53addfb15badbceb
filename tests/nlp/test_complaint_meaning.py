"""nlp/complaint.py: a threat or filing read by meaning. A name heard by sound is a word of
its own (利率是 is no 律师, 韩长顺 no 行长); a complaint made before or dropped in the same
words is told about, not made; asking how to complain about a shop files nothing; a space
in ASR text ends a clause (不用不用 我不投诉); 不会就这么算了 insists rather than gives up."""

from __future__ import annotations

import json

import pytest

from core.types import Segment, Transcript
from nlp.analyze import analyze_conversation
from nlp.complaint import complaint_evidence
from nlp.sentiment import Sentiment, sentiment_of
from tests.nlp.conftest import DATA


def _high(text: str) -> bool:
    return any(e.threat or e.filed for e in complaint_evidence(0, text))


@pytest.mark.parametrize("text", [
    "哦 好的 那汇率是多少",
    "我税率是百分之二十，那挺划算的。",
    "你好我想问下我那个万能险这个月结算利率是多少",
    "俺叫韩长顺 后四位 三九二八",
    "你好，我上礼拜打电话投诉过一个事，ATM把我卡吞了，现在卡已经拿回来了，我不投诉了，跟你们说一声。",
    "那个投诉我不投诉了 你们帮我撤掉就好",
    "那我想投诉这个饭店 怎么投诉",
    "不用不用 我不投诉 就是说一嘴 下回快点就行",
    "本来想找记者，后来想想算了",
    "你好，我不是要投诉啊，就是你们每天都给我发理财的营销短信，能不能帮我关掉？",
])
def test_no_threat_and_no_filing(text: str) -> None:
    assert not _high(text)


@pytest.mark.parametrize("text", [
    "办是要办 但这个事我不会就这么算了 我一会儿就打你们总行的投诉电话 投诉这个柜员",
    "我要找绿师告你们",
    "我要投诉你们那个柜员",
    "再不处理我就打12378",
    "你们这样我就去找记者曝光",
    "反馈有啥用 我明天直接去支行 找你们行长 当面问他 你们卖东西就这么卖的吗",
    "这回要是还给我拖，我就去营业部找你们总经理当面说。",
])
def test_threats_and_filings_still_count(text: str) -> None:
    assert _high(text)


# An adversarial set written apart from the rules (data/complaint_adversarial.jsonl): 64
# customer turns that threaten or file a complaint (dialect, ASR spelling, indirect, conditional,
# long) and 74 hard negatives (a name as a topic or identity, law against someone else, an
# errand transfer, dialect 不投诉, praise for a manager, the agent's own disclosure).
_ADVERSARIAL = [json.loads(x) for x in (DATA / "complaint_adversarial.jsonl").read_text("utf-8").splitlines()
                if x.strip()]


@pytest.mark.parametrize("row", _ADVERSARIAL, ids=[r["id"] for r in _ADVERSARIAL])
def test_adversarial_turn(row: dict[str, str]) -> None:
    text = row["customer"]
    high = any(e.threat or e.filed for e in complaint_evidence(0, text, sentiment_of(text)))
    assert high == (row["expect"] == "high"), f"{row['kind']}: {text}"


def test_adversarial_call_level_reads_customer_turns_only() -> None:
    """The agent's disclosure (可拨打12378…投诉, 您可以投诉) rates nothing: the call is not high."""
    rows = [r for r in _ADVERSARIAL if r.get("agent")]
    assert len(rows) >= 5
    for r in rows:
        segs = (Segment("agent", 0.0, 2.0, r["agent"]), Segment("customer", 2.0, 4.0, r["customer"]))
        assert analyze_conversation(Transcript(segs, 4.0, 2), None).complaint_risk != "high", r["agent"]


@pytest.mark.parametrize("text", [
    "什么叫我不小心 他是你们公司的人 我明天就去证监局 这是代客理财 违法的",
    "我下午就去把所有账户都销掉，钱全部转到招行去，你们这种服务，受不了。",
])
def test_local_regulator_and_closing_everything_in_protest_are_threats(text: str) -> None:
    assert _high(text)


@pytest.mark.parametrize("text", [
    "证监局的新规是什么时候出的",
    "我想把钱全部转到招行去买房，首付要用",
])
def test_regulator_named_as_a_topic_and_money_moved_for_an_errand_are_not(text: str) -> None:
    assert not _high(text)



@pytest.mark.parametrize("text", [
    "我不想跟你讲了，你让你们领导来跟我说，我要找你们杭州分公司老总，那个业务员必须给我个交代。",
    "我现在不是要听这个，我要你们领导给我回电话。",
    "我不听这些，我要你们经理给我回个电话。",
    "别跟我说这些了，我要你们领导今天给我回电话。",
    "叫你们行长马上出来见我。",
])
def test_escalation_to_a_boss_of_the_institution_is_filed(text: str) -> None:
    # 分公司 is the insurer itself, not a third party; 我要你们领导… asks for the boss.
    assert _high(text)


@pytest.mark.parametrize("text", [
    "行 我跟我老伴一块去 两个人行吧",
    "我本人行不行，还是要我儿子陪着",
])
def test_two_people_or_the_holder_in_person_is_no_central_bank(text: str) -> None:
    # Even in a turn read as angry, where a bare regulator name warns, 人行 here is no name.
    angry = Sentiment("negative", -1.0, ())
    assert not any(e.threat or e.filed for e in complaint_evidence(0, text, angry))


@pytest.mark.parametrize("text", [
    "你这什么态度 我打个电话 还被你说不会 我等下 就打你们总行电话 说说你这个人",
    "这个钱 不退回来 我把你们 交通营航的卡 全部销掉 储蓄卡 信用卡 一张不留",
    "你们这系统三天两头出问题，上个月也这样。再这样我就把账户全销了，钱全转到别家去。",
])
def test_calling_the_head_office_and_closing_everything_unless_put_right_are_threats(text: str) -> None:
    # A phone call to the head office about the agent files a complaint; closing every card or
    # account unless the bank puts it right is a threat, conditional or not (read in its tone,
    # as the pipeline does: closing is a threat only when said in anger or protest).
    assert any(e.threat or e.filed for e in complaint_evidence(0, text, sentiment_of(text)))


@pytest.mark.parametrize("text", [
    "我想把这张卡销了，钱全转到别的卡上，我搬家了用不上。",
    "我打你们总行电话问过了，他们说可以办。",
])
def test_closing_for_a_reason_and_calling_head_office_for_information_are_not(text: str) -> None:
    assert not any(e.threat or e.filed for e in complaint_evidence(0, text, sentiment_of(text)))

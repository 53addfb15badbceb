"""nlp/upsell.py: which customer turns open an opportunity, and whether the agent took it."""

from __future__ import annotations

import pytest

from nlp.upsell import OPENING_TYPES, detect_openings, opening_cues
from tests.qa.helpers import call


@pytest.mark.parametrize(("text", "kind"), [
    ("喂你好我那个李财下个月十五号到其了", "maturity"),
    ("我那笔存丹月底倒期", "maturity"),
    ("上次买的国债是不是快到期了", "maturity"),
    ("我卡里有二十万闲着没用", "idle_funds"),
    ("嗯手里有点闲钱不知道放哪", "idle_funds"),
    ("孩子明年上大学学费得准备", "education"),
    ("想给闺女存点留学的钱", "education"),
    ("我快退休了想规划一下养老", "retirement"),
    ("我和老伴考虑养劳的事", "retirement"),
    ("这收益也太低了", "yield_dissatisfaction"),
    ("那个鸡金亏了好多", "yield_dissatisfaction"),
    ("年终奖发了三十万", "large_inflow"),
    ("前两天刚到账了六十万", "large_inflow"),
    ("我想给家里老人配点保险", "protection_need"),
    ("万一生病了家里怎么办", "protection_need"),
])
def test_each_type_found_with_asr_errors(text: str, kind: str) -> None:
    assert kind in opening_cues(text)


@pytest.mark.parametrize("text", [
    "我身份证快到期了要换", "信用卡到期了新卡什么时候寄", "贷款到期了我要还款", "我不缺钱就是问问", "我没有什么闲钱",
    "收益还可以挺满意", "要是亏了怎么办", "最近收益是不是降了", "我要转五十万给我儿子", "保险起见我还是先不买",
    "我妈养老金到账了没", "孩子已经工作了不用操心", "我不是有闲钱是准备买房的", "这个功能我暂时不用",
    "我很意外你们这么快",
    "存款保险是什么意思", "还没到期呢我就问问",
])
def test_hard_negatives(text: str) -> None:
    assert opening_cues(text) == {}


def test_taken_by_a_relevant_offer_with_agent_evidence() -> None:
    tr = call(("agent", "您好城东支行理财经理小王"), ("customer", "我那个理财下个月十号到期了三十万"),
              ("agent", "好的"), ("agent", "到期以后可以考虑转存我们的大额存单"))
    (op,) = detect_openings(tr)
    assert (op.type, op.segment, op.taken) == ("maturity", 1, True)
    assert op.take is not None and op.take.segment == 3 and op.take.kind == "offer" and "大额存单" in op.take.products
    assert op.entity("amount")[1].value == 300000.0  # type: ignore[index]
    assert op.entity("date")[1].value == {"month_offset": 1, "day": 10, "maturity": True}  # type: ignore[index]
    ev = op.to_json()["evidence"]
    assert ev["agent"]["segment"] == 3 and ev["customer"]["cue"] == "到期"  # type: ignore[index]


def test_missed_when_agent_only_answers_or_refuses() -> None:
    for reply in ("好的还有其他问题吗", "我们这边不能给您推荐产品", "到期后资金会自动回到您的活期账户"):
        (op,) = detect_openings(call(("customer", "我的定期下周到期"), ("agent", reply)))
        assert not op.taken, reply


def test_meeting_counts_as_taken() -> None:
    (op,) = detect_openings(call(("customer", "孩子明年要上大学了"), ("agent", "我帮您约个时间来网点聊聊教育金规划")))
    assert op.taken and op.take is not None and op.take.kind in ("meeting", "offer")


def test_offer_must_fit_the_opening_and_window_is_three_agent_turns() -> None:
    # An education offer answers the education opening, not the earlier maturity one.
    ops = detect_openings(call(("customer", "我的理财月底到期"), ("agent", "好的"),
                               ("customer", "孩子明年上大学学费得准备"), ("agent", "给您介绍一下教育年金保险")))
    assert {o.type: o.taken for o in ops} == {"maturity": False, "education": True}
    # A cover offer does not take a money opening.
    (op,) = detect_openings(call(("customer", "我卡里有二十万闲钱"), ("agent", "给您推荐一款重疾险")))
    assert not op.taken
    # The fourth agent turn is too late.
    late = call(("customer", "我卡里有二十万闲钱"), ("agent", "好的"), ("agent", "嗯"), ("agent", "您稍等"),
                ("agent", "给您推荐一款理财产品"))
    assert not detect_openings(late)[0].taken


def test_agent_words_and_plain_calls_raise_nothing() -> None:
    tr = call(("agent", "您好我们最近有教育金的讲座养老理财也卖得很好"), ("customer", "我想查一下余额"),
              ("agent", "好的您的余额是五千元"), ("customer", "好的谢谢"))
    assert detect_openings(tr) == ()
    assert detect_openings(call()) == ()


def test_repeated_mention_is_one_opening_and_date_from_next_customer_turn() -> None:
    tr = call(("customer", "我那个理财快到期了"), ("agent", "请问哪天到期"), ("customer", "三月二号到期吧"),
              ("agent", "好的"))
    (op,) = detect_openings(tr)
    assert op.segment == 0
    assert op.entity("date") is not None and op.entity("date")[0] == 2  # type: ignore[index]


def test_type_ids_are_fixed() -> None:
    assert OPENING_TYPES == ("maturity", "idle_funds", "education", "retirement", "yield_dissatisfaction",
                             "large_inflow", "protection_need")

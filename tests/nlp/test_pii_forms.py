"""Forms of personal numbers the masking once missed (issue 12, round 9 blind spots),
each with the ordinary numbers around it that must stay readable. Wording written for
these tests; numbers are made up (checksums computed where the form needs one)."""

from __future__ import annotations

import pytest

from callsight.privacy import mask_result
from core.types import Segment
from nlp.pii import find_pii, mask_text, mask_turns
from nlp.pii_audio import pii_time_spans

_NUMERALS = {**{str(i): str(i) for i in range(10)}, **{c: str(i) for i, c in enumerate("零一二三四五六七八九")},
             "幺": "1", "两": "2", "〇": "0"}


def visible(text: str) -> str:
    """The digits a reader sees, separators dropped (a generous judge)."""
    return "".join(_NUMERALS.get(ch, "") for ch in text)


@pytest.mark.parametrize(("text", "shown"), [
    # Any white space between groups: a no-break space, a thin space, runs of spaces.
    ("手机 139\u00a02468\u00a01357", "139****1357"),
    ("手机号 139\u20092468\u20091357", "139****1357"),
    ("卡号 6225      8801      2345      6789", "6225********6789"),
    # 杠 (a dash read out), full-width hyphens and middle dots.
    ("座机零二一杠五八七六五四三二", "021******32"),
    ("电话 139－2468－1357", "139****1357"),
    ("电话 139·2468·1357", "139****1357"),
    # The reader's own 对 between groups.
    ("我手机幺三九 对 二四六八 对 幺三五七", "139****1357"),
])
def test_groups_split_by_other_separators(text: str, shown: str) -> None:
    masked = mask_text(text)
    assert len(masked) == len(text)
    assert visible(masked.replace("*", "")) == shown.replace("*", "")


@pytest.mark.parametrize("text", [
    "手机幺三九要二四六八幺三五七",  # 要 for 幺
    "我手机是一三九二四六八妖三五期",  # 妖 for 幺, 期 for 七 (the last one stays as said)
    "资金账号六六凌幺二三四五",  # 凌 for 零
    "身份证号幺幺零幺零五幺九四九幺二三幺零零二幺",
])
def test_sound_alike_digits_between_digits(text: str) -> None:
    masked = mask_text(text)
    assert "*" in masked and len(visible(masked)) <= 7


@pytest.mark.parametrize("text", ["我要一三八的套餐", "一期二期三期我都买了", "我要买要三千块的", "山里三四家银行"])
def test_sound_alikes_elsewhere_are_words(text: str) -> None:
    assert mask_text(text) == text


def test_capital_numerals_are_digits() -> None:
    assert mask_text("资金账号壹叁伍柒贰肆陆捌") == "资金账号****贰肆陆捌"


def test_label_far_before_the_answer_or_in_the_speakers_own_turn() -> None:
    # The label is more than a few words before the number, or the speaker announced it
    # in the previous segment, or a 好的 came between question and answer.
    far = [("agent", "麻烦您报一下您的资金账号，我这边帮您把持仓和交割单都调出来看看，好吗？"),
           ("customer", "行，我翻翻本子啊，找到了，是五三零七幺二八六")]
    own = [("customer", "我先报一下我的证券账户啊"), ("customer", "七七零幺三五二八")]
    late = [("agent", "您的资金账号是多少"), ("customer", "好的稍等"), ("customer", "四幺二零八八六三")]
    later = [("agent", "请提供下资金账号"), ("customer", "等等我找找"), ("agent", "好的不着急"),
             ("customer", "三零二六五五八八零")]
    for turns in (far, own, late, later):
        out = mask_turns(turns)
        assert "*" in out[-1], out
        assert len(visible(out[-1])) <= 4


def test_label_said_after_the_number() -> None:
    assert mask_text("53071286，这是我的资金账号") == "****1286，这是我的资金账号"
    # A question after the agent's own number names none.
    assert mask_text("我的工号是1023456，请问您的资金账号是多少") == "我的工号是1023456，请问您的资金账号是多少"


def test_number_read_back_without_its_label_is_masked_everywhere() -> None:
    turns = [("agent", "请报一下资金账号"), ("customer", "五三零七幺二八六"),
             ("agent", "好的，跟您核对下，5307 1286，没错吧"), ("customer", "对，五三零七幺二八六")]
    out = mask_turns(turns)
    assert [visible(t) for t in out[1:]] == ["1286", "1286", "1286"]


def test_number_in_three_pieces_of_one_speaker() -> None:
    turns = [("customer", "手机是幺三九"), ("agent", "嗯"), ("customer", "二四六八"), ("customer", "幺三五七")]
    out = mask_turns(turns)
    assert visible("".join(out)) == "1391357"
    a, b, c, d = (Segment(s, 2.0 * i, 2.0 * i + 1.5, t) for i, (s, t) in enumerate(turns))
    assert len(pii_time_spans([a, b, c, d], pad=0.0)) == 3


def test_over_long_breath_of_digits_is_masked() -> None:
    # An account and a mobile read without a pause: 20 digits, more than any one number.
    text = "资金账号和手机 三零二六五五幺八零幺八幺零六二五三四四九"
    assert len(visible(mask_text(text))) <= 4


@pytest.mark.parametrize(("text", "kind"), [
    ("订单刚下了，我的卡号是6225880123456789", "bank_card"),  # the nearer label names it
    ("QQ号是20461357", "account"),
    ("股东代码A246813579", "account"),  # a shareholder code is a person's, a 产品代码 is not
    ("客户编号 20451234", "account"),
    ("证券账户是660,123,456", "account"),  # grouped by threes after its own label
    ("手机13924681357万一打不通您打座机", "mobile"),  # 万一 is no unit
    ("身份证号110105194912310021十八位", "id_card"),  # nor is the number's length
])
def test_labels_and_units_near_the_number(text: str, kind: str) -> None:
    assert [h.kind for h in find_pii(text)] == [kind]


@pytest.mark.parametrize("turns", [
    [("agent", "您好，我是客服小王，工号幺零二三，请问有什么可以帮您")],
    [("agent", "我的工号是1023456，请问您的资金账号是多少")],
    [("customer", "我想买5万块的理财，2026年3月到期，三点五个点")],
    [("customer", "卡号尾号是5678，手机尾号1234")],
    [("agent", "您的资金账户里现在有多少钱"), ("customer", "大概1,200,000吧")],
    [("agent", "请报一下您的资金账号"), ("customer", "稍等"),
     ("customer", "我先问下，3.85%是年化吗，我存了1000000元")],
    [("customer", "我账户里有五十万"), ("customer", "上个月买了二十万")],
    [("customer", "收益一般是三到五个点"), ("agent", "对"), ("customer", "二零二五年大概四点二")],
    [("agent", "工号五五三零，客服周敏"), ("customer", "嗯"), ("agent", "麻烦提供保单号")],
    [("agent", "处理编号是二零二六零六 零三 幺幺七，您记一下")],
    [("agent", "产品代码 000123，风险等级R3"), ("customer", "好"), ("agent", "您的资金账号之前报过了")],
    [("customer", "一三八一二三四五六七八万")],
])
def test_ordinary_numbers_stay(turns: list[tuple[str, str]]) -> None:
    assert mask_turns(turns) == [t for _, t in turns]


def test_result_document_masks_read_back_in_segments_and_quotes() -> None:
    doc = {"segments": [{"speaker": "agent", "start": 0.0, "end": 1.0, "text": "请报一下资金账号"},
                        {"speaker": "customer", "start": 1.0, "end": 2.0, "text": "好的，五三零七幺二八六"},
                        {"speaker": "agent", "start": 2.0, "end": 3.0, "text": "核对一下，53071286对吗"}],
           "summary": "坐席核对：53071286"}
    shown = mask_result(doc)
    assert all("5307" not in visible(s["text"]) for s in shown["segments"])
    assert visible(shown["summary"]) == "1286"


def test_quote_cut_off_mid_number_shows_no_more_than_the_mask() -> None:
    doc = {"segments": [{"speaker": "agent", "start": 0.0, "end": 1.0, "text": "卡号报一下"},
                        {"speaker": "customer", "start": 1.0, "end": 2.0, "text": "6217 0000 1001 2345 678"}],
           "summary": "客户：“是6217 0000 1…”"}
    assert mask_result(doc)["summary"] == "客户：“是6217 **** *…”"

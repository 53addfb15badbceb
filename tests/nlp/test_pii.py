"""PII detection and masking: valid numbers in every spoken form are masked in
place; ordinary numbers (amounts, dates, wrong checksums) are left alone."""

from __future__ import annotations

import pytest

from core.jsonio import to_json
from core.types import Segment, Word
from nlp.pii import PiiSpan, find_pii, mask_text, mask_turns
from nlp.pii_audio import pii_time_spans

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str) -> str:
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, _W, strict=True)) % 11]


def luhn(prefix: str) -> str:
    for last in "0123456789":
        digits = prefix + last
        total = 0
        for i, ch in enumerate(reversed(digits)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return digits
    raise AssertionError


ID_X = "11010519491231002X"  # the standard's own example, check character X
ID_9 = id_number("44030419900101123")
CARD = luhn("622202123456789012")  # 19 digits
CARD16 = luhn("436742123456789")
SPOKEN = {"0": "零", "1": "幺", "2": "二", "3": "三", "4": "四", "5": "五", "6": "六", "7": "七", "8": "八", "9": "九"}


def spoken(digits: str) -> str:
    return "".join(SPOKEN.get(d, "叉") for d in digits)


def test_checksums_of_fixtures() -> None:
    assert ID_X.endswith("X")
    assert len(CARD) == 19 and len(CARD16) == 16


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("我手机是13812345678", "mobile"),
        (f"身份证号{ID_X}", "id_card"),
        (f"{ID_9}", "id_card"),
        (f"卡号{CARD}", "bank_card"),
        (f"转到{CARD16}这张", "bank_card"),
        ("幺三八一二三四五六七八", "mobile"),
        ("一五九 八七六五 四三二一 就这个", "mobile"),
        ("号码是139，1234，5678", "mobile"),
        ("嗯我电话是幺三八嗯一二三四嗯五六七八", "mobile"),
        (f"证件号 {spoken(ID_X)}", "id_card"),
        (f"{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}", "bank_card"),
        ("ｔｅｌ１３８１２３４５６７８", "mobile"),
    ],
)
def test_detects_and_masks_same_length(text: str, kind: str) -> None:
    hits = find_pii(text)
    assert [h.kind for h in hits] == [kind]
    masked = mask_text(text)
    assert len(masked) == len(text)
    assert "*" in masked
    # Every character outside the masked digits is untouched.
    for a, b in zip(text, masked, strict=True):
        assert b == a or b == "*"
    # The span points at the number in the original text.
    h = hits[0]
    assert text[h.start] not in " ，" and text[h.end - 1] not in " ，"


def test_mobile_mask_format() -> None:
    assert mask_text("手机13812345678。") == "手机138****5678。"
    assert mask_text("幺三八一二三四五六七八") == "幺三八****五六七八"


def test_id_and_card_keep_ends_only() -> None:
    assert mask_text(ID_X) == "110***********002X"
    masked = mask_text(f"卡号{CARD}")
    assert masked == "卡号" + CARD[:4] + "*" * 11 + CARD[-4:]


def test_two_numbers_in_one_breath() -> None:
    text = f"卡号{CARD} 手机13912345678"
    hits = find_pii(text)
    assert [h.kind for h in hits] == ["bank_card", "mobile"]
    assert hits[0].digits == CARD and hits[1].digits == "13912345678"
    assert "13912345678" not in mask_text(text) and CARD not in mask_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "我想买五十万元的理财",
        "存了50000块钱",
        "20231215到期",
        "123456789",  # 9 digits, nothing announcing it
        "订单号" + luhn("622202123456789")[:-1] + str((int(luhn("622202123456789")[-1]) + 1) % 10),  # our own number
        "订单号110105194912310021",  # ID checksum wrong, no ID context
        "您的工单号是2026120700153",  # our own reference number, announced as such
        "一三八一二三四五六七八万",  # a quantity, not a number read out
        "",
    ],
)
def test_leaves_ordinary_numbers_alone(text: str) -> None:
    assert find_pii(text) == []
    assert mask_text(text) == text


@pytest.mark.parametrize(
    "text, kind",
    [
        ("12345678901", "account"),  # 11 digits, not a mobile prefix
        ("1381234567", "account"),  # 10 digits
        ("138123456789", "account"),  # 12 digits: not a mobile, not a card
        (luhn("622202123456789")[:-1] + str((int(luhn("622202123456789")[-1]) + 1) % 10), "bank_card"),
        ("六二二八 四八零一 二二七三 九九五六 幺幺八。", "bank_card"),  # 19 digits, asked for in the turn before
    ],
)
def test_long_unannounced_numbers_are_masked(text: str, kind: str) -> None:
    # The question that announced the number is often the other speaker's previous
    # turn, which a quoted sentence does not carry: a long number shown is a leak.
    assert [h.kind for h in find_pii(text)] == [kind]
    assert mask_text(text) != text


def test_account_number_of_seven_digits_announced() -> None:
    assert [h.kind for h in find_pii("资金账号四五二七七零八，身份证后四位三九幺二")] == ["account"]


def test_announced_number_with_asr_error_still_masked() -> None:
    # One digit misheard: the checksum fails, but 身份证号 announces it.
    bad = ID_9[:-1] + ("1" if ID_9[-1] != "1" else "2")
    assert [h.kind for h in find_pii(f"我身份证号是{bad}")] == ["id_card"]
    bad_card = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    assert [h.kind for h in find_pii(f"银行卡号{bad_card}")] == ["bank_card"]


def test_card_length_number_masked_without_checksum_or_label() -> None:
    # The 卡号 question is often in the other speaker's turn and ASR slips a digit: 16 to 19
    # digits read in groups are a card number unless labelled as our own (订单号…).
    bad = luhn("622202123456789")[:-1] + str((int(luhn("622202123456789")[-1]) + 1) % 10)
    said = f"记得，我手机里存着，{bad[:4]} {bad[4:8]} {bad[8:12]} {bad[12:]}。"
    assert [h.kind for h in find_pii(said)] == ["bank_card"]
    assert mask_text("6228 4801 2273 9956 118。") == "6228 **** **** ***6 118。"


def test_announced_mobile_with_a_digit_too_many_or_few_masked() -> None:
    assert mask_text("我叫曾慧 手机号 幺三七六二八零四五五幺九") == "我叫曾慧 手机号 幺三七*****五五幺九"
    assert [h.kind for h in find_pii("电话是1381234567")] == ["mobile"]
    assert [h.kind for h in find_pii("138123456789")] == ["account"]  # not announced: no mobile, still masked


def test_two_read_as_liang_inside_a_number() -> None:
    said = "身份证号码呢 是四幺零两零三 幺九七八 零六两四 幺二三四"
    assert mask_text(said) == "身份证号码呢 是四幺零*** **** **** 幺二三四"
    assert mask_text("我买了两三百块的") == "我买了两三百块的"


def test_span_and_json_never_carry_digits() -> None:
    h = find_pii("电话13812345678")[0]
    assert h == PiiSpan("mobile", 2, 13, "13812345678")
    assert to_json(h.record(3)) == {"type": "mobile", "segment": 3, "start": 2, "end": 13}


def test_time_spans_from_words() -> None:
    words = (
        Word("我的", 1.0, 1.3, 0.9), Word("手机", 1.3, 1.6, 0.9), Word("是", 1.6, 1.7, 0.9),
        Word("138", 2.0, 2.6, 0.9), Word("1234", 2.7, 3.4, 0.9), Word("5678", 3.5, 4.2, 0.9),
        Word("谢谢", 4.5, 5.0, 0.9),
    )
    seg = Segment("customer", 1.0, 5.0, "我的手机是138 1234 5678谢谢", words)
    spans = pii_time_spans([seg], pad=0.0)
    assert spans == [(2.0, 4.2)]


def test_time_spans_estimated_without_words_and_merged() -> None:
    seg = Segment("customer", 10.0, 20.0, "手机13812345678")  # 13 chars over 10 s
    (s, e), = pii_time_spans([seg], pad=0.0)
    assert 11.0 < s < 12.0 and 19.9 < e <= 20.0
    assert pii_time_spans([Segment("agent", 0.0, 2.0, "您好")]) == []
    a = Segment("customer", 0.0, 4.0, "", (Word("13812345678", 1.0, 2.0, 1.0),))
    b = Segment("customer", 0.0, 4.0, "", (Word("13912345678", 2.05, 3.0, 1.0),))
    assert pii_time_spans([a, b], pad=0.0) == [(1.0, 3.0)]


def test_input_not_mutated_and_pure() -> None:
    text = "手机13812345678"
    before = str(text)
    mask_text(text)
    assert text == before
    assert mask_text(mask_text(text)) == mask_text(text)


# --------------------------------------------------------------------------- issue 15 / issue 12


@pytest.mark.parametrize(
    ("text", "masked", "kind"),
    [
        ("座机是零二一-六二三四五六七八", "座机是零二一-******七八", "landline"),
        ("电话021-62345678", "电话021-******78", "landline"),
        ("0755 2345678", "0755 *****78", "landline"),
        ("家里座机六二三四五六七八", "家里座机******七八", "landline"),
        ("邮箱是zhangsan@163.com", "邮箱是z*******@163.com", "email"),
        ("邮箱 wang.li 艾特 qq 点 com", "邮箱 w****** 艾特 qq 点 com", "email"),
        ("身份证号是三一零一，一零一九八五，零三一二，幺二三四",
         "身份证号是三一零*，******，****，幺二三四", "id_card"),
        ("我的身份证号码是，三一零一，呃，一零一九，八五零三，一二一二，三四", None, "id_card"),
        ("三一零一 一零一九八五 零三一二 幺二三四", "三一零* ****** **** 幺二三四", "id_card"),  # shape, no label
    ],
)
def test_landline_email_and_grouped_id(text: str, masked: str | None, kind: str) -> None:
    assert [h.kind for h in find_pii(text)] == [kind]
    out = mask_text(text)
    assert len(out) == len(text)
    if masked is not None:
        assert out == masked
    digits = [c for c in out if c in "0123456789零一二三四五六七八九幺"]
    assert "*" in out and len(digits) <= 7


@pytest.mark.parametrize("text", ["客服热线95588", "电话里说的是下午三点", "订单号110105194912310021",
                                  "编号310110198503121234", "look at the numbers"])
def test_new_kinds_leave_ordinary_text_alone(text: str) -> None:
    assert mask_text(text) == text


def test_mobile_split_across_two_turns_of_one_speaker() -> None:
    turns = [("customer", "我手机是一三八一二"), ("agent", "嗯"), ("customer", "三四五六七八"),
             ("agent", "好的一二三四五")]
    out = mask_turns(turns)
    assert out == ["我手机是一三八**", "嗯", "**五六七八", "好的一二三四五"]
    assert turns[0][1] == "我手机是一三八一二"  # input untouched
    # Arabic digits, punctuation at the cut.
    assert mask_turns([("customer", "我手机是138 1234，"), ("customer", "5678。")]) == [
        "我手机是138 ****，", "5678。"]


def test_split_needs_the_same_speaker_and_adjacent_turns() -> None:
    # The agent's digits do not complete the customer's.
    turns = [("customer", "尾号一三八一二"), ("agent", "三四五六七八九是吗")]
    assert mask_turns(turns) == [t for _, t in turns]
    # A long turn of someone else in between: not one number.
    turns = [("customer", "一三八一二"), ("agent", "请问您还有别的问题需要咨询吗"), ("customer", "三四五六七八")]
    assert mask_turns(turns) == [t for _, t in turns]


def test_time_spans_of_a_number_split_over_two_turns() -> None:
    a = Segment("customer", 10.0, 12.0, "手机一三八一二")  # 7 chars over 2 s
    b = Segment("agent", 12.2, 12.5, "嗯")
    c = Segment("customer", 13.0, 14.2, "三四五六七八")  # 6 chars over 1.2 s
    spans = pii_time_spans([a, b, c], pad=0.0)
    assert len(spans) == 2
    (s1, e1), (s2, e2) = spans
    assert s1 == pytest.approx(10.0 + 2 * 2 / 7) and e1 == pytest.approx(12.0)
    assert s2 == pytest.approx(13.0) and e2 == pytest.approx(14.2)
    # Another speaker's digits do not complete it.
    assert pii_time_spans([a, Segment("agent", 13.0, 14.2, "三四五六七八")], pad=0.0) == []


def test_id_check_character_spoken_as_aikesi() -> None:
    text = f"身份证号{spoken(ID_X[:17])}艾克斯"
    (hit,) = find_pii(text)
    assert hit.kind == "id_card" and hit.digits == ID_X
    assert mask_text(text) == f"身份证号{spoken(ID_X[:3])}{'*' * 11}{spoken(ID_X[14:17])}艾克斯"
    assert mask_text("我喜欢艾克斯光") == "我喜欢艾克斯光"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("资金账号是幺零八八六六五五四四三", "资金账号是*******五四四三"),
        ("证券账户 0012345678", "证券账户 ******5678"),
        ("我的保单号是 8800 1234 5678", "我的保单号是 **** **** 5678"),
        ("社保卡号二一零三零四零五零六零七", "社保卡号********零六零七"),
    ],
)
def test_announced_account_numbers_are_masked(text: str, masked: str) -> None:
    """Securities / fund accounts, policies and social-security cards are a person's
    numbers too (issue 12: numbers of other shapes were shown unmasked)."""
    assert mask_text(text) == masked
    assert [h.kind for h in find_pii(text)] == ["account"]


@pytest.mark.parametrize("text", ["工单号是二零二六一二零六零零一", "订单号88001234567", "我账户里有五十万"])
def test_account_rule_leaves_reference_numbers_and_amounts_alone(text: str) -> None:
    assert mask_text(text) == text


@pytest.mark.parametrize("text", [
    "我现在用的是新加坡护照 护照号E12345678",
    "港澳通行证号码C87654321",
    "台胞证是01234567",
])
def test_other_identity_papers_are_personal_numbers(text: str) -> None:
    # A passport or travel permit is an identity document like the ID card: its number
    # (a letter and 8 digits) is announced by its name and must not be shown whole.
    masked = mask_text(text)
    digits = "".join(ch for ch in masked if ch.isdigit())
    assert len(digits) <= 4 and "*" in masked

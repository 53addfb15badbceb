"""What a run of digits is: the validation and labels behind nlp.pii's detection.

A number's kind comes from its shape (ID-card checksum, mobile prefix, Luhn digit,
landline area code) and from the words around it: the label before it (身份证号… /
资金账号…), the question of the previous turn that asked for it, or a label said after it
(…是我的资金账号). When labels of a person's number and of one of ours (订单号, 工号) both
stand before it, the nearest one names it: 订单刚下了，我的卡号是… is a card.
"""

from __future__ import annotations

import re
from typing import Literal

PiiKind = Literal["id_card", "mobile", "bank_card", "landline", "email", "account"]

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
CONTEXT_WINDOW = 20
# A label said right after the number and owned by the speaker (66012345，是我的资金账号 /
# 66012345 这是我证券账户): a question that follows it (…，请问您的资金账号) names no number.
_AFTER = re.compile(r"^[\s，,、]{0,2}(?:这个?|那个?)?就?是(?:我|本人)的?(?:资金|证券|基金|银行)?")
# Mobiles need no context: 11 digits with the 1[3-9] prefix are specific enough.
_CONTEXT = {
    "id_card": re.compile(r"身份证|身分证|证件号|身份号|证件"),  # 身分证: as ASR writes it
    "mobile": re.compile(r"手机|电话|号码|联系方式|微信"),
    "bank_card": re.compile(r"卡号|银行卡|储蓄卡|信用卡|借记卡|账号|帐号|卡"),
    "landline": re.compile(r"座机|固话|固定电话|电话|办公室|单位|家里|分机|联系方式"),
    # Other personal account numbers: securities and fund accounts, policies, social
    # security and medical insurance cards, customer and member numbers, QQ.
    "account": re.compile(r"账号|帐号|账户|帐户|户号|客户号|客户编号|会员编号|保单|社保|医保|卡号|会员号|证券|资金|股东"
                         r"|基金账|QQ|qq|扣扣"
                         r"|护照|通行证|台胞证|回乡证|军官证|居留|证件号"),  # other identity papers
    # Labels of our own identifiers: an ID-shaped number after them is not a person's.
    # A 保单号, a 客户编号 and a 股东代码 are a person's; a 工号 is the agent's, ours.
    "not_id": re.compile(r"订单|流水|(?<!客户)(?<!会员)编号|(?<!保)单号|合同|工单|批次|交易号|(?<!股东)代码|工号"),
}
_PERSONAL = ("id_card", "mobile", "bank_card", "landline", "account")
_SERVICE_LINE = re.compile(r"[48]00[0-9]{7}")
_LANDLINE_AREA = re.compile(r"0(?:10|2\d)[2-9]\d{7}|0[3-9]\d{2}[2-9]\d{6,7}")


def id_checksum_ok(digits: str) -> bool:
    if len(digits) != 18 or not digits[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == digits[17]


def _id_shape_ok(digits: str) -> bool:
    """Region, birth year/month/day plausible: the announced-number fallback."""
    if len(digits) != 18 or not digits[:17].isdigit() or digits[0] == "0":
        return False
    year, month, day = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
    return 1900 <= year <= 2030 and 1 <= month <= 12 and 1 <= day <= 31


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


class Labels:
    """The labels around one number: ``before`` (the text that may announce it: the
    end of the turn before it, and the previous turn where that asked for it) and
    ``after`` (the few characters after it)."""

    __slots__ = ("_after", "_pos")

    def __init__(self, before: str, after: str = "") -> None:
        # Where each kind's last label ends in ``before`` (-1: none): the nearest wins.
        self._pos = {k: max((m.end() for m in rx.finditer(before)), default=-1) for k, rx in _CONTEXT.items()}
        m = _AFTER.match(after)
        self._after = after[m.end() : m.end() + 4] if m else ""

    def has(self, kind: str) -> bool:
        return self._pos[kind] >= 0

    def nearest(self, kind: str, *others: str) -> bool:
        """Labelled as ``kind`` nearer to the number than as any of ``others``."""
        return self._pos[kind] >= 0 and self._pos[kind] > max(self._pos[k] for k in others)

    def ours(self, kind: str | None = None) -> bool:
        """Labelled as one of our own numbers, nearer than the person's label of ``kind``
        (of any kind when None)."""
        mine = self._pos["not_id"]
        theirs = self._pos[kind] if kind else max(self._pos[k] for k in _PERSONAL)
        return mine >= 0 and mine > theirs

    def after(self, kind: str) -> bool:
        return bool(self._after) and _CONTEXT[kind].match(self._after) is not None


def classify(digits: str, labels: Labels) -> tuple[PiiKind, tuple[int, int]] | None:
    """The kind of a digit run and how many digits stay visible (front, back)."""
    n = len(digits)
    if n == 18 and (id_checksum_ok(digits) or (_id_shape_ok(digits) and not labels.ours("id_card"))):
        return "id_card", (3, 4)
    # An announced ID card with a digit missed or doubled by ASR (15 digits: the old format).
    if 15 <= n <= 19 and not labels.has("bank_card") and labels.nearest("id_card", "mobile", "not_id"):
        return "id_card", (3, 4)
    if "X" in digits:
        return None
    if n == 11 and re.fullmatch(r"1[3-9]\d{9}", digits):
        return "mobile", (3, 4)
    if n == 13 and re.fullmatch(r"861[3-9]\d{9}", digits):  # +86 read out
        return "mobile", (5, 4)
    # An announced mobile with a digit missed or doubled by ASR (幺三七六二八零四五五幺九).
    if n in (10, 12) and re.match(r"1[3-9]", digits) and labels.has("mobile"):
        return "mobile", (3, 4)
    # 16 to 19 digits are a card number whatever the checksum (ASR slips a digit, and the
    # question 卡号多少 is often in the other speaker's turn), unless labelled as one of
    # our own reference numbers: an unmasked card is a leak, a masked order number is not.
    if 16 <= n <= 19 and (luhn_ok(digits) or not labels.ours()):
        return "bank_card", (4, 4)
    if n in (11, 12) and _LANDLINE_AREA.fullmatch(digits):
        return "landline", (3 if digits[1] in "12" else 4, 2)
    if n in (7, 8) and digits[0] not in "01" and labels.nearest("landline", "account", "not_id"):
        return "landline", (0, 2)
    # A personal account number of any other shape (securities, fund, policy, social
    # security card, customer number), announced as such before it or named right after
    # it; our own reference numbers (orders, tickets, 工号) are not a person's.
    if n >= 7 and ((labels.has("account") and not labels.ours("account")) or labels.after("account")):
        return "account", (0, 4)
    # A long number read out with nothing announcing it in the same turn: the question
    # that asked for it (卡号? 资金账号?) was the agent's previous turn, or ASR broke the
    # card's Luhn digit. Calls have few long numbers that are not a person's, and those
    # are announced as ours (工单号, 订单号…), so the rest is masked: a masked reference
    # number costs a reviewer little, a card or account number shown is a leak.
    if _SERVICE_LINE.fullmatch(digits):
        return None
    if 10 <= n <= 19 and not labels.ours():
        return ("bank_card", (4, 4)) if n >= 16 else ("account", (0, 4))
    return None

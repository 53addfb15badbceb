"""Personal data in what people said: ID cards, mobile and landline numbers, bank
cards, e-mail addresses.

Call-centre speech reads numbers out in every form: Arabic digits from a typed
transcript, Chinese numerals from ASR (幺三八…, 洞 for 0), groups split by the
spaces/commas/fillers ASR puts between words (138 1234 5678, 幺三八，一二三四).
Detection therefore works on the *characters* of the original text: a number is
a list of character positions, and masking replaces the middle ones with ``*``
one for one, so the masked text has exactly the original length and every span,
word slice and timestamp computed on the original stays valid.

Validation keeps ordinary numbers alone (amounts, dates, order numbers): an ID
card needs its ISO 7064 checksum, a bank card its Luhn digit, a mobile the
1[3-9] prefix and 11 digits, a landline its area code (or, for a bare local
number, a word such as 座机 before it). ASR gets a digit wrong often enough that a
number announced as one (身份证号是… / 卡号… / 手机…) is taken on its length alone,
and an 18-digit number shaped like an ID card (plausible birth date) is masked
unless it is labelled as something else (订单号…): a masked order number costs
little, an unmasked ID card is a leak. For the same reason any other run of 10 to 19
digits is masked unless it is labelled as one of ours: the question that announced it
is often the other speaker's previous turn, which a quoted sentence does not carry.

A number split over two turns (the customer pauses, ASR starts a new segment) is
only visible across them: ``mask_turns`` masks a list of turns together, and reads the
other speaker's previous turn as the number's label (坐席: 资金账号报一下 / 客户: 66012345).

Amounts written with thousands separators or decimals (1,000,000.00), dates and clock
times (2024-03-15 14:30:25) and 400/800 service lines are ours or nobody's: their digits
never join a run, so they are not read as one long number.

Later stages quote a turn without its label (a keyword, a clause in a summary): a
7-digit account number alone looks like nothing. ``known_numbers`` lists the numbers
found in the turns and ``mask_known`` masks them wherever else they appear.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from core.result import PiiRecord
from nlp.spoken import SPOKEN_DIGITS

__all__ = ["PiiKind", "PiiSpan", "crossing", "find_pii", "known_numbers", "leads", "mask_known", "mask_text",
           "mask_turns"]

PiiKind = Literal["id_card", "mobile", "bank_card", "landline", "email", "account"]

# 两 is no digit for quantities (nlp.spoken), but people do read 2 as 两 inside a number
# (幺三两…); a quantity (两三百) never makes a run of seven digits, so here it counts.
_DIGIT_MAP = {**SPOKEN_DIGITS, "两": "2", **{str(i): str(i) for i in range(10)},
              **{chr(0xFF10 + i): str(i) for i in range(10)}}
# The ID card's check character; ASR writes the spoken "X" as 叉, or as 艾克斯 / 爱克斯
# (three characters: the first stands for the X, the other two are skipped).
_X_CHARS = "Xx叉Ｘｘ"
_SPOKEN_X = ("艾克斯", "爱克斯")
# Between two digit groups: ASR word breaks, commas, hyphens and hesitation sounds.
_SEP_CHARS = " \u3000\t-—–_,，、.。:：;；/()（）嗯呃额啊哦噢呢"
_MAX_SEP = 4

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Mobiles need no context: 11 digits with the 1[3-9] prefix are specific enough.
_CONTEXT = {
    "id_card": re.compile(r"身份证|证件号|身份号|证件"),
    "mobile": re.compile(r"手机|电话|号码|联系方式|微信"),
    "bank_card": re.compile(r"卡号|银行卡|储蓄卡|信用卡|借记卡|账号|帐号|卡"),
    "landline": re.compile(r"座机|固话|固定电话|电话|办公室|单位|家里|分机|联系方式"),
    # Other personal account numbers: securities and fund accounts, policies, social
    # security and medical insurance cards, customer numbers.
    "account": re.compile(r"账号|帐号|账户|帐户|户号|客户号|保单|社保|医保|卡号|会员号|证券|资金|基金账"
                         r"|护照|通行证|台胞证|回乡证|军官证|居留|证件号"),  # other identity papers
    # Labels of our own identifiers: an ID-shaped number after them is not a person's.
    "not_id": re.compile(r"订单|流水|编号|(?<!保)单号|合同|工单|批次|交易号|代码"),  # a 保单号 is a person's
}
# Digits that belong to an amount (thousands separators, or two decimals), a date or a
# clock time: read as part of a long run they made 15,823,456.78 or 2024-03-15 14:30 a
# "number"; nobody reads an ID or a card that way, so these digits break runs instead.
_NOT_A_NUMBER = re.compile(
    r"(?<![0-9,.])[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?(?![0-9,])"
    r"|(?<![0-9.,])[0-9]+\.[0-9]{1,2}(?![0-9.])"
    r"|(?<![0-9])(?:19|20)[0-9]{2}([-./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])"
    r"|(?<![0-9:])(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?(?![0-9:])"
)
# 400 / 800 service lines: a company's, read out to customers by agents.
_SERVICE_LINE = re.compile(r"[48]00[0-9]{7}")
_CONTEXT_WINDOW = 20
_LANDLINE_AREA = re.compile(r"0(?:10|2\d)[2-9]\d{7}|0[3-9]\d{2}[2-9]\d{6,7}")
# Latin local part, @ (or as ASR writes it: 艾特, " at "), a domain of dotted labels
# (dots as 点 / dot) ending in a common top-level domain.
_DOT = r"\s*(?:\.|点|。|\s+dot\s+)\s*"
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._%+-]*)\s*(?:@|＠|艾特|\s+at\s+)\s*"
    rf"((?:[A-Za-z0-9-]+{_DOT})+(?:com|cn|net|org|edu|gov|cc|info|hk|top|me))(?![A-Za-z])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """One personal number: ``text[start:end]`` holds it (separators included);
    ``digits`` is what was read out, normalised to ASCII (X upper-case)."""

    kind: PiiKind
    start: int
    end: int
    digits: str

    def record(self, segment: int) -> PiiRecord:
        """The result's shape, never the digits themselves."""
        return PiiRecord(self.kind, segment, self.start, self.end)


@dataclass(frozen=True, slots=True)
class _Cand:
    kind: PiiKind
    positions: tuple[int, ...]  # character index of every digit, in order
    digits: str
    keep: tuple[int, int]  # digits left visible at the front and at the back


def _id_checksum_ok(digits: str) -> bool:
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


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _announced(text: str, start: int, kind: str) -> bool:
    return bool(_CONTEXT[kind].search(text[max(0, start - _CONTEXT_WINDOW) : start]))


def _classify(text: str, digits: str, start: int) -> tuple[PiiKind, tuple[int, int]] | None:
    """The kind of a digit run and how many digits stay visible (front, back)."""
    n = len(digits)
    if n == 18 and (_id_checksum_ok(digits) or (_id_shape_ok(digits) and not _announced(text, start, "not_id"))):
        return "id_card", (3, 4)
    # An announced ID card with a digit missed or doubled by ASR (15 digits: the old format).
    if 15 <= n <= 19 and _announced(text, start, "id_card") and not _announced(text, start, "bank_card"):
        return "id_card", (3, 4)
    if "X" in digits:
        return None
    if n == 11 and re.fullmatch(r"1[3-9]\d{9}", digits):
        return "mobile", (3, 4)
    if n == 13 and re.fullmatch(r"861[3-9]\d{9}", digits):  # +86 read out
        return "mobile", (5, 4)
    # An announced mobile with a digit missed or doubled by ASR (幺三七六二八零四五五幺九).
    if n in (10, 12) and re.match(r"1[3-9]", digits) and _announced(text, start, "mobile"):
        return "mobile", (3, 4)
    # 16 to 19 digits are a card number whatever the checksum (ASR slips a digit, and the
    # question 卡号多少 is often in the other speaker's turn), unless labelled as one of
    # our own reference numbers: an unmasked card is a leak, a masked order number is not.
    if 16 <= n <= 19 and (_luhn_ok(digits) or not _announced(text, start, "not_id")):
        return "bank_card", (4, 4)
    if n in (11, 12) and _LANDLINE_AREA.fullmatch(digits):
        return "landline", (3 if digits[1] in "12" else 4, 2)
    if n in (7, 8) and digits[0] not in "01" and _announced(text, start, "landline"):
        return "landline", (0, 2)
    # A personal account number of any other shape (securities, fund, policy, social
    # security card, customer number), announced as such; our own reference numbers
    # (orders, tickets) are not a person's.
    if n >= 7 and _announced(text, start, "account") and not _announced(text, start, "not_id"):
        return "account", (0, 4)
    # A long number read out with nothing announcing it in the same turn: the question
    # that asked for it (卡号? 资金账号?) was the agent's previous turn, or ASR broke the
    # card's Luhn digit. Calls have few long numbers that are not a person's, and those
    # are announced as ours (工单号, 订单号…), so the rest is masked: a masked reference
    # number costs a reviewer little, a card or account number shown is a leak.
    if _SERVICE_LINE.fullmatch(digits):
        return None
    if 10 <= n <= 19 and not _announced(text, start, "not_id"):
        return ("bank_card", (4, 4)) if n >= 16 else ("account", (0, 4))
    return None


def _groups(text: str) -> list[list[list[int]]]:
    """Runs of digit groups: each run is a list of groups, each group the
    character positions of consecutive digits; groups in a run are separated by
    at most ``_MAX_SEP`` separator characters."""
    runs: list[list[list[int]]] = []
    run: list[list[int]] = []
    group: list[int] = []
    gap = skip = 0
    blocked = {i for m in _NOT_A_NUMBER.finditer(text) for i in range(m.start(), m.end())}
    for i, ch in enumerate(text):
        if i in blocked:
            ch = "|"  # breaks the run like any other word
        elif skip:  # the 克斯 of a spoken 艾克斯: part of the check character
            skip -= 1
            continue
        spoken_x = text.startswith(_SPOKEN_X, i)
        # The check character ends an 18-character number, in its own group or the last one.
        is_x = (ch in _X_CHARS or spoken_x) and sum(map(len, run)) + len(group) == 17
        if ch in _DIGIT_MAP or is_x:
            if not group and run and gap > _MAX_SEP:
                runs.append(run)
                run = []
            group.append(i)
            gap = 0
            skip = 2 if is_x and spoken_x else 0
            continue
        if group:
            run.append(group)
            group = []
        if ch in _SEP_CHARS and run:
            gap += 1
            if gap > _MAX_SEP:
                runs.append(run)
                run, gap = [], 0
        elif run:
            runs.append(run)
            run, gap = [], 0
    if group:
        run.append(group)
    if run:
        runs.append(run)
    return runs


def _digits_at(text: str, positions: Sequence[int]) -> str:
    return "".join(_DIGIT_MAP.get(text[p], "X") for p in positions)


def _candidates(text: str, lead: str = "") -> list[_Cand]:
    """``lead``: the text before ``text`` that may label its numbers (the other
    speaker's previous turn); its own numbers are not looked for."""
    context = f"{lead}\n{text}" if lead else text
    shift = len(context) - len(text)
    found: list[_Cand] = []
    for run in _groups(text):
        # Longest stretch of whole groups first, left to right, no overlaps: a
        # card number followed by a phone number in one breath gives two hits.
        used = [False] * len(run)
        spans = sorted(((i, j) for i in range(len(run)) for j in range(i, len(run))),
                       key=lambda ij: (-(sum(len(g) for g in run[ij[0] : ij[1] + 1])), ij[0]))
        for i, j in spans:
            if any(used[i : j + 1]):
                continue
            positions = [p for g in run[i : j + 1] for p in g]
            if len(positions) < 7 or len(positions) > 19:
                continue
            digits = _digits_at(text, positions)
            found_kind = _classify(context, digits, positions[0] + shift)
            if found_kind is None:
                continue
            kind, keep = found_kind
            # A spoken number ending in a unit (一三八…万) is a quantity, not an identifier.
            if positions[-1] + 1 < len(text) and text[positions[-1] + 1] in "十百千万亿元块":
                continue
            for k in range(i, j + 1):
                used[k] = True
            found.append(_Cand(kind, tuple(positions), digits, keep))
    found.extend(_emails(text))
    found.sort(key=lambda c: c.positions[0])
    return found


def _emails(text: str) -> list[_Cand]:
    """E-mail addresses; ``positions`` are those of the whole address, and all of the
    local part but its first character is masked (z*******@163.com)."""
    out: list[_Cand] = []
    for m in _EMAIL.finditer(text):
        local, domain = m.group(1), m.group(2)
        address = f"{local}@{re.sub(_DOT, '.', domain)}".lower()
        positions = tuple(range(m.start(), m.end()))
        out.append(_Cand("email", positions, address, (1, m.end() - m.end(1))))
    return out


def find_pii(text: str, lead: str = "") -> list[PiiSpan]:
    """ID-card, mobile and bank-card numbers in ``text``, in order of position.

    Spans are on ``text`` as given (no normalisation), from the first digit
    character to the last, separators inside included (an e-mail: the address).
    """
    if not text:
        return []
    return [PiiSpan(c.kind, c.positions[0], c.positions[-1] + 1, c.digits) for c in _candidates(text, lead)]


def mask_text(text: str, lead: str = "") -> str:
    """``text`` with the middle digits of every personal number replaced by ``*``.

    Same length as the input, character for character: separators and all other
    text are untouched, so offsets and word slices still line up.
    """
    cands = _candidates(text, lead) if text else []
    if not cands:
        return text
    chars = list(text)
    for p in _masked_positions(cands):
        chars[p] = "*"
    return "".join(chars)


def _masked_positions(cands: Sequence[_Cand]) -> set[int]:
    """Where ``*`` goes: 138****5678, 110***********123X, 6222 **** **** 1234, 021-******78."""
    out: set[int] = set()
    for c in cands:
        front, back = c.keep
        out.update(c.positions[front : len(c.positions) - back])
    return out


# Another speaker's turn between the two halves may be a backchannel (嗯 / 好的 / 您说), no more.
_BACKCHANNEL_MAX = 8


def mask_turns(turns: Sequence[tuple[str | None, str]]) -> list[str]:
    """Each turn's text masked as by ``mask_text``, and also a number whose digits run
    from the end of one turn into the start of the same speaker's next turn (with at
    most one short turn of someone else between): 我手机是一三八一二 / 三四五六七八.
    ``turns`` are (speaker, text) in time order; the result has one text per turn."""
    chars = [list(mask_text(text, lead)) for (_, text), lead in zip(turns, leads(turns), strict=True)]
    for i, j, found in crossing(turns):
        cut = len(turns[i][1])
        for p in _masked_positions(found):
            if p < cut:
                chars[i][p] = "*"
            elif p > cut:
                chars[j][p - cut - 1] = "*"
    return ["".join(c) for c in chars]


def leads(turns: Sequence[tuple[str | None, str]]) -> list[str]:
    """For each turn, the end of the previous turn when another speaker said it: the
    agent's question (卡号多少? / 资金账号报一下) labels the number the customer answers."""
    return [prev[1][-_CONTEXT_WINDOW:] if i and prev[0] != turn[0] else ""
            for i, (prev, turn) in enumerate(zip([(None, ""), *turns], turns, strict=False))]


def crossing(turns: Sequence[tuple[str | None, str]]) -> list[tuple[int, int, list[_Cand]]]:
    """(i, j, numbers) for each turn i whose number runs on into turn j of the same
    speaker; positions are on ``text_i + " " + text_j``."""
    out: list[tuple[int, int, list[_Cand]]] = []
    for i, (speaker, text) in enumerate(turns):
        j = i + 1
        if j < len(turns) and turns[j][0] != speaker and len(turns[j][1].strip()) <= _BACKCHANNEL_MAX:
            j += 1
        if j >= len(turns) or turns[j][0] != speaker or not text or not turns[j][1]:
            continue
        cut = len(text)  # the joining space
        lead = turns[i - 1][1][-_CONTEXT_WINDOW:] if i and turns[i - 1][0] != speaker else ""
        found = [c for c in _candidates(f"{text} {turns[j][1]}", lead) if c.positions[0] < cut < c.positions[-1]]
        if found:
            out.append((i, j, found))
    return out


def known_numbers(turns: Sequence[tuple[str | None, str]]) -> dict[str, tuple[int, int]]:
    """Every personal number found in the turns (labels, previous turns and numbers split
    over two turns included): its digits → the digits left visible (front, back)."""
    out: dict[str, tuple[int, int]] = {}
    for (_, text), lead in zip(turns, leads(turns), strict=True):
        out.update((c.digits, c.keep) for c in _candidates(text, lead) if c.kind != "email")
    out.update((c.digits, c.keep) for _, _, found in crossing(turns) for c in found if c.kind != "email")
    return out


def mask_known(text: str, known: dict[str, tuple[int, int]]) -> str:
    """``text`` with every occurrence of a known number masked, in whatever spoken or
    written form and whatever surrounds it: a quote that lost the number's label
    (a keyword, a summary's clause) shows it no more than the turn it came from."""
    if not known or not text:
        return text
    chars = list(text)
    for run in _groups(text):
        positions = [p for g in run for p in g]
        digits = _digits_at(text, positions)
        for number, (front, back) in known.items():
            at = digits.find(number)
            while at >= 0:
                for p in positions[at + front : at + len(number) - back]:
                    chars[p] = "*"
                at = digits.find(number, at + 1)
    return "".join(chars)

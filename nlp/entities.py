"""Entities in one utterance: amounts, dates, durations, product types, risk
levels and staff numbers, each with its character span in the text as given.

Matching runs on the homophone-fixed text (nlp.view.SegmentText.fixed), whose replacements keep the length,
so spans index the original text. Values are normalised (amount in yuan,
duration as count + unit, risk level as R1–R5 / C1–C5) for the client tags and
reports built on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from core.result import EntityRecord
from nlp.spoken import CUSTOMER_TYPES, SPOKEN_DIGITS, spoken_digit
from nlp.view import SegmentText, as_text

__all__ = ["Entity", "EntityType", "cn_number", "find_entities", "said_with_maturity"]

EntityType = Literal["amount", "date", "duration", "product", "risk_level", "customer_risk_level", "staff_id"]

# Numerals in quantities: the spoken digits less the phone-number-only 洞/么, plus 两 (两万).
_CN_DIGIT = {c: int(d) for c, d in SPOKEN_DIGITS.items() if c not in "洞么"} | {"两": 2}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+(?:点[零一二三四五六七八九]+)?)"


def cn_number(s: str) -> float | None:
    """'五十' → 50, '十五' → 15, '3.5' → 3.5, '两千五' → 2500 (spoken shorthand)."""
    s = s.strip()
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        pass
    if "点" in s:
        whole, frac = s.split("点", 1)
        w = cn_number(whole) if whole else 0.0
        digits = "".join(str(_CN_DIGIT.get(c, "")) for c in frac)
        return None if w is None or not digits else w + float("0." + digits)
    total, section, digit = 0, 0, None
    last_unit = 1
    for ch in s:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            unit = _CN_UNIT[ch]
            if unit >= 10_000:
                total += (section + (digit or 0)) * unit
                section, digit = 0, None
            else:
                section += (digit if digit is not None else 1) * unit
                digit = None
            last_unit = unit
        else:
            return None
    if digit is not None:
        # 两千五 = 2500: a trailing digit after a unit counts at the next unit down.
        section += digit * (last_unit // 10 if last_unit >= 100 and last_unit < 10_000 else 1)
    return float(total + section)


@dataclass(frozen=True, slots=True)
class Entity:
    type: EntityType
    text: str
    value: str | float | dict[str, object]
    start: int
    end: int

    def record(self, segment: int) -> EntityRecord:
        return EntityRecord(self.type, self.text, self.value, segment, self.start, self.end)  # type: ignore[arg-type]


_AMOUNT = re.compile(rf"({_NUM})\s*(万元|万块|万|w|W|千块|千元|k|K|亿|块钱|块|元)")
_DATE = re.compile(
    r"(?:(下个?月|这个?月|本月|上个?月|(?:\d{1,2}|[一二三四五六七八九十]{1,3})月)"
    rf"({_NUM})?(?:号|日)?)(?:到期)?"
    r"|(?:(今天|明天|后天|大后天|昨天|前天|(?:下|这|本)个?(?:周|礼拜|星期)(?:[一二三四五六日天]|[1-7](?![0-9.万千百块元号]))?"
    r"|月底|月初|年底|年初|下半年|明年)"
    r"(?:到期)?)"
)
_DURATION = re.compile(rf"({_NUM}|半)\s*(个月|年期|年|天|个星期|星期|周)(?:期|的期限)?")
_RISK = re.compile(r"(?<![a-zA-Z])([RrCc])\s*([1-5一二三四五])(?![0-9])|([一二三四五1-5])级(?:风险)?(?:的)?产品")
# The customer's assessed type said in words (您的风险测评是稳健型, 您属于平衡型的客户):
# value C1–C5 (the usual five-type scale). A type that names a product (稳健型理财) is no
# customer level; the clause before must be about the customer or the questionnaire.
_C_TYPE = re.compile(r"(保守|谨慎|稳健|平衡|成长|进取|激进)型(?!的?(?:理财|产品|基金|保险|组合))")
_ABOUT_CUSTOMER = re.compile(r"您|你|测评|测过|评估|问卷|结果|属于|客户|我是")
_STAFF = re.compile(r"工号(?:是|为)?\s*([0-9A-Za-z零幺一二三四五六七八九]{3,8})")
_PRODUCTS: tuple[tuple[str, str], ...] = (
    ("大额存单", "large_cd"), ("结构性存款", "structured_deposit"), ("定期存款", "time_deposit"),
    ("通知存款", "call_deposit"), ("储蓄国债", "treasury_bond"), ("国债", "treasury_bond"),
    ("货币基金", "money_fund"), ("债券基金", "bond_fund"), ("指数基金", "index_fund"), ("基金定投", "fund_plan"),
    ("定投", "fund_plan"), ("基金", "fund"), ("养老理财", "pension_wmp"), ("个人养老金", "pension_account"),
    ("理财产品", "wmp"), ("理财", "wmp"), ("年金险", "insurance"), ("保险", "insurance"), ("黄金", "gold"),
    ("信用卡", "credit_card"), ("贷款", "loan"), ("定期", "time_deposit"), ("存单", "large_cd"),
)
_PRODUCT_RE = re.compile("|".join(re.escape(w) for w, _ in _PRODUCTS))
_PRODUCT_ID = dict(_PRODUCTS)
_UNIT_MULT = {"万元": 1e4, "万块": 1e4, "万": 1e4, "w": 1e4, "W": 1e4, "千块": 1e3, "千元": 1e3, "k": 1e3, "K": 1e3,
              "亿": 1e8, "块钱": 1.0, "块": 1.0, "元": 1.0}
_DUR_UNIT = {"个月": "month", "年期": "year", "年": "year", "天": "day", "个星期": "week", "星期": "week", "周": "week"}


def _amounts(t: str) -> list[Entity]:
    out = []
    for m in _AMOUNT.finditer(t):
        n = cn_number(m.group(1))
        if n is None:
            continue
        value = n * _UNIT_MULT[m.group(2)]
        out.append(Entity("amount", m.group(), round(value, 2), m.start(), m.end()))
    return out


# The prepared text writes spoken digits as numerals (下周五 -> 下周5), and people say 礼拜
# and 星期 as often as 周: the value carries one form (下周五), which nlp.dates resolves.
_WEEK_DIGITS = str.maketrans("1234567", "一二三四五六日")


def _week_form(rel: str) -> str:
    for word in ("礼拜", "星期"):
        rel = rel.replace(word, "周")
    rel = rel.replace("个周", "周").replace("本周", "这周").translate(_WEEK_DIGITS)
    return rel[:-1] + "日" if rel.endswith("周天") else rel


def said_with_maturity(text: str, value: object, start: int, end: int) -> bool:
    """A date said as the day something matures: 到期 right after it (下周五到期) or close
    around it (定期下周五就到期了). ``text``: the turn the date entity (``value``, at
    ``start:end``) was found in. One reading for the client tag (maturity_date) and the
    follow-up's due date."""
    if isinstance(value, dict) and value.get("maturity"):
        return True
    return "到期" in text[max(0, start - 8) : end + 6]


def _dates(t: str) -> list[Entity]:
    out = []
    for m in _DATE.finditer(t):
        value: dict[str, object] = {}
        if m.group(1):
            month = m.group(1)
            rel = {"下": 1, "这": 0, "本": 0, "上": -1}.get(month[0])
            if rel is not None:
                value["month_offset"] = rel
            else:
                n = cn_number(month.rstrip("月"))
                if n is not None:
                    value["month"] = int(n)
            if m.group(2):
                d = cn_number(m.group(2))
                if d is None or not 1 <= d <= 31:
                    continue
                value["day"] = int(d)
            elif rel is None and "month" not in value:
                continue
        else:
            value["relative"] = _week_form(m.group(3))
        if "到期" in m.group():
            value["maturity"] = True
        out.append(Entity("date", m.group(), value, m.start(), m.end()))
    return out


def _durations(t: str, taken: list[tuple[int, int]]) -> list[Entity]:
    out = []
    for m in _DURATION.finditer(t):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        n = 0.5 if m.group(1) == "半" else cn_number(m.group(1))
        if n is None or n <= 0:
            continue
        out.append(Entity("duration", m.group(), {"n": n, "unit": _DUR_UNIT[m.group(2)]}, m.start(), m.end()))
    return out


def find_entities(text: str | SegmentText) -> list[Entity]:
    """All entities in ``text``, sorted by position; spans index ``text``."""
    seg = as_text(text)
    text, t = seg.text, seg.fixed
    if len(t) != len(text):  # never: fixes are same-length; guard the span contract anyway
        t = text
    found: list[Entity] = _amounts(t)
    found += _dates(t)
    taken = [(e.start, e.end) for e in found]
    found += _durations(t, taken)
    for m in _PRODUCT_RE.finditer(t):
        found.append(Entity("product", text[m.start() : m.end()], _PRODUCT_ID[m.group()], m.start(), m.end()))
    for m in _RISK.finditer(t):
        if m.group(1):
            letter = m.group(1).upper()
            level = m.group(2)
        else:
            letter, level = "R", m.group(3)
        found.append(Entity("risk_level", text[m.start() : m.end()], f"{letter}{spoken_digit(level)}",
                            m.start(), m.end()))
    for m in _C_TYPE.finditer(t):
        clause = re.split(r"[，。！？,.!?；;]", t[max(0, m.start() - 12) : m.start()])[-1]
        if _ABOUT_CUSTOMER.search(clause):
            found.append(Entity("customer_risk_level", text[m.start() : m.end()], f"C{CUSTOMER_TYPES[m.group(1)]}",
                                m.start(), m.end()))
    for m in _STAFF.finditer(t):
        digits = "".join(str(_CN_DIGIT[c]) if c in _CN_DIGIT else c for c in m.group(1))
        found.append(Entity("staff_id", text[m.start() : m.end()], digits, m.start(), m.end()))
    found.sort(key=lambda e: (e.start, -e.end))
    return found

"""Numbers and levels as people say them on the phone: the one table of spoken
digits (幺三八, 洞 for 0) and the one parser of risk levels (C3, R 3, "3", 3).

Every reader of a spoken digit (nlp.text's digit runs, nlp.pii, nlp.entities) and
every reader of a risk level (qa rules' context, the upsell library and the
customer's level, the entities' values) goes through here, so a new spelling is
added once.
"""

from __future__ import annotations

import re

__all__ = ["CUSTOMER_TYPES", "SPOKEN_DIGITS", "parse_level", "spoken_digit"]

# 两 is left out: 两三百, 三三两两 are quantities, nobody reads a phone number with 两;
# 么 is ASR's 幺, 洞 the radio-style 0.
SPOKEN_DIGITS: dict[str, str] = {"零": "0", "〇": "0", "洞": "0", "一": "1", "幺": "1", "么": "1", "二": "2",
                                 "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}

# The customer's assessed type said in words (稳健型): level C1–C5 on the usual five-type scale.
# 谨慎型 is C1 where it opens the scale and C2 where 保守型 comes first; this table (the entity and
# the client tag, which bound what may be suggested) takes the lower reading, so a suggestion never
# exceeds either. The suitability check (qa.risk_levels) takes the higher one, so it flags a sale only
# when it is above both: each side errs towards not wronging the customer or the agent.
CUSTOMER_TYPES: dict[str, int] = {"保守": 1, "谨慎": 1, "稳健": 2, "平衡": 3, "成长": 4, "进取": 5, "激进": 5}

_LEVEL = re.compile(r"^[cCrR]?\s*([1-5])$")


def spoken_digit(ch: str) -> str:
    """One digit character (spoken Chinese, full-width or ASCII) as an ASCII digit;
    any other character unchanged."""
    if ch in SPOKEN_DIGITS:
        return SPOKEN_DIGITS[ch]
    if "０" <= ch <= "９":
        return chr(ord(ch) - 0xFEE0)
    return ch


def parse_level(value: object) -> int | None:
    """A risk level as 1..5 from 3, "3", "C3", "r3" or "R 3"; None for anything else
    (a bool, an out-of-range number, a type word: CRM fields hold codes)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if 1 <= value <= 5 else None
    m = _LEVEL.match(str(value).strip())
    return int(m.group(1)) if m else None

"""The risk_mismatch operator: a product's R level above the customer's C level.

Split from qa.signals (acoustic and metadata operators) so each stays small; registered
with the rule pack like the other operator modules (qa.pack).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qa.conditions import MISS, Condition, EvalState, Match, RuleError, operator
from qa.negation import clause_end, clause_start, is_hypothetical
from qa.textfeat import phonetic

# --- risk levels -----------------------------------------------------------------------

# Levels are read off the *phonetic* string so 高疯险 still reads 高风险 (see qa.textfeat).
_NUMS = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_R_WORDS = {"低": 1, "中低": 2, "中": 3, "中高": 4, "高": 5}
# 谨慎型 / 积极型 are the other common five-level naming (谨慎 稳健 平衡 积极/进取 激进).
# 谨慎型 is C1 where it opens the scale and C2 where 保守型 comes first (保守 谨慎 稳健 积极
# 激进): read at its higher reading, so a product is flagged only when above both (R3+).
_C_WORDS = {"保守": 1, "谨慎": 2, "稳健": 2, "平衡": 3, "成长": 4, "积极": 4, "进取": 5, "激进": 5}


def _alt(words: Mapping[str, int]) -> tuple[str, dict[str, int]]:
    table = {phonetic(w): v for w, v in words.items()}
    return "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)), table


_NUM_ALT, _NUM_PHO = _alt(_NUMS)
_RW_ALT, _RW_PHO = _alt(_R_WORDS)
_CW_ALT, _CW_PHO = _alt(_C_WORDS)
# Product risk: R3 / r三 / 中高风险的(产品) / 中高风险等级.
_R_LEVEL = re.compile(
    rf"r({_NUM_ALT})|({_RW_ALT}){re.escape(phonetic('风险'))}(?={re.escape(phonetic('的'))}|{re.escape(phonetic('产品'))}"
    rf"|{re.escape(phonetic('等级'))}|{re.escape(phonetic('级'))})"
)
# Customer level: C3 / 平衡型; a 稳健型产品 is a product style, so the type word counts only
# when the clause is about the customer (您/测评/等级), see _about_customer.
_C_LEVEL = re.compile(rf"c({_NUM_ALT})|({_CW_ALT}){re.escape(phonetic('型'))}")
_ABOUT_CUSTOMER = re.compile(r"您|你|测评|评估|等级|问卷|客户|投资者|属于")
_ABOUT_PRODUCT = re.compile(r"产品|理财|基金")
# A product level mentioned in a turn that goes on to reject it (…是R3的，已经超过了您的承受
#能力 / …R4，我们不能卖给您) or states the rule it needs (需要C2以上才能买) is no
# recommendation of it: the rejection may come clauses later, so the rest of the turn is read.
# These patterns read the compact text, where NFKC made ，！？ ASCII: a window names both forms
# so it stops at the clause (以上，您就可以 is no rule about levels).
_REJECTED = re.compile(r"不适合|不能买|买不了|不能购买|无法购买|超出|超过|高于您|不匹配|不建议|不推荐|不能卖|卖不了"
                       r"|不能向|不能给您|才能买|才可以买|以上才|以上[^，,。！？!?]{0,3}(?:就|才)(?:能|可以)|不让(?:您)?(?:购买|买)|不允许(?:购买|买)")
# Stating the customer's limit later in the same turn (…R4，您是稳健型，只能买R2及以下) also
# explains a refusal rather than recommending the product.
# So does a range of levels (可以买R1到R3的产品) or who alone may buy it (R5只有进取型C5能买).
_LIMIT_STATED = re.compile(r"只能(?:买|购买|选|投|配置)|只适合|及以下|以下的产品|不符合"
                           r"|r[1-5一二三四五](?:到|至|-|~)r?[1-5一二三四五]"
                           r"|只有[^，,。！？!?]{0,8}(?:才)?(?:能|可以)(?:买|购买|投)")
_ADVISED_AGAINST = re.compile(r"不(?:建议|推荐|主张)|别(?:买|投|碰)")
# A level in a general statement (偏股基金很多是R4的 / 一般定为R5) names no product offered.
_GENERAL = re.compile(r"一般|通常|很多|大部分|大多|普遍|往往")
# A customer level supposed (如果是C2…) or set as a rule (C3或以上才能买) is nobody's result.
_LEVEL_RULE = re.compile(r"^.{0,3}?(?:以上|以下|或以上|及以上|才能|才可以|的话|的客户)")
# A level the answers are to be made to reach (帮您把几道题调一调，做成C4就能买了) is a target,
# not the customer's result.
_TARGET = re.compile(r"(?:做成|调成|改成|弄成|测成|评成|变成|升到|提到|达到|测到|评到)$")


def _level_of(m: re.Match[str], nums: Mapping[str, int], words: Mapping[str, int]) -> int:
    return nums[m.group(1)] if m.group(1) else words[m.group(2)]


def customer_level_from_text(st: EvalState) -> int | None:
    """The customer's C-level as stated in the call (您的风险等级是C3 / 测评结果是平衡型).
    A stated C number wins over a type word: banks name the levels differently (C3 稳健型
    at one, C2 稳健型 at another), the number is the level."""
    found: int | None = None
    number: int | None = None
    for i, _ in enumerate(st.segments):
        feat = st.feat(i)
        for m in _C_LEVEL.finditer(feat.pho):
            clause = feat.norm[clause_start(feat.norm, m.start(), 8) : clause_end(feat.norm, m.end(), 4)]
            if (is_hypothetical(feat.norm, m.start(), m.end()) or _LEVEL_RULE.match(feat.norm, m.end())
                    or _TARGET.search(feat.norm, max(0, m.start() - 3), m.start())):
                continue
            if m.group(1):
                number = _level_of(m, _NUM_PHO, _CW_PHO)
            elif _ABOUT_CUSTOMER.search(clause) and not _ABOUT_PRODUCT.search(feat.norm[m.end() : m.end() + 3]):
                found = _level_of(m, _NUM_PHO, _CW_PHO)
    return number if number is not None else found


@dataclass(frozen=True, slots=True)
class RiskMismatch(Condition):
    """The agent recommends a product whose R-level is above the customer's C-level.

    The customer level comes from the context (CRM meta / analysis) or, failing
    that, from the call itself; with neither known this misses (the separate
    "did the agent refer to the assessment" check covers that case).
    """

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        cust = st.context.customer_risk_level or customer_level_from_text(st)
        if cust is None:
            return MISS
        hits: list[int] = []
        # A level the agent has turned down (这款是R4，不能向C2的客户销售) is the product the
        # customer asked for; explaining it afterwards (R4产品主要投股票…) recommends nothing.
        refused: set[int] = set()
        for i in window:
            if st.segments[i].speaker != "agent":
                continue
            feat = st.feat(i)
            norm = feat.norm
            for m in _R_LEVEL.finditer(feat.pho):
                level = _level_of(m, _NUM_PHO, _RW_PHO)
                lo, hi = clause_start(norm, m.start(), 10), clause_end(norm, m.end(), 10)
                # advice against the level opens its clause (我们本来也不建议快退休的人放太多高风险的)
                wide = clause_start(norm, m.start(), 24)
                if (_REJECTED.search(norm[lo:]) or _LIMIT_STATED.search(norm[lo : hi + 30])
                        or _ADVISED_AGAINST.search(norm[wide : m.start()])):
                    refused.add(level)
                    continue
                if (level > cust and level not in refused and not _GENERAL.search(norm[lo:hi])
                        and not is_hypothetical(norm, m.start(), m.end())):
                    hits.append(i)
                    break
        return Match(True, tuple(hits), 0.9) if hits else MISS


@operator("risk_mismatch")
def _risk_mismatch(arg: Any, where: str) -> Condition:
    if arg not in (True, None, {}):
        raise RuleError(f"{where}: takes no arguments (write risk_mismatch: true)")
    return RiskMismatch()

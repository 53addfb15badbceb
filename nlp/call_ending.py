"""How an outbound call ends: did the customer take what was offered, turn it down, or
neither? The convention (nlp/corpora/intents/calls/README.md) labels an outbound sale
by its outcome: accepted → ``purchase``, declined / put off / only listened → ``promotion``.
The whole call's n-grams cannot tell the two apart (both are full of the pitch's words);
the customer's last decision can.

Each customer clause is read as a take (an amount with a verb of buying, 吧 / 帮我办 /
你安排 / 设置成功 …), a turn-down (不用 / 先不 / 再说 / 考虑 / 商量 / 算了 …; a negated take
is a turn-down, so turn-downs are looked for first), or neither (好的 / 发我 / 再见). The
customer's LAST decision counts; the agent's closing turns say whether something was done
(已经帮您提交 / 预约好了) or left open (您再考虑 / 有需要随时联系).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["ENDING_COLUMNS", "ending_features", "risk_test_reminder"]

# A turn-down, negated takes included (不买 / 不弄 / 不办 before any take is looked for).
_DECLINE = re.compile(
    r"不要|不需要|先不|暂时不|再说|考虑|想想|商量|问问|研究研究|看看|先看|算了|不[弄整买办投签做搞存]|没[钱空兴]|"
    r"不打算|不感兴趣|没兴趣|别[再打给]|不方便|骚扰|不了|没必要|不合适|不划算|等等看|过[一]?阵|以后再|回头再|"
    r"唔[要使买做]|未[谂想]|(?<!就)不用"
)
# 不用商量了 / 不用考虑了: the customer waves the hesitation away, a take.
_NO_DOUBT = re.compile(r"不用(?:再)?(?:商量|考虑|想)")
# A take: the customer commits to the product, an amount, or a visit to do it.
_TAKE = re.compile(
    r"[买办弄整投签存开定][个一点份吧了]|[0-9一二三四五六七八九十两几][十百千万]+|那就|试试|试下|试一下|"
    r"帮我[办弄开买投定设登升转]|你[安排办弄]|给我[办弄开登留]|可以办|我要了|成功|我点了|买了|签了|开通了|"
    r"(?:[明后今]天|下午|上午|周末|礼拜.|到时候).{0,4}过?[去来](?!看)|来[办签]|去[办签]"
)
# The agent's closing turns: the thing was done (or booked), or left open.
_DONE = re.compile(r"已经?[帮为给]您|[办提]交成功|[购认申]购成功|设置成功|预约[好了成]|登记[好了]|下单|签约成功|生效")
_OPEN = re.compile(r"再考虑|考虑好|有需要|随时联系|随时[打来]|不打扰|打扰了|有兴趣的话|需要的话")
_CLAUSE = re.compile(r"[，。！？、；,.!?;…\s]+")
_AGENT_CLOSING = 3  # the agent's last turns: the hand-over (提交 / 预约) or the let-go
ENDING_COLUMNS = 6


def _decision(clause: str) -> int:
    """+1 a take, -1 a turn-down, 0 neither."""
    if _NO_DOUBT.search(clause):
        return 1
    if _DECLINE.search(clause):
        return -1
    return 1 if _TAKE.search(clause) else 0


def ending_features(customer: Sequence[str], agent: Sequence[str], direction: str | None) -> list[float]:
    """Six 0/1 values (zeros unless the call is outbound): the customer's last decision is a
    take / a turn-down / none; the customer ever took / turned down; the agent's closing
    turns report it done (and not left open)."""
    if direction != "outbound":
        return [0.0] * ENDING_COLUMNS
    decisions = [d for turn in customer for c in _CLAUSE.split(turn) if c and (d := _decision(c))]
    last = decisions[-1] if decisions else 0
    closing = " ".join(agent[-_AGENT_CLOSING:])
    done = bool(_DONE.search(closing)) and not _OPEN.search(closing)
    return [
        float(last == 1),
        float(last == -1),
        float(last == 0),
        float(1 in decisions),
        float(-1 in decisions),
        float(done),
    ]



# The risk test, heard through homophones (测评 / 侧评 / 测平 all read "ce pin" toneless and
# folded), 风险评估 / 承受能力评估, 风险等级, 适当性, 问卷; and its lapse (到期 / 过期 / 满两年 /
# 年满六十五 / 重新做). A pitch mentions the test too (您测评是C3, 刚好能买): no lapse there.
_RISK_TEST = re.compile(r"\bce pin\b|\bpin gu\b|\bfen xian den ji\b|\bshi dang xin\b|\bwen juan\b")
_LAPSE = re.compile(r"到期|过期|失效|更新|重新|重做|再做|满.{0,3}年|年满|有效期")


def _risk_test(text: str) -> bool:
    from nlp.intents import _pinyin

    return bool(_RISK_TEST.search(" ".join(_pinyin(text))))


def risk_test_reminder(agent_opening: Sequence[str], direction: str | None) -> float:
    """1.0 when an outbound call's opening agent turns say the customer's risk test lapses or
    must be redone: the call's stated purpose, which the convention labels ``risk_assessment``
    unless the customer ends up buying (the ending columns say that)."""
    if direction != "outbound":
        return 0.0
    return float(any(_LAPSE.search(t) and _risk_test(t) for t in agent_opening))

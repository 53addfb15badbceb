"""Complaint category of a call, from what the customer said. Pure keyword rules:
small, explainable and robust to ASR slips (李财/鸡金 for 理财/基金, no punctuation,
fillers), because the cues are short stems rather than whole phrases.

Categories (user-facing, Chinese): 收益不符预期, 销售误导, 服务态度, 系统故障,
办理时效, 费用, 其他.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

OTHER = "其他"
CATEGORIES: tuple[str, ...] = ("收益不符预期", "销售误导", "服务态度", "系统故障", "办理时效", "费用", OTHER)

# (category, weight, pattern). Weights break ties: a customer who says both "亏了" and
# "你们骗我说保本" is complaining about mis-selling, not about the yield itself.
_CUES: tuple[tuple[str, float, str], ...] = (
    ("销售误导", 3.0, r"误导|忽悠|骗|不是说好|说好的|当初说|承诺|保本|稳赚"
                      r"|没(跟我|和我|给我)?(说|讲|提)(过)?.{0,4}(风险|亏)"
                      r"|没告诉我.{0,4}风险|风险.{0,3}没(说|讲)|夸大|虚假宣传|隐瞒"),
    ("费用", 2.5, r"手续费|管理费|服务费|年费|扣费|费用|乱收|多收|扣了.{0,4}(钱|块)|收.{0,2}钱"),
    ("服务态度", 2.5, r"态度|不耐烦|凶|骂|吼|爱答不理|不理人|敷衍|推诿|踢皮球|没礼貌|甩脸|冷冰冰"),
    ("系统故障", 2.5, r"系统|app|APP|手机银行|网银|登(录|陆)?不(上|了)|闪退|打不开|卡(住|死|顿)|报错|转不出|页面|崩"),
    ("办理时效", 2.0, r"太慢|好慢|慢死|等了.{0,4}(天|周|星期|个月|小时)|还没(到账|办好|处理|回复|到)|拖了|拖着|迟迟"
                      r"|几天了|半天|排队|没人(处理|管|回)|一直没"),
    ("收益不符预期", 2.0, r"收益|利息|亏|赔了|跌|回报|(李|理|里)财.{0,6}(少|低|不如)|(鸡|基|几)金.{0,6}(亏|跌|绿)"
                         r"|年化|不如存|负收益|缩水|本金"),
)
_COMPILED = tuple((cat, w, re.compile(p, re.IGNORECASE)) for cat, w, p in _CUES)
_SPACES = re.compile(r"\s+")


def classify_complaint(texts: Iterable[str]) -> str:
    """The category with the most weighted cue hits over the customer's turns;
    ``其他`` when no cue matches."""
    scores: dict[str, float] = {}
    for raw in texts:
        text = _SPACES.sub("", raw)
        for cat, weight, pattern in _COMPILED:
            hits = len(pattern.findall(text))
            if hits:
                scores[cat] = scores.get(cat, 0.0) + weight * min(hits, 3)
    if not scores:
        return OTHER
    # Ties resolve in CATEGORIES order (the more specific complaint first).
    return max(CATEGORIES[:-1], key=lambda c: (scores.get(c, 0.0), -CATEGORIES.index(c)))

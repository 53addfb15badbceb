"""建议: concrete actions from the report's own figures. Pure: each rule of thumb
is a template that fires only when its data condition holds."""

from __future__ import annotations

from collections.abc import Sequence

from callsight.db.reports import Alert
from callsight.reports import honest
from callsight.reports.prose import pct
from callsight.reports.sections import Sections

MAX_SUGGESTIONS = 5


def suggestions(sections: Sections, alerts: Sequence[Alert]) -> list[str]:
    out: list[str] = []
    for i in sections.intents.items:
        if (i.count >= 5 and i.prev_share > 0 and i.share >= 2 * i.prev_share
                and i.trend != honest.STABLE):  # doubled and not chance
            out.append(f"「{i.label}」类来电占比较上期翻倍（{pct(i.prev_share)}→{pct(i.share)}），"
                       "建议梳理相关产品的常见问题与应答口径，提前做好客户沟通。")
            break
    m = sections.marketing
    bar = 0.6 * max(m.taken_rate, 0.01)
    low = [a for a in m.agents if a.openings >= honest.MIN_RATE_BASE and a.taken_rate < bar]
    if low:
        a = min(low, key=lambda a: (a.taken_rate, -a.openings))
        out.append(f"坐席{a.agent}本期遇到营销机会{a.openings}次，仅开口{a.taken}次（开口率{pct(a.taken_rate)}，"
                   f"网点平均{pct(m.taken_rate)}），建议针对性辅导服务营销话术。")
    rank = m.peers.ranks.taken_rate if m.peers is not None else None
    if m.peers is not None and rank is not None and rank.rank is not None and rank.of >= 3 \
            and rank.rank > rank.of * 2 / 3:
        out.append(f"开口率在{m.peers.label}网点中排名第{rank.rank}/{rank.of}，"
                   "建议借鉴排名靠前网点的做法，把营销嵌入服务话术。")
    c = sections.complaints
    if c.high_risk:
        out.append(f"本期有{c.high_risk}通高风险投诉，建议在24小时内完成复核与客户回访，防止投诉升级。")
    if c.repeat_customers:
        out.append(f"{c.repeat_customers}位客户就同一问题重复来电，建议指定专人跟进直至问题关闭。")
    worst = next((r for r in sections.quality.rules if r.applicable >= 10 and r.rate < 0.85), None)
    if worst:
        out.append(f"「{worst.title}」通过率仅{pct(worst.rate)}，建议在晨会中专项强调并抽查录音。")
    for alert in alerts[:1]:
        out.append(f"监测到异常波动：{alert.message}，建议核查原因。")
    if not out:
        out.append("本期各项指标平稳，建议保持现有服务与营销节奏，持续关注客户问询变化。")
    return out[:MAX_SUGGESTIONS]

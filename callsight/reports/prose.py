"""Chinese report prose from the section data. Pure: section records in, sentences out.

The wording follows the data (大幅上升 / 小幅下降 / 基本持平, 排名靠前 / 处于中游 /
排名靠后, different sentences when there is nothing to report), and every number in
a sentence is one of the section's fields, so the text matches the tables. Changes
are named only when a test says they are real, rates below the minimum base are
given as counts, ranks name their ties (``callsight/reports/honest.py``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from callsight.reports import honest
from callsight.reports.sections import ComplaintsSection, IntentItem, MarketingSection, QualitySection


def pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def trend_word(cur: float, prev: float, *, share: bool = False) -> str:
    """How ``cur`` compares with ``prev``. For shares (0..1) a move under one
    percentage point is 基本持平 whatever the relative change."""
    if prev <= 0:
        return "新出现" if cur > 0 else "基本持平"
    if share and abs(cur - prev) < 0.01:
        return "基本持平"
    r = (cur - prev) / prev
    for bound, up, down in ((1.0, "成倍增长", ""), (0.3, "大幅上升", "大幅下降"), (0.1, "明显上升", "明显下降"),
                            (0.03, "小幅上升", "小幅下降")):
        if r >= bound:
            return up
        if r <= -bound and down:
            return down
    return "基本持平" if abs(r) < 0.03 else ("小幅上升" if r > 0 else "小幅下降")


def rank_word(rank: int, of: int) -> str:
    if of <= 1:
        return "暂无可比网点"
    pos = (rank - 1) / (of - 1)
    return "名列前茅" if pos <= 0.2 else "处于中上游" if pos <= 0.45 else "处于中游" if pos <= 0.7 else "排名靠后"


def _delta_calls(cur: int, prev: int) -> str:
    if prev == 0:
        return "上期无来电记录"
    diff = cur - prev
    if diff == 0:
        return "与上期持平"
    moved = f"较上期{'增加' if diff > 0 else '减少'}{abs(diff)}通"
    if not honest.count_change_real(cur, prev):
        return f"{moved}（在正常波动范围内，{honest.STABLE}）"
    return f"{moved}（{trend_word(cur, prev)}）"


def overview(calls: int, prev_calls: int, label: str) -> str:
    if calls == 0:
        return f"{label}本网点没有已分析的来电记录，以下各项暂无数据。"
    return f"{label}本网点共有已分析来电{calls}通，{_delta_calls(calls, prev_calls)}。"


def intents(items: Sequence[IntentItem], prev_top: str | None) -> list[str]:
    if not items:
        return ["本期无来电，无法分析问询方向。"]
    top = items[0]
    tied = honest.leaders(items, lambda i: float(i.count))
    if len(tied) > 1:  # ties named, not hidden behind whichever sorts first
        rest = items[len(tied):]
        out = [f"客户问询最集中的方向有{len(tied)}个并列：" + "、".join(i.label for i in tied)
               + f"（各{top.count}通，各占{pct(top.share)}）"
               + (f"；其次是{rest[0].label}（{pct(rest[0].share)}）" if rest else "") + "。"]
    else:
        out = [f"客户问询最集中的方向是{top.label}，共{top.count}通，占{pct(top.share)}"
               + (f"；其次是{items[1].label}（{pct(items[1].share)}）" if len(items) > 1 else "")
               + (f"和{items[2].label}（{pct(items[2].share)}）" if len(items) > 2 else "") + "。"]
    if prev_top and prev_top != top.intent and len(tied) == 1:
        prev_label = next((i.label for i in items if i.intent == prev_top), prev_top)
        out.append(f"与上期相比，{top.label}取代{prev_label}成为最主要的问询方向。")
    moved = [i for i in items if i.trend in ("成倍增长", "大幅上升", "新出现", "大幅下降") and i.count >= 5]
    for i in moved[:3]:
        if i.trend == "新出现":
            out.append(f"{i.label}类来电为本期新出现，共{i.count}通。")
        else:
            verb = "升至" if i.share > i.prev_share else "降至"
            out.append(f"{i.label}占比由{pct(i.prev_share)}{verb}{pct(i.share)}，{i.trend}。")
    if not moved:
        out.append("各类问询的占比与上期相比变化不大，结构总体稳定。")
    return out


def marketing(m: MarketingSection) -> list[str]:
    if m.openings == 0:
        return ["本期未识别到营销机会（开口机会），无法评估营销深度。"]
    if m.prev_openings == 0:
        change = "上期无可比数据"
    elif not honest.share_change_real(m.taken, m.openings, m.prev_taken, m.prev_openings):
        change = f"与上期（{honest.short_rate(m.prev_taken, m.prev_openings)}）相比{honest.STABLE}"
    else:
        change = (f"较上期（{honest.short_rate(m.prev_taken, m.prev_openings)}）"
                  f"{trend_word(m.taken_rate, m.prev_taken_rate, share=True)}")
    out = [f"本期识别营销机会{m.openings}次，坐席把握{m.taken}次，开口率{m.taken_text}，" + change
           + f"；促成转化{m.converted}笔，转化率{m.conversion_text}。"]
    peers = m.peers
    rank = peers.ranks.taken_rate if peers is not None else None
    if rank is not None and rank.rank is None:
        out.append(f"开口率{rank.word}。")
    elif peers is not None and rank is not None and rank.rank is not None and rank.of > 1:
        tied = "并列" if rank.tied else ""
        out.append(f"在{peers.label}样本充足的{rank.of}家网点中，开口率排名{tied}第{rank.rank}位，"
                   f"{rank_word(rank.rank, rank.of)}；同类网点平均开口率为{pct(peers.avg_taken_rate)}。")
    elif peers is not None:
        out.append(f"{peers.label}暂无其他样本充足的可比网点，未做排名。")
    return out


def complaints(c: ComplaintsSection, calls: int) -> list[str]:
    if c.total == 0:
        return ["本期未发现投诉类来电" + ("，服务口碑保持良好。" if calls else "。")]
    if not c.prev_total:
        change = "上期无投诉记录。"
    elif honest.count_change_real(c.total, c.prev_total):
        change = f"较上期（{c.prev_total}通）{trend_word(c.total, c.prev_total)}。"
    else:
        change = f"上期{c.prev_total}通，差异在正常波动范围内，{honest.STABLE}。"
    out = [f"本期涉及投诉的来电{c.total}通，占来电总量的{c.rate_text}，" + change]
    if c.categories:
        lead = "、".join(f"{x.category}（{x.count}通）" for x in c.categories[:2])
        out.append(f"投诉主要集中在{lead}。")
    if c.status:
        status = Counter(c.status)  # a state with no calls counts zero
        done = status["closed"] + status["reviewed"]
        pending = status["queued"] + status["in_review"]
        out.append(f"处理情况：已复核或办结{done}通，处理中{pending}通，未进入复核{status['none']}通。")
    if c.staff:
        top = honest.leaders(c.staff, lambda x: float(x.count))
        n = top[0].count
        names = "、".join(x.agent for x in top)
        if n <= 1:
            out.append("被投诉坐席较为分散，未见集中。")
        elif len(top) > 1:
            out.append(f"被投诉最多的坐席有{len(top)}位并列：{names}（各{n}通）。")
        else:
            out.append(f"被投诉最多的坐席为{names}（{n}通）。")
    if c.repeat_customers:
        out.append(f"有{c.repeat_customers}位客户在{c.repeat_days}天内就同一问题重复来电，需重点跟进。")
    if c.high_risk:
        out.append(f"高风险投诉（扬言向监管部门或媒体投诉等）{c.high_risk}通，应优先处置。")
    return out


def quality(q: QualitySection) -> list[str]:
    if not q.available:
        return ["质检数据暂不可用（未启用质检复核模块）。"]
    if not q.rules:
        return ["本期无质检结果。"]
    change = ""
    if q.prev_overall:
        real = q.overall_change_real is not False
        change = (f"，较上期{trend_word(q.overall, q.prev_overall, share=True)}" if real
                  else f"，与上期（{pct(q.prev_overall)}）相比{honest.STABLE}")
    out = [f"本期质检项整体通过率{pct(q.overall)}{change}。"]
    low = [r for r in q.rules if r.rate < 0.95]
    worst = [r for r in low if honest.enough_for_rate(r.applicable)][:2]
    if worst:
        out.append("违规较多的项目是" + "、".join(
            f"「{r.title}」（通过率{r.rate_text or pct(r.rate)}）" for r in worst) + "。")
    elif low:
        out.append(f"有{len(low)}项质检项通过率低于95%，但适用来电不足{honest.MIN_RATE_BASE}通，暂不下结论。")
    else:
        out.append("各质检项通过率均在95%以上。")
    if q.improved:
        a = q.improved[0]
        out.append(f"进步最明显的坐席是{a.agent}，服务分由{a.prev_service or 0.0:.1f}提升至{a.service:.1f}。")
    if q.coaching:
        out.append("服务分偏低、建议辅导的坐席：" + "、".join(f"{a.agent}（{a.service:.1f}分）"
                                              for a in q.coaching) + "。")
    return out

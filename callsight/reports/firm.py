"""The firm-level summary: every branch ranked, outliers, firm-wide intents and
the period's alerts. One GROUP BY branch_id per measure, whatever the branch count."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from callsight.db.facts import CallFact
from callsight.db.models import Branch
from callsight.db.reports import Alert
from callsight.reports import honest, prose, queries
from callsight.reports.build import alert_json, link, period_json
from callsight.reports.labels import intent_label
from callsight.reports.periods import Period
from callsight.reports.queries import Window
from callsight.reports.sections import Counts
from callsight.timefmt import local_now
from core.jsonio import JsonObject, to_json

MIN_CALLS_FOR_OUTLIER = 30
OUTLIER_Z = 3.5  # robust z (median / MAD), the usual cut for "clearly apart"
MEASURES = {"taken_rate": "开口率", "complaint_rate": "投诉率"}


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


@dataclass(frozen=True, slots=True)
class BranchRow:
    """One branch in the firm ranking (a row of ``ranking`` in the content)."""

    branch_id: int
    name: str
    code: str | None
    region: str | None
    calls: int
    openings: int
    taken: int
    taken_rate: float
    complaints: int
    complaint_rate: float
    high_risk: int
    service: float | None
    link: str
    rank: int | None = None  # None: too few openings to be ranked
    tied: bool = False
    rank_text: str = ""
    taken_text: str = ""
    complaint_text: str = ""

    def rate(self, measure: str) -> float:
        return self.taken_rate if measure == "taken_rate" else self.complaint_rate


@dataclass(frozen=True, slots=True)
class Outlier:
    branch_id: int
    name: str
    measure: str
    measure_label: str
    value: float
    median: float
    z: float
    note: str


@dataclass(frozen=True, slots=True)
class FirmIntent:
    intent: str
    label: str
    count: int
    share: float
    prev_share: float


def outliers(rows: Sequence[BranchRow]) -> list[Outlier]:
    """Branches whose rate lies far from the firm's median (robust z-score)."""
    out: list[Outlier] = []
    enough = [r for r in rows if r.calls >= MIN_CALLS_FOR_OUTLIER]
    for measure, label in MEASURES.items():
        values = [r.rate(measure) for r in enough]
        if len(values) < 5:
            continue
        med = statistics.median(values)
        mad = statistics.median(abs(v - med) for v in values) or 1e-9
        for r in enough:
            z = 0.6745 * (r.rate(measure) - med) / mad
            if abs(z) >= OUTLIER_Z:
                out.append(Outlier(r.branch_id, r.name, measure, label, r.rate(measure), med, round(z, 2),
                                   "明显偏高" if z > 0 else "明显偏低"))
    out.sort(key=lambda o: -abs(o.z))
    return out


def _rank(rows: Sequence[BranchRow]) -> list[BranchRow]:
    """Rank by 开口率 only the branches with enough openings (ties share a rank); the
    others follow, unranked and marked, ordered by how many openings they had."""
    eligible = [r for r in rows if r.openings >= honest.MIN_RANK_BASE]
    order = honest.competition_ranks([r.taken_rate for r in eligible], float, higher_better=True)
    ranks = {r.branch_id: rank for r, rank in zip(eligible, order, strict=True)}
    out: list[BranchRow] = []
    for r in rows:
        rank = ranks.get(r.branch_id)
        tied = rank is not None and order.count(rank) > 1
        out.append(replace(r, rank=rank, tied=tied, rank_text=honest.rank_text(rank, tied) if rank else "样本不足",
                           taken_text=honest.rate_text(r.taken, r.openings),
                           complaint_text=honest.rate_text(r.complaints, r.calls)))
    out.sort(key=lambda r: (r.rank is None, r.rank or 0, -r.openings, r.complaint_rate, r.name))
    return out


def build_firm_report(session: Session, period: Period) -> JsonObject:
    w = Window(period, period.previous())
    branches = {b.id: b for b in session.scalars(select(Branch))}
    stats = dict(queries.peer_stats(session, period, "region", None))
    scores = queries.branch_scores(session, period) if queries.review_available(session) else {}
    rows: list[BranchRow] = []
    for bid, b in branches.items():
        s = stats.get(bid, Counts())
        rows.append(BranchRow(bid, b.name, b.code, b.region, s.calls, s.openings, s.taken,
                              _ratio(s.taken, s.openings), s.complaints, _ratio(s.complaints, s.calls),
                              s.high_risk, scores.get(bid), link(period, bid)))
    rows = _rank(rows)
    total = sum(r.calls for r in rows)
    prev_total = session.scalar(select(func.count()).select_from(CallFact).where(
        CallFact.day >= w.prev.start, CallFact.day < w.prev.end)) or 0
    intents = queries.by_key(session, w, None, CallFact.primary_intent)
    intent_items = sorted((FirmIntent(k, intent_label(k), c, _ratio(c, total), _ratio(p, prev_total))
                           for k, (c, p) in intents.items() if c), key=lambda i: -i.count)
    alerts = list(session.scalars(select(Alert).where(Alert.period == period.key)
                                  .order_by(Alert.p_value, Alert.id).limit(200)))
    alert_count = session.scalar(select(func.count()).select_from(Alert).where(Alert.period == period.key)) or 0
    found = outliers(rows)
    active = sum(1 for r in rows if r.calls)
    lines = [prose.overview(total, prev_total, period.label).replace("本网点", "全辖"),
             f"有来电记录的网点{active}家（共{len(rows)}家）。"]
    if intent_items:
        top = intent_items[0]
        prev_count = intents[top.intent][1]
        real = honest.share_change_real(top.count, total, prev_count, prev_total)
        change = prose.trend_word(top.share, top.prev_share, share=True) if real else honest.STABLE
        lines.append(f"全辖客户问询最集中的方向是{top.label}，占{prose.pct(top.share)}"
                     + (f"，较上期{change}。" if prev_total else "。"))
    ranked = sum(1 for r in rows if r.rank is not None)
    lines.append(f"开口率排名只包括营销机会不少于{honest.MIN_RANK_BASE}次的{ranked}家网点，"
                 f"其余{len(rows) - ranked}家样本不足，列于表末、不参与排名。")
    lines.append(f"偏离全辖水平的网点{len({o.branch_id for o in found})}家，触发异常波动提醒{alert_count}条。"
                 if found or alert_count else "各网点指标均在正常范围内，未触发异常波动提醒。")
    return {
        "kind": "firm", "schema": 1, "generated_at": local_now().isoformat(timespec="seconds"),
        "period": period_json(period, w.prev), "branches": len(rows), "calls": total, "prev_calls": prev_total,
        "prose": lines, "intents": to_json(intent_items), "ranking": to_json(rows), "outliers": to_json(found),
        "alerts": [{**alert_json(a), "branch_name": branches[a.branch_id].name if a.branch_id in branches else "—"}
                   for a in alerts],
        "alert_count": alert_count,
    }

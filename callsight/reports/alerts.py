"""Trend alerts: per branch, the period against a trailing baseline (the preceding
``report_baseline_periods`` periods), for total volume, complaint rate and negative
share, and for the volume of each intent, complaint category and product. Counts
come from a handful of GROUP BY queries over the whole firm; the tests are the pure
functions in stats.py. Re-running a period replaces its alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from callsight.config import settings
from callsight.db.facts import CallFact
from callsight.db.reports import Alert
from callsight.reports import honest, queries, stats
from callsight.reports.labels import intent_label, product_label
from callsight.reports.periods import Period
from callsight.reports.prose import pct

DIMENSIONS: dict[str, InstrumentedAttribute[str | None]] = {
    "intent": CallFact.primary_intent, "complaint_category": CallFact.complaint_category,
    "product": CallFact.primary_product,
}
METRIC_LABEL = {"volume": "来电量", "complaint_rate": "投诉占比", "negative_share": "负面情绪占比"}


@dataclass(frozen=True, slots=True)
class Candidate:
    branch_id: int
    dimension: str
    key: str
    metric: str
    verdict: stats.Verdict
    count: int
    base: int


def _label(dimension: str, key: str) -> str:
    if dimension == "intent":
        return f"「{intent_label(key)}」类来电"
    if dimension == "product":
        return f"「{product_label(key)}」相关来电"
    if dimension == "complaint_category":
        return f"「{key}」类投诉"
    return "来电总量"


def message(c: Candidate) -> str:
    v = c.verdict
    word = "显著上升" if v.direction == "up" else "显著下降"
    p = honest.chance_words(v.p_value)  # managers read words, not p-values
    if c.metric == "volume":
        return f"{_label(c.dimension, c.key)}{c.count}通，按基线预期约{v.expected:.0f}通，{word}（{p}）"
    return f"{METRIC_LABEL[c.metric]}{pct(v.observed)}（{c.count}通），基线为{pct(v.expected)}，{word}（{p}）"


def detect(session: Session, period: Period) -> list[Candidate]:
    base_start: date = period.previous(settings.report_baseline_periods).start
    # Days before the first analysed call are not "zero calls": the baseline starts with the data.
    first = session.scalar(select(func.min(CallFact.day)))
    if first is None or first >= period.start:
        return []
    base_start = max(base_start, first)
    base_days, cur_days = (period.start - base_start).days, period.days
    alpha = settings.report_alert_alpha
    found: list[Candidate] = []

    def volume(bid: int, dim: str, key: str, cur: int, base: int) -> None:
        v = stats.poisson_rate_test(cur, base, cur_days, base_days, alpha=alpha,
                                    min_expected=settings.report_alert_min_expected)
        if v.significant:
            found.append(Candidate(bid, dim, key, "volume", v, cur, base))

    cur_tot = {r[0]: r[1:] for r in queries.window_counts(session, period.start, period.end, [])}
    base_tot = {r[0]: r[1:] for r in queries.window_counts(session, base_start, period.start, [])}
    for bid, (n, complaints, negative) in cur_tot.items():
        if bid is None:
            continue
        bn, bc, bneg = base_tot.get(bid, (0, 0, 0))
        volume(bid, "total", "", n, bn)
        for metric, hits, base_hits in (("complaint_rate", complaints, bc), ("negative_share", negative, bneg)):
            v = stats.proportion_test(hits, n, base_hits, bn, alpha=alpha, min_total=settings.report_alert_min_calls)
            if v.significant:
                found.append(Candidate(bid, "total", "", metric, v, hits, base_hits))
    for dim, col in DIMENSIONS.items():
        cur = {(r[0], r[1]): r[2] for r in queries.window_counts(session, period.start, period.end, [col])}
        base = {(r[0], r[1]): r[2] for r in queries.window_counts(session, base_start, period.start, [col])}
        for (bid, key), n in cur.items():
            if bid is not None and key is not None:
                volume(bid, dim, str(key), n, base.get((bid, key), 0))
        # A category that vanished is news too (a fall to zero).
        for (bid, key), bn in base.items():
            if bid is not None and key is not None and (bid, key) not in cur:
                volume(bid, dim, str(key), 0, bn)
    return found


def store_alerts(session: Session, period: Period) -> int:
    """Detect and store the period's alerts (replacing earlier ones); returns how many."""
    found = detect(session, period)
    session.execute(delete(Alert).where(Alert.period == period.key))
    for c in found:
        v = c.verdict
        strong = v.p_value < settings.report_alert_alpha / 100 or (
            c.metric == "volume" and (v.observed + 0.5) / (v.expected + 0.5) >= 3)
        session.add(Alert(
            period=period.key, scope=f"branch:{c.branch_id}", branch_id=c.branch_id, dimension=c.dimension,
            key=c.key, metric=c.metric, direction=v.direction, observed=float(v.observed),
            expected=round(float(v.expected), 4), count=c.count, base=c.base, p_value=float(v.p_value),
            severity="high" if strong else "medium", message=message(c)[:300],
            window_start=period.start, window_end=period.end,
        ))
    session.flush()
    return len(found)

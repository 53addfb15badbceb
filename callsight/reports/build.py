"""Assemble a branch report's content (the JSON that is stored, served and
rendered) from the SQL aggregates. Every figure carries a link to the calls behind
it: ``/v1/reports/calls?...`` lists exactly the calls a number counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from callsight.config import settings
from callsight.db.facts import CallFact
from callsight.db.models import Branch
from callsight.db.reports import Alert
from callsight.reports import honest, prose, queries
from callsight.reports.labels import STATUS_LABELS, intent_label
from callsight.reports.periods import Period
from callsight.reports.queries import Window
from callsight.reports.sections import (
    AgentMarketing,
    AgentScore,
    CategoryItem,
    Change,
    ComplaintLinks,
    ComplaintsSection,
    Counts,
    IntentItem,
    IntentsSection,
    MarketingLinks,
    MarketingSection,
    Peers,
    QualitySection,
    Rank,
    Ranks,
    RuleRate,
    Sections,
    StaffItem,
    StatusItem,
)
from callsight.reports.suggest import suggestions
from callsight.timefmt import local_now
from core.jsonio import JsonObject, to_json

CALLS_LINK = "/v1/reports/calls"
PEER_LABELS = {"region": "同区域", "size_band": "同规模档"}


@dataclass(frozen=True, slots=True)
class _PeerRow:
    """One branch of the peer group and the rates it is ranked on."""

    branch_id: int
    counts: Counts

    @property
    def taken_rate(self) -> float:
        return _ratio(self.counts.taken, self.counts.openings)

    @property
    def openings_per_call(self) -> float:
        return _ratio(self.counts.openings, self.counts.calls)

    @property
    def conversion_rate(self) -> float:
        return _ratio(self.counts.converted, self.counts.taken)

    @property
    def complaint_rate(self) -> float:
        return _ratio(self.counts.complaints, self.counts.calls)


@dataclass(frozen=True, slots=True)
class _Measure:
    """A ranked measure, and what it is a rate of: a branch is ranked only on enough of it."""

    rate: Callable[[_PeerRow], float]
    base: Callable[[Counts], int]
    base_label: str
    higher_better: bool  # higher is better for the marketing measures, lower for complaints


MEASURES: dict[str, _Measure] = {
    "taken_rate": _Measure(lambda r: r.taken_rate, lambda c: c.openings, "营销机会", True),
    "openings_per_call": _Measure(lambda r: r.openings_per_call, lambda c: c.calls, "来电", True),
    "conversion_rate": _Measure(lambda r: r.conversion_rate, lambda c: c.taken, "开口", True),
    "complaint_rate": _Measure(lambda r: r.complaint_rate, lambda c: c.calls, "来电", False),
}


def link(period: Period, branch_id: int | None, **filters: str | int | None) -> str:
    params: dict[str, str | int] = {}
    if branch_id is not None:
        params["branch_id"] = branch_id
    params["from"] = period.start.isoformat()
    params["to"] = period.end.isoformat()
    params.update({k: v for k, v in filters.items() if v is not None})
    return f"{CALLS_LINK}?{urlencode(params)}"


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def period_json(p: Period, prev: Period) -> JsonObject:
    return {"key": p.key, "kind": p.kind, "label": p.label, "start": p.start.isoformat(), "end": p.end.isoformat(),
            "previous": {"key": prev.key, "label": prev.label}}


def branch_json(b: Branch) -> JsonObject:
    return {"id": b.id, "name": b.name, "code": b.code, "region": b.region, "size_band": b.size_band}


def _intents(session: Session, w: Window, bid: int, calls: Change[int]) -> IntentsSection:
    counts = queries.by_key(session, w, bid, CallFact.primary_intent)
    items: list[IntentItem] = []
    for intent, (cur, prev) in counts.items():
        share, prev_share = _ratio(cur, calls.current), _ratio(prev, calls.previous)
        real = honest.share_change_real(cur, calls.current, prev, calls.previous)
        items.append(IntentItem(intent, intent_label(intent), cur, share, prev, prev_share,
                                prose.trend_word(share, prev_share, share=True) if real else honest.STABLE,
                                link(w.cur, bid, intent=intent)))
    items.sort(key=lambda i: (-i.count, i.intent))
    prev_top = max(counts, key=lambda k: counts[k][1]) if calls.previous else None
    for k, i in enumerate(items[:3]):
        items[k] = replace(i, samples=tuple(queries.samples(session, w, bid, i.intent)) if i.count else ())
    shown = [i for i in items if i.count]
    return IntentsSection(tuple(items), tuple(prose.intents(shown, prev_top)))


def _rank(rows: list[_PeerRow], mine: _PeerRow, measure: _Measure) -> Rank:
    # Only branches with enough cases are ranked (a 2-call branch first is noise), ties share a rank.
    eligible = [r for r in rows if measure.base(r.counts) >= honest.MIN_RANK_BASE]
    if mine not in eligible:
        word = (f"样本不足（{measure.base_label}{measure.base(mine.counts)}次，少于{honest.MIN_RANK_BASE}次），"
                "未参与排名")
        return Rank(None, len(eligible), False, "未排名", word)
    order = honest.competition_ranks([measure.rate(r) for r in eligible], float, higher_better=measure.higher_better)
    rank = order[eligible.index(mine)]
    tied = order.count(rank) > 1
    return Rank(rank, len(eligible), tied, honest.rank_text(rank, tied), prose.rank_word(rank, len(eligible)))


def _peers(session: Session, w: Window, branch: Branch) -> Peers:
    by = settings.report_peer_group if settings.report_peer_group in PEER_LABELS else "region"
    value: str | None = getattr(branch, by)
    rows = [_PeerRow(bid, c) for bid, c in queries.peer_stats(session, w.cur, by, value)]
    mine = next((r for r in rows if r.branch_id == branch.id), None)
    ranks = Ranks() if mine is None else Ranks(**{name: _rank(rows, mine, m) for name, m in MEASURES.items()})
    opened = sum(r.counts.openings for r in rows)
    return Peers(by, value, f"{PEER_LABELS[by]}（{value or '未设置'}）", len(rows), ranks,
                 _ratio(sum(r.counts.taken for r in rows), opened), honest.MIN_RANK_BASE,
                 tuple(sorted(round(r.taken_rate, 4) for r in rows if r.counts.openings >= honest.MIN_RANK_BASE)))


def _marketing(session: Session, w: Window, branch: Branch, t: Change[Counts]) -> MarketingSection:
    cur, prev = t.current, t.previous
    agents = sorted((AgentMarketing(a, n, o, k, _ratio(k, o), honest.rate_text(k, o),
                                    link(w.cur, branch.id, agent=a, opening="detected"))
                     for a, n, o, k in queries.agent_marketing(session, w, branch.id)),
                    key=lambda a: (-a.openings, a.agent))
    m = MarketingSection(
        cur.openings, cur.taken, cur.converted, _ratio(cur.taken, cur.openings), _ratio(cur.converted, cur.taken),
        honest.rate_text(cur.taken, cur.openings), honest.rate_text(cur.converted, cur.taken),
        prev.openings, prev.taken, _ratio(prev.taken, prev.openings), prev.converted, tuple(agents),
        MarketingLinks(link(w.cur, branch.id, opening="detected"), link(w.cur, branch.id, opening="taken"),
                       link(w.cur, branch.id, converted="true")),
        _peers(session, w, branch) if cur.calls else None)
    return replace(m, prose=tuple(prose.marketing(m)))


def _complaints(session: Session, w: Window, bid: int, t: Change[Counts], review: bool) -> ComplaintsSection:
    cats = queries.by_key(session, w, bid, CallFact.complaint_category)
    categories = sorted((CategoryItem(c, n, p, prose.trend_word(n, p) if honest.count_change_real(n, p)
                                      else honest.STABLE, link(w.cur, bid, category=c))
                         for c, (n, p) in cats.items() if n or p), key=lambda x: (-x.count, x.category))
    customers, repeat_calls = queries.repeat_callers(session, w, bid, settings.report_repeat_days)
    cur, prev = t.current, t.previous
    status = queries.complaint_status(session, w, bid) if review and cur.complaints else None
    c = ComplaintsSection(
        cur.complaints, prev.complaints, _ratio(cur.complaints, cur.calls), honest.rate_text(cur.complaints, cur.calls),
        honest.count_change_real(cur.complaints, prev.complaints), tuple(categories), status,
        tuple(StaffItem(a, n, link(w.cur, bid, agent=a, complaint="true"))
              for a, n in queries.complaint_staff(session, w, bid)),
        customers, repeat_calls, settings.report_repeat_days, cur.high_risk,
        tuple(queries.high_risk_ids(session, w, bid)),
        ComplaintLinks(link(w.cur, bid, complaint="true"), link(w.cur, bid, risk="high")),
        None if status is None else tuple(StatusItem(s, STATUS_LABELS.get(s, s), n)
                                          for s, n in sorted(status.items(), key=lambda kv: -kv[1])))
    return replace(c, prose=tuple(prose.complaints(c, cur.calls)))


@dataclass(slots=True)
class _RuleTally:
    title: str
    applicable: Change[int]
    passed: Change[int]


def _quality(session: Session, w: Window, bid: int, review: bool) -> QualitySection:
    if not review:
        q = QualitySection(False)
        return replace(q, prose=tuple(prose.quality(q)))
    tallies: dict[str, _RuleTally] = {}
    for rule, title, is_cur, applicable, passed in queries.rule_pass_rates(session, w, bid):
        r = tallies.setdefault(rule, _RuleTally(title, Change(0, 0), Change(0, 0)))
        if is_cur:
            r.applicable = Change(r.applicable.previous, r.applicable.current + applicable)
            r.passed = Change(r.passed.previous, r.passed.current + passed)
        else:
            r.applicable = Change(r.applicable.previous + applicable, r.applicable.current)
            r.passed = Change(r.passed.previous + passed, r.passed.current)
    rates = [RuleRate(rule, r.title, r.applicable.current, r.passed.current, r.applicable.previous,
                      r.passed.previous, link(w.cur, bid, rule_failed=rule),
                      _ratio(r.passed.current, r.applicable.current),
                      _ratio(r.passed.previous, r.applicable.previous),
                      honest.rate_text(r.passed.current, r.applicable.current)) for rule, r in tallies.items()]
    passed, applicable = sum(r.passed for r in rates), sum(r.applicable for r in rates)
    prev_passed, prev_applicable = sum(r.prev_passed for r in rates), sum(r.prev_applicable for r in rates)
    # Agents in order of first appearance (either period): ties in the sorts below keep it.
    service: dict[str, Change[float | None]] = {}
    current: dict[str, tuple[int, float | None, float | None]] = {}  # agent -> calls, service, marketing
    for agent, is_cur, n, svc, mkt in queries.agent_scores(session, w, bid):
        before = service.get(agent, Change(None, None))
        service[agent] = Change(before.previous, svc) if is_cur else Change(svc, before.current)
        if is_cur:
            current[agent] = (n, svc, mkt)
    agents: list[AgentScore] = []
    for agent, change in service.items():
        n, svc, mkt = current.get(agent, (0, None, None))
        if n and svc is not None:
            agents.append(AgentScore(agent, n, svc, mkt, change.previous, link(w.cur, bid, agent=agent),
                                     None if change.previous is None else svc - change.previous))
    enough = [a for a in agents if a.calls >= 5]
    mean = sum(a.service for a in enough) / len(enough) if enough else 0.0
    q = QualitySection(
        True, tuple(sorted((r for r in rates if r.applicable), key=lambda r: (r.rate, r.rule))),
        tuple(sorted(agents, key=lambda a: (-a.service, a.agent))),
        tuple(sorted((a for a in enough if (a.delta or 0) >= 3), key=lambda a: -(a.delta or 0))[:2]),
        tuple(sorted((a for a in enough if a.service < mean - 5), key=lambda a: a.service)[:3]),
        _ratio(passed, applicable), _ratio(prev_passed, prev_applicable),
        honest.share_change_real(passed, applicable, prev_passed, prev_applicable))
    return replace(q, prose=tuple(prose.quality(q)))


def build_branch_report(session: Session, branch: Branch, period: Period) -> JsonObject:
    """The report content (stored as JSON, served and rendered)."""
    w = Window(period, period.previous())
    review = queries.review_available(session)
    t = queries.totals(session, w, branch.id)
    cur, prev = t.current, t.previous
    content: JsonObject = {
        "kind": "branch", "schema": 1, "generated_at": local_now().isoformat(timespec="seconds"),
        "period": period_json(period, w.prev), "branch": branch_json(branch),
        "empty": cur.calls == 0,
        "totals": {"calls": cur.calls, "prev_calls": prev.calls, "negative": cur.negative,
                   "link": link(period, branch.id)},
        "overview": prose.overview(cur.calls, prev.calls, period.label),
    }
    alerts = list(session.scalars(select(Alert).where(Alert.period == period.key, Alert.branch_id == branch.id)
                                  .order_by(Alert.p_value, Alert.id)))
    if cur.calls == 0:
        content["sections"] = None
        content["alerts"] = [alert_json(a) for a in alerts]
        content["suggestions"] = ["本期无来电数据，建议确认录音与质检数据是否已正常接入。"]
        return content
    sections = Sections(
        _intents(session, w, branch.id, Change(prev.calls, cur.calls)),
        _marketing(session, w, branch, t),
        _complaints(session, w, branch.id, t, review),
        _quality(session, w, branch.id, review),
    )
    content["sections"] = to_json(sections)
    content["alerts"] = [alert_json(a) for a in alerts]
    content["suggestions"] = suggestions(sections, alerts)
    return content


def alert_json(a: Alert) -> JsonObject:
    return {"id": a.id, "period": a.period, "branch_id": a.branch_id, "dimension": a.dimension, "key": a.key,
            "metric": a.metric, "direction": a.direction, "observed": a.observed, "expected": a.expected,
            "count": a.count, "base": a.base, "p_value": a.p_value, "severity": a.severity, "message": a.message,
            "window_start": a.window_start.isoformat(), "window_end": a.window_end.isoformat()}

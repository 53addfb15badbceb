"""Assemble a branch report's content (the JSON that is stored, served and
rendered) from the SQL aggregates. Every figure carries a link to the calls behind
it: ``/v1/reports/calls?...`` lists exactly the calls a number counts."""

from __future__ import annotations

from typing import Any
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
from callsight.reports.suggest import suggestions
from callsight.timefmt import local_now

CALLS_LINK = "/v1/reports/calls"
PEER_LABELS = {"region": "同区域", "size_band": "同规模档"}
# What each ranked measure is a rate of: a branch is ranked only on enough of it.
RANK_BASES = {"taken_rate": ("openings", "营销机会"), "openings_per_call": ("calls", "来电"),
              "conversion_rate": ("taken", "开口"), "complaint_rate": ("calls", "来电")}


def link(period: Period, branch_id: int | None, **filters: Any) -> str:
    params: dict[str, Any] = {}
    if branch_id is not None:
        params["branch_id"] = branch_id
    params["from"] = period.start.isoformat()
    params["to"] = period.end.isoformat()
    params.update({k: v for k, v in filters.items() if v is not None})
    return f"{CALLS_LINK}?{urlencode(params)}"


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def period_json(p: Period, prev: Period) -> dict[str, Any]:
    return {"key": p.key, "kind": p.kind, "label": p.label, "start": p.start.isoformat(), "end": p.end.isoformat(),
            "previous": {"key": prev.key, "label": prev.label}}


def branch_json(b: Branch) -> dict[str, Any]:
    return {"id": b.id, "name": b.name, "code": b.code, "region": b.region, "size_band": b.size_band}


def _intents(session: Session, w: Window, bid: int, calls: int, prev_calls: int) -> dict[str, Any]:
    counts = queries.by_key(session, w, bid, CallFact.primary_intent)
    items: list[dict[str, Any]] = []
    for intent, (cur, prev) in counts.items():
        share, prev_share = _ratio(cur, calls), _ratio(prev, prev_calls)
        real = honest.share_change_real(cur, calls, prev, prev_calls)
        items.append({"intent": intent, "label": intent_label(intent), "count": cur, "share": share,
                      "prev_count": prev, "prev_share": prev_share,
                      "trend": prose.trend_word(share, prev_share, share=True) if real else honest.STABLE,
                      "link": link(w.cur, bid, intent=intent)})
    items = [i for i in items if i["count"]] + [i for i in items if not i["count"]]
    items.sort(key=lambda i: (-i["count"], i["intent"]))
    prev_top = max(counts, key=lambda k: counts[k][1]) if prev_calls else None
    for i in items[:3]:
        i["samples"] = queries.samples(session, w, bid, i["intent"]) if i["count"] else []
    shown = [i for i in items if i["count"]]
    return {"items": items, "prose": prose.intents(shown, prev_top)}


def _peers(session: Session, w: Window, branch: Branch) -> dict[str, Any]:
    by = settings.report_peer_group if settings.report_peer_group in PEER_LABELS else "region"
    value = getattr(branch, by)
    rows = queries.peer_stats(session, w.cur, by, value)
    for r in rows:
        r["taken_rate"] = _ratio(r["taken"], r["openings"])
        r["openings_per_call"] = _ratio(r["openings"], r["calls"])
        r["conversion_rate"] = _ratio(r["converted"], r["taken"])
        r["complaint_rate"] = _ratio(r["complaints"], r["calls"])
    ranks: dict[str, Any] = {}
    mine = next((r for r in rows if r["branch_id"] == branch.id), None)
    # Higher is better for the marketing measures, lower for complaints. Only branches
    # with enough cases are ranked (a 2-call branch first is noise), ties share a rank.
    for measure, higher_better in (("taken_rate", True), ("openings_per_call", True), ("conversion_rate", True),
                                   ("complaint_rate", False)):
        base, base_label = RANK_BASES[measure]
        eligible = [r for r in rows if r[base] >= honest.MIN_RANK_BASE]
        if mine is None:
            continue
        if mine not in eligible:
            word = f"样本不足（{base_label}{mine[base]}次，少于{honest.MIN_RANK_BASE}次），未参与排名"
            ranks[measure] = {"rank": None, "of": len(eligible), "tied": False, "text": "未排名", "word": word}
            continue
        values = [float(r[measure]) for r in eligible]
        order = honest.competition_ranks(values, float, higher_better=higher_better)
        rank = order[eligible.index(mine)]
        tied = order.count(rank) > 1
        ranks[measure] = {"rank": rank, "of": len(eligible), "tied": tied, "text": honest.rank_text(rank, tied),
                          "word": prose.rank_word(rank, len(eligible))}
    opened = sum(r["openings"] for r in rows)
    return {"by": by, "value": value, "label": f"{PEER_LABELS[by]}（{value or '未设置'}）", "size": len(rows),
            "ranks": ranks, "avg_taken_rate": _ratio(sum(r["taken"] for r in rows), opened),
            "min_base": honest.MIN_RANK_BASE,
            "distribution": sorted(round(r["taken_rate"], 4) for r in rows if r["openings"] >= honest.MIN_RANK_BASE)}


def _marketing(session: Session, w: Window, branch: Branch, t: dict[int, dict[str, int]]) -> dict[str, Any]:
    cur, prev = t[1], t[0]
    agents: list[dict[str, Any]] = [{"agent": a, "calls": n, "openings": o, "taken": k, "taken_rate": _ratio(k, o),
               "taken_text": honest.rate_text(k, o),
               "link": link(w.cur, branch.id, agent=a, opening="detected")}
              for a, n, o, k in queries.agent_marketing(session, w, branch.id)]
    agents.sort(key=lambda a: (-a["openings"], a["agent"]))
    m = {"openings": cur["openings"], "taken": cur["taken"], "converted": cur["converted"],
         "taken_rate": _ratio(cur["taken"], cur["openings"]), "conversion_rate": _ratio(cur["converted"], cur["taken"]),
         "taken_text": honest.rate_text(cur["taken"], cur["openings"]),
         "conversion_text": honest.rate_text(cur["converted"], cur["taken"]),
         "prev_openings": prev["openings"], "prev_taken": prev["taken"],
         "prev_taken_rate": _ratio(prev["taken"], prev["openings"]),
         "prev_converted": prev["converted"], "agents": agents,
         "links": {"openings": link(w.cur, branch.id, opening="detected"),
                   "taken": link(w.cur, branch.id, opening="taken"),
                   "converted": link(w.cur, branch.id, converted="true")}}
    m["peers"] = _peers(session, w, branch) if cur["calls"] else {}
    m["prose"] = prose.marketing(m)
    return m


def _complaints(session: Session, w: Window, bid: int, t: dict[int, dict[str, int]], review: bool) -> dict[str, Any]:
    cats = queries.by_key(session, w, bid, CallFact.complaint_category)
    categories: list[dict[str, Any]] = [{"category": c, "count": n, "prev_count": p,
                   "trend": prose.trend_word(n, p) if honest.count_change_real(n, p) else honest.STABLE,
                   "link": link(w.cur, bid, category=c)} for c, (n, p) in cats.items() if n or p]
    categories.sort(key=lambda x: (-x["count"], x["category"]))
    customers, repeat_calls = queries.repeat_callers(session, w, bid, settings.report_repeat_days)
    c: dict[str, Any] = {
        "total": t[1]["complaints"], "prev_total": t[0]["complaints"],
        "rate": _ratio(t[1]["complaints"], t[1]["calls"]),
        "rate_text": honest.rate_text(t[1]["complaints"], t[1]["calls"]),
        "change_real": honest.count_change_real(t[1]["complaints"], t[0]["complaints"]),
        "categories": categories,
        "status": queries.complaint_status(session, w, bid) if review and t[1]["complaints"] else None,
        "staff": [{"agent": a, "count": n, "link": link(w.cur, bid, agent=a, complaint="true")}
                  for a, n in queries.complaint_staff(session, w, bid)],
        "repeat_customers": customers, "repeat_calls": repeat_calls, "repeat_days": settings.report_repeat_days,
        "high_risk": t[1]["high_risk"], "high_risk_calls": queries.high_risk_ids(session, w, bid),
        "links": {"total": link(w.cur, bid, complaint="true"), "high_risk": link(w.cur, bid, risk="high")},
    }
    if c["status"] is not None:
        c["status_items"] = [{"state": s, "label": STATUS_LABELS.get(s, s), "count": n}
                             for s, n in sorted(c["status"].items(), key=lambda kv: -kv[1])]
    c["prose"] = prose.complaints(c, t[1]["calls"])
    return c


def _quality(session: Session, w: Window, bid: int, review: bool) -> dict[str, Any]:
    q: dict[str, Any] = {"available": review, "rules": [], "agents": [], "improved": [], "coaching": [],
                         "overall": 0.0, "prev_overall": 0.0}
    if not review:
        q["prose"] = prose.quality(q)
        return q
    rules: dict[str, dict[str, Any]] = {}
    for rule, title, is_cur, applicable, passed in queries.rule_pass_rates(session, w, bid):
        r = rules.setdefault(rule, {"rule": rule, "title": title, "applicable": 0, "passed": 0,
                                    "prev_applicable": 0, "prev_passed": 0,
                                    "link": link(w.cur, bid, rule_failed=rule)})
        prefix = "" if is_cur else "prev_"
        r[prefix + "applicable"] += applicable
        r[prefix + "passed"] += passed
    for r in rules.values():
        r["rate"] = _ratio(r["passed"], r["applicable"])
        r["prev_rate"] = _ratio(r["prev_passed"], r["prev_applicable"])
        r["rate_text"] = honest.rate_text(r["passed"], r["applicable"])
    q["rules"] = sorted((r for r in rules.values() if r["applicable"]), key=lambda r: (r["rate"], r["rule"]))
    q["overall"] = _ratio(sum(r["passed"] for r in rules.values()), sum(r["applicable"] for r in rules.values()))
    passed, applicable = sum(r["passed"] for r in rules.values()), sum(r["applicable"] for r in rules.values())
    prev_passed = sum(r["prev_passed"] for r in rules.values())
    prev_applicable = sum(r["prev_applicable"] for r in rules.values())
    q["prev_overall"] = _ratio(prev_passed, prev_applicable)
    q["overall_change_real"] = honest.share_change_real(passed, applicable, prev_passed, prev_applicable)
    agents: dict[str, dict[str, Any]] = {}
    for agent, is_cur, n, service, mkt in queries.agent_scores(session, w, bid):
        a = agents.setdefault(agent, {"agent": agent, "calls": 0, "service": None, "marketing": None,
                                      "prev_service": None, "link": link(w.cur, bid, agent=agent)})
        if is_cur:
            a.update(calls=n, service=service, marketing=mkt)
        else:
            a["prev_service"] = service
    current = [a for a in agents.values() if a["calls"] and a["service"] is not None]
    for a in current:
        a["delta"] = None if a["prev_service"] is None else a["service"] - a["prev_service"]
    q["agents"] = sorted(current, key=lambda a: (-a["service"], a["agent"]))
    enough = [a for a in current if a["calls"] >= 5]
    q["improved"] = sorted((a for a in enough if (a["delta"] or 0) >= 3), key=lambda a: -a["delta"])[:2]
    mean = sum(a["service"] for a in enough) / len(enough) if enough else 0.0
    q["coaching"] = sorted((a for a in enough if a["service"] < mean - 5), key=lambda a: a["service"])[:3]
    q["prose"] = prose.quality(q)
    return q


def build_branch_report(session: Session, branch: Branch, period: Period) -> dict[str, Any]:
    w = Window(period, period.previous())
    review = queries.review_available(session)
    t = queries.totals(session, w, branch.id)
    content: dict[str, Any] = {
        "kind": "branch", "schema": 1, "generated_at": local_now().isoformat(timespec="seconds"),
        "period": period_json(period, w.prev), "branch": branch_json(branch),
        "empty": t[1]["calls"] == 0,
        "totals": {"calls": t[1]["calls"], "prev_calls": t[0]["calls"], "negative": t[1]["negative"],
                   "link": link(period, branch.id)},
        "overview": prose.overview(t[1]["calls"], t[0]["calls"], period.label),
    }
    alerts = [alert_json(a) for a in session.scalars(
        select(Alert).where(Alert.period == period.key, Alert.branch_id == branch.id)
        .order_by(Alert.p_value, Alert.id))]
    if content["empty"]:
        content["sections"] = None
        content["alerts"] = alerts
        content["suggestions"] = ["本期无来电数据，建议确认录音与质检数据是否已正常接入。"]
        return content
    sections = {
        "intents": _intents(session, w, branch.id, t[1]["calls"], t[0]["calls"]),
        "marketing": _marketing(session, w, branch, t),
        "complaints": _complaints(session, w, branch.id, t, review),
        "quality": _quality(session, w, branch.id, review),
    }
    content["sections"] = sections
    content["alerts"] = alerts
    content["suggestions"] = suggestions(sections, alerts)
    return content


def alert_json(a: Alert) -> dict[str, Any]:
    return {"id": a.id, "period": a.period, "branch_id": a.branch_id, "dimension": a.dimension, "key": a.key,
            "metric": a.metric, "direction": a.direction, "observed": a.observed, "expected": a.expected,
            "count": a.count, "base": a.base, "p_value": a.p_value, "severity": a.severity, "message": a.message,
            "window_start": a.window_start.isoformat(), "window_end": a.window_end.isoformat()}

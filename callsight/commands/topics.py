"""``callsight topics``: 客户之声 of a period, as a Chinese table or JSON."""

from __future__ import annotations

import argparse
import json

from callsight.services.topics import TopicQuery
from core.jsonio import JsonObject
from nlp.topics import TopicReport

_TREND = {"up": "↑ 上升", "down": "↓ 下降", "steady": "持平", "unknown": "—（无上期数据）"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("topics", help="客户之声: topics of what customers said in a period, and their change")
    p.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD", help="first day")
    p.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD", help="last day (inclusive)")
    p.add_argument("--branch", help="branch name or code (default: all branches)")
    p.add_argument("--json", action="store_true", help="print JSON instead of the table")
    p.set_defaults(fn=cmd_topics)


def cmd_topics(args: argparse.Namespace) -> int:
    from callsight.auth import Principal
    from callsight.db.models import Role
    from callsight.db.session import session_scope
    from callsight.services import topics as svc

    query = svc.make_query(svc.parse_day(args.date_from, "--from"), svc.parse_day(args.date_to, "--to"),
                           args.branch)
    # The command line runs with database access already: it reads as an administrator.
    operator = Principal(user_id=0, name="cli", role=Role.admin, branch_ids=frozenset(), agent_code=None,
                         can_see_pii=False)
    with session_scope() as session:
        report = svc.topics_report(session, operator, query)
    body = {**period_json(query), **report.to_json()}
    print(json.dumps(body, ensure_ascii=False, indent=2) if args.json else render(query, report))
    return 0


def period_json(query: TopicQuery) -> JsonObject:
    prev_from, prev_to = query.previous
    return {"from": query.date_from.isoformat(), "to": query.date_to.isoformat(), "branch": query.branch,
            "previous_from": prev_from.isoformat(), "previous_to": prev_to.isoformat()}


def render(query: TopicQuery, report: TopicReport) -> str:
    prev_from, prev_to = query.previous
    scope = f"（{query.branch}）" if query.branch else "（全部网点）"
    lines = [f"客户之声 {query.date_from.isoformat()} 至 {query.date_to.isoformat()}{scope}，"
             f"对比上期 {prev_from.isoformat()} 至 {prev_to.isoformat()}",
             f"本期 {report.calls} 通电话、客户话语 {report.utterances} 句（有效 {report.kept} 句，"
             f"未归入话题 {report.unassigned} 句）；"
             f"上期 {report.previous_calls} 通电话、{report.previous_utterances} 句",
             ""]
    if not report.topics:
        lines.append("本期没有足够的客户话语形成话题。")
        return "\n".join(lines)
    lines.append(f"{'#':>2}  {'话题':<16}{'句数':>6}{'占比':>8}{'来电':>6}{'上期来电':>8}  变化")
    for t in report.topics:
        c = t.change
        change = _TREND[c.trend]
        if c.ratio is not None and c.p_value is not None and c.trend in ("up", "down"):  # both or neither
            # The figures as the JSON rounds them (the table and --json agree digit for digit).
            change += f" ×{round(c.ratio, 3):.1f}（p={float(f'{c.p_value:.3g}'):.2g}）"
        lines.append(f"{t.id + 1:>2}  {t.label:<16}{t.size:>6}{round(t.share, 4):>8.1%}{c.calls:>6}"
                     f"{c.previous_calls:>8}  {change}")
        lines.append(f"    关键词：{'、'.join(t.terms)}")
        for ex in t.examples:
            lines.append(f"    例句：「{ex}」")
    return "\n".join(lines)

"""The readable per-call summary ``callsight analyze`` prints without ``--json``.

A person at a terminal wants the verdict first (intent, complaint risk, scores, failed
rules with the words that failed them, openings) and the transcript after it; the
JSON contract stays for machines (``--json``, one line per input).
"""

from __future__ import annotations

from typing import Any

from callsight.reports.labels import RISK_LABELS, intent_label
from upsell.openings import OPENING_LABELS

SPEAKERS = {"agent": "坐席", "customer": "客户"}
SEVERITY_LABELS = {"fatal": "致命", "major": "严重", "minor": "一般"}


def _seg_time(result: dict[str, Any], index: int) -> str:
    segments = result.get("segments", [])
    if 0 <= index < len(segments):
        return f"{segments[index]['start']:.1f}s"
    return "-"


def format_summary(result: dict[str, Any]) -> str:
    """One block of text per call; every line is derived from the result JSON."""
    call = result["call"]
    source = "转写文本" if not call.get("channels") else f"{call['channels']} 声道录音"
    lines = [f"# {call.get('input') or call['id']}  ({call['duration_s']:.1f} s, "
             f"{source}, {len(result.get('segments', []))} 段)"]
    intents = result.get("intents") or {}
    if intents:
        all_labels = "、".join(intent_label(i) for i in intents.get("all", []))
        lines.append(f"主要意图: {intent_label(intents.get('primary') or '-')}"
                     + (f"（全部: {all_labels}）" if all_labels else ""))
    risk = result.get("complaint_risk") or {}
    if risk:
        level = str(risk.get("level", "none"))
        reasons = "；".join(sorted({str(e.get("reason", "")) for e in risk.get("evidence", []) if e.get("reason")}))
        lines.append(f"投诉风险: {RISK_LABELS.get(level, level)}" + (f"（{reasons}）" if reasons else ""))
    compliance = result.get("compliance") or {}
    if compliance:
        scores = compliance.get("scores", {})
        lines.append(f"服务分: {scores.get('service', '-')}  营销分: {scores.get('marketing', '-')}")
        failed = [f for f in compliance.get("findings", []) if f.get("applicable") and not f.get("passed")]
        if failed:
            lines.append(f"未通过的质检项 ({len(failed)}):")
            for f in failed:
                sev = SEVERITY_LABELS.get(str(f.get("severity")), str(f.get("severity")))
                lines.append(f"  - [{sev}] {f.get('title') or f['rule']}")
                for ev in f.get("evidence", [])[:2]:
                    lines.append(f"      {_seg_time(result, int(ev.get('segment', -1)))} 「{ev.get('text', '')}」")
        else:
            lines.append("未通过的质检项: 无")
    openings = result.get("upsell_openings")
    if openings is not None:
        if openings:
            lines.append("营销机会:")
            for o in openings:
                label = OPENING_LABELS.get(str(o["type"]), str(o["type"]))
                taken = "已开口" if o.get("taken") else "未开口"
                lines.append(f"  - {label}（{_seg_time(result, int(o.get('segment', -1)))}，{taken}）")
        else:
            lines.append("营销机会: 无")
    summary = result.get("summary")
    if summary:
        lines.append(f"摘要: {summary}")
    lines.append("转写:")
    for seg in result.get("segments", []):
        who = SPEAKERS.get(seg["speaker"], seg["speaker"])
        lines.append(f"  [{seg['start']:7.2f}-{seg['end']:7.2f}] {who}: {seg['text']}")
    return "\n".join(lines)

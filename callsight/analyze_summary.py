"""The readable per-call summary ``callsight analyze`` prints without ``--json``.

A person at a terminal wants the verdict first (intent, complaint risk, scores, failed
rules with the words that failed them, openings) and the transcript after it; the
JSON contract stays for machines (``--json``, one line per input).
"""

from __future__ import annotations

from callsight.reports.labels import RISK_LABELS, intent_label
from core.result import CallResult
from upsell.openings import OPENING_LABELS

SPEAKERS = {"agent": "坐席", "customer": "客户"}
SEVERITY_LABELS = {"fatal": "致命", "major": "严重", "minor": "一般"}


def _seg_time(result: CallResult, index: int) -> str:
    if 0 <= index < len(result.segments):
        return f"{result.segments[index].start:.1f}s"
    return "-"


def format_summary(result: CallResult) -> str:
    """One block of text per call; every line is derived from the result."""
    call = result.call
    source = "转写文本" if not call.channels else f"{call.channels} 声道录音"
    lines = [f"# {call.input or call.id}  ({call.duration_s:.1f} s, {source}, {len(result.segments)} 段)"]
    if result.intents is not None:
        all_labels = "、".join(intent_label(i) for i in result.intents.all)
        lines.append(f"主要意图: {intent_label(result.intents.primary or '-')}"
                     + (f"（全部: {all_labels}）" if all_labels else ""))
    risk = result.complaint_risk
    if risk is not None:
        reasons = "；".join(sorted({e.reason for e in risk.evidence if e.reason}))
        lines.append(f"投诉风险: {RISK_LABELS.get(risk.level, risk.level)}" + (f"（{reasons}）" if reasons else ""))
    compliance = result.compliance
    if compliance is not None:
        scores = compliance.scores
        lines.append(f"服务分: {scores.get('service', '-')}  营销分: {scores.get('marketing', '-')}")
        failed = compliance.failed
        if failed:
            lines.append(f"未通过的质检项 ({len(failed)}):")
            for f in failed:
                lines.append(f"  - [{SEVERITY_LABELS.get(f.severity, f.severity)}] {f.title or f.rule}")
                for ev in f.evidence[:2]:
                    lines.append(f"      {_seg_time(result, ev.segment)} 「{ev.text}」")
        else:
            lines.append("未通过的质检项: 无")
    if result.upsell_openings:
        lines.append("营销机会:")
        for o in result.upsell_openings:
            taken = "已开口" if o.taken else "未开口"
            lines.append(f"  - {OPENING_LABELS.get(o.type, o.type)}（{_seg_time(result, o.segment)}，{taken}）")
    else:
        # Every result of schema 1.2 on has the list (maybe empty); the CLI writes the newest.
        lines.append("营销机会: 无")
    if result.summary:
        lines.append(f"摘要: {result.summary}")
    lines.append("转写:")
    for seg in result.segments:
        lines.append(f"  [{seg.start:7.2f}-{seg.end:7.2f}] {SPEAKERS.get(seg.speaker, seg.speaker)}: {seg.text}")
    return "\n".join(lines)

"""Next-best actions for the agent after a call, from its upsell openings.

Pure. The action ids are fixed (clients key on them):

- ``follow_up_maturity``: contact the customer before the maturity date (``due``
  when the date the customer gave can be resolved against the call's start);
- ``call_back``: an opening the agent missed; call back with the suggested script;
- ``send_material``: the agent offered a product; send its material (with the risk
  disclosure);
- ``book_meeting``: a planning need (education, retirement, large inflow,
  protection) or a meeting the agent proposed; book or confirm it;
- ``risk_assessment``: investment products were held back because the customer's
  risk level is unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from core.result import NextActionRecord, SuggestionRecord
from nlp import dates
from nlp.entities import Entity, said_with_maturity
from upsell.openings import OPENING_LABELS, Opening
from upsell.scripts import Suggestion

__all__ = ["NextAction", "next_actions", "resolve_date"]

Priority = Literal["high", "normal"]
_PLANNING = frozenset({"education", "retirement", "large_inflow", "protection_need"})
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


@dataclass(frozen=True, slots=True)
class NextAction:
    action: str
    opening: str
    segment: int
    text: str  # the instruction for the agent (Chinese)
    priority: Priority = "normal"
    due: dt.date | None = None
    date_text: str = ""
    script: str | None = None
    steps: tuple[SuggestionRecord, ...] = ()  # the scripts to follow, in order (a complaint's recovery)

    def record(self) -> NextActionRecord:
        return NextActionRecord(self.action, self.opening, self.segment, self.text, self.priority, self.due,
                                self.date_text or None, self.script, self.steps)


def resolve_date(value: Mapping[str, object], ref: dt.date) -> dt.date | None:
    """A date entity's value as a calendar date relative to ``ref`` (the call's day);
    None when it names no single day (下个月, 下半年): a due date must be a day."""
    got = dates.resolve_date(value, ref)
    return got[0] if got is not None and got[1] == "day" else None


def _maturity_date(op: Opening) -> Entity | None:
    """The date the money matures: the first said with 到期 (read as the client tag reads
    it: 我下周过去一趟，那笔定期下周五就到期了 gives 下周五, not 下周), else the first date the
    opening holds (a date given in a later answer)."""
    said = [(i, e) for i, e in op.entities if e.type == "date"]
    flagged = (e for i, e in said if said_with_maturity(op.text if i == op.segment else "", e.value, e.start, e.end))
    return next(flagged, said[0][1] if said else None)


def _due(op: Opening, ref: dt.date | None) -> tuple[dt.date | None, str]:
    ent = _maturity_date(op)
    if ent is None:
        return None, ""
    due = resolve_date(ent.value, ref) if ref is not None and isinstance(ent.value, Mapping) else None
    return due, ent.text.removesuffix("到期")


def next_actions(openings: Sequence[Opening], suggestions: Sequence[Sequence[Suggestion]], *,
                 call_day: dt.date | None = None, level_unknown: bool = False,
                 held_back: Sequence[bool] = ()) -> tuple[NextAction, ...]:
    """Actions for ``openings`` (``suggestions[i]`` are opening i's suggestions;
    ``held_back[i]`` says investment scripts were left out for an unknown risk level)."""
    out: list[NextAction] = []
    seen: set[tuple[str, str]] = set()

    def add(a: NextAction) -> None:
        if (a.action, a.opening) not in seen:
            seen.add((a.action, a.opening))
            out.append(a)

    for k, op in enumerate(openings):
        sugs = suggestions[k] if k < len(suggestions) else ()
        label = OPENING_LABELS[op.type]
        top = sugs[0].script if sugs else None
        if op.type == "maturity":
            due, when = _due(op, call_day)
            text = (f"在{when}到期前联系客户，跟进到期资金的安排" if when
                    else "确认客户产品的到期日，在到期前联系客户跟进资金安排")
            add(NextAction("follow_up_maturity", op.type, op.segment, text, "high", due, when, top))
        if not op.taken:
            add(NextAction("call_back", op.type, op.segment, f"客户提到“{label}”但未开口营销，建议回访并使用推荐话术",
                           "high" if op.type in ("maturity", "large_inflow") else "normal", script=top))
        elif op.take is not None and op.take.kind == "offer":
            names = list(op.take.products) or [s.product.name for s in sugs if s.product is not None]
            if names:
                add(NextAction("send_material", op.type, op.segment,
                               f"向客户发送{'、'.join(names[:2])}的产品资料（含风险揭示/产品说明）", script=top))
        meeting = op.take is not None and op.take.kind == "meeting"
        if meeting or op.type in _PLANNING:
            text = "确认与客户约定的面谈时间" if meeting else f"邀请客户到网点面谈，做{label}方面的规划"
            add(NextAction("book_meeting", op.type, op.segment, text,
                           script=next((s.script for s in sugs if s.kind == "meeting"), None)))
        if level_unknown and k < len(held_back) and held_back[k]:
            add(NextAction("risk_assessment", "*", op.segment,
                           "客户风险等级未知，先邀请客户完成风险测评，再推荐投资类产品"))
    order = {"high": 0, "normal": 1}
    return tuple(sorted(out, key=lambda a: (order[a.priority], a.segment)))

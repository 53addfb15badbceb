"""Upsell openings (服务营销): customer turns that open a sales opportunity, and
whether the agent took them (开口).

Pure: a transcript in, frozen ``Opening`` values out. Detection reads customer
turns only (an agent talking about 教育金 is selling, not hearing a need); the
"taken" check reads the next few agent turns. What a customer turn raises is
decided in upsell/cues.py (expression families per type, matched on a phonetic
string so 到其 / 养劳 still meet 到期 / 养老, with exclusions such as 证件到期, 保险起见,
没有闲钱, 退休金到账); agent offers and meetings are matched on the same strings.

Opening type ids are fixed (they are keys in stored results and reports):
``maturity``, ``idle_funds``, ``education``, ``retirement``,
``yield_dissatisfaction``, ``large_inflow``, ``protection_need``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.enums import OPENING_LABELS, OPENING_TYPES
from core.result import AgentTakeRecord, CustomerCue, OpeningEvidence, OpeningRecord, SuggestionRecord
from core.types import Transcript
from nlp.entities import Entity, find_entities
from nlp.view import TextView
from upsell.cues import opening_cues
from upsell.opening_filter import OpeningFilter, candidate_row
from upsell.takes import agent_take, counts_toward_window

__all__ = ["OPENING_LABELS", "OPENING_TYPES", "AgentTake", "Opening", "detect_openings", "opening_cues"]

# How many agent turns after the customer's words may take the opening.
TAKE_WINDOW = 3

_MONEY_NEEDS = frozenset({"maturity", "idle_funds", "large_inflow", "retirement", "education"})
# Money the customer said comes from somewhere: where it will sit next (到时候也没想好放哪)
# is that opening's question, not money idling.
_SOURCED = frozenset({"maturity", "large_inflow"})
# The customer speaking of money already named: this money, its use, keeping it.
_SAME_MONEY = re.compile(r"这(?:笔|些)?钱|那(?:笔|些)?钱|要用|用钱|用得上|再存|留着|到时候")


@dataclass(frozen=True, slots=True)
class AgentTake:
    """The agent turn that took an opening, and the words that did."""

    segment: int
    text: str
    cue: str
    kind: str  # "offer" (a product proposed) or "meeting" (meeting / material proposed)
    products: tuple[str, ...] = ()  # product words in the agent's turn (大额存单, 定投 ...)

    def record(self) -> AgentTakeRecord:
        return AgentTakeRecord(self.segment, self.text, self.cue, self.kind, tuple(self.products))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Opening:
    type: str
    segment: int
    text: str  # the customer's turn as given
    cue: str  # the words that opened it (normalised)
    entities: tuple[tuple[int, Entity], ...]  # amount / date / product, (segment, entity)
    take: AgentTake | None

    @property
    def taken(self) -> bool:
        return self.take is not None

    def entity(self, kind: str) -> tuple[int, Entity] | None:
        return next(((i, e) for i, e in self.entities if e.type == kind), None)

    def record(self, suggestions: tuple[SuggestionRecord, ...] = ()) -> OpeningRecord:
        return OpeningRecord(self.type, self.segment, self.taken,
                             OpeningEvidence(CustomerCue(self.segment, self.text, self.cue),
                                             tuple(e.record(i) for i, e in self.entities),
                                             self.take.record() if self.take else None),
                             suggestions)


def _other_need(kind: str, raised: set[str], text: str = "") -> bool:
    """Whether the customer's words turn to a need other than ``kind``. Words that raise
    ``kind`` again keep to it; where money that falls due will go (没想好放哪) and low
    returns on it are that money's need, as detect_openings folds them, and low returns
    followed by what the money is for are the same money."""
    if kind in raised:
        return False
    others = raised - {kind}
    if kind in _SOURCED:
        others -= {"idle_funds"}
    if kind in _MONEY_NEEDS:
        others -= {"yield_dissatisfaction"}
    # What money already on the table is for, said of that money (到期了…孙娃儿明年考大学，到时候
    # 要用钱): the agent's plan for it answers both, so the first keeps its turns. A need told
    # on its own (孩子明年上大学学费得准备) is a new one, answered by its own offer.
    if kind in _SOURCED and _SAME_MONEY.search(text):
        others -= _MONEY_NEEDS
    if kind == "yield_dissatisfaction":
        others -= _MONEY_NEEDS
    return bool(others)


def _window(transcript: Transcript, view: TextView, seg: int, kind: str,
            raised: dict[int, dict[str, str]]) -> list[int]:
    """The next TAKE_WINDOW agent turns after segment ``seg``, up to the customer's next
    opening of another type (what the agent says after that answers the new one).
    Turns that only verify identity or ask what the money is for (upsell.takes) do not
    use up the three, up to TAKE_WINDOW of them."""
    out: list[int] = []
    counted = 0
    for j in range(seg + 1, len(transcript.segments)):
        if transcript.segments[j].speaker == "agent":
            out.append(j)
            counted += counts_toward_window(view[j].phonetic)
            if counted == TAKE_WINDOW or len(out) == 2 * TAKE_WINDOW:
                break
        elif _other_need(kind, set(raised.get(j, {})), view[j].prepared):
            break
    return out


def _products(view: TextView, j: int) -> tuple[str, ...]:
    """The product words of turn ``j`` as fixed (李财 → 理财), each once, in order."""
    t = view[j]
    return tuple(dict.fromkeys(t.fixed[e.start : e.end] for e in find_entities(t) if e.type == "product"))


def _pitched_before(transcript: Transcript, view: TextView, seg: int, kind: str,
                    first_raised: int) -> AgentTake | None:
    """An agent who pitched a product before the customer voiced the need (an outbound
    call: 您的存单下周到期…我们有一款理财 — 到期了再说) has opened already: the
    customer is answering that pitch. Only an unprompted offer naming a product counts
    (one made before the customer raised any opening: a pitch answering another need
    is that need's), in the last TAKE_WINDOW agent turns before the customer's words."""
    segs = transcript.segments
    before = [j for j in range(min(seg, first_raised) - 1, -1, -1) if segs[j].speaker == "agent"][:TAKE_WINDOW]
    for j in before:
        hit = agent_take(view[j].prepared, view[j].phonetic, kind)
        named = _products(view, j)
        if hit is not None and hit[1] == "offer" and named:
            return AgentTake(j, segs[j].text, hit[0], hit[1], named)
    return None


def _entities(transcript: Transcript, view: TextView, seg: int, until: int) -> tuple[tuple[int, Entity], ...]:
    """Amount, date and product of the opening; a date or amount the customer gives in
    a following turn (坐席问“哪天到期？”) counts too."""
    found: list[tuple[int, Entity]] = []
    for i in range(seg, until + 1):
        s = transcript.segments[i]
        if s.speaker != "customer":
            continue
        for e in find_entities(view[i]):
            if e.type in ("amount", "date", "product") and (i == seg or not any(x.type == e.type for _, x in found)):
                found.append((i, e))
    return tuple(found)


def detect_openings(transcript: Transcript, view: TextView | None = None,
                    gate: OpeningFilter | None = None) -> tuple[Opening, ...]:
    """Every opening in the call, in order; one per type while the agent's reply
    window of the first mention is open (a customer repeating it is the same opening).
    ``view``: the call's normalised text (nlp.view), built here when not given.
    ``gate``: the learned second stage (upsell.opening_filter); the cue rules' candidates
    it rejects are dropped. None: every candidate stands."""
    segs = transcript.segments
    view = view if view is not None else TextView.of(transcript)
    raised: dict[int, dict[str, str]] = {}
    for i, seg in enumerate(segs):
        if seg.speaker == "customer":
            cues = opening_cues(view[i])
            if cues:
                raised[i] = cues
    out: list[Opening] = []
    open_until: dict[str, int] = {}
    for i, cues in raised.items():
        for kind, cue in cues.items():
            # Idle money after money with a source was raised is where that money goes next; in
            # the same turn opening_cues has already judged the two (see upsell.cues).
            if open_until.get(kind, -1) >= i or (kind == "idle_funds" and _SOURCED & set(open_until) - set(cues)):
                continue
            # Low returns said about money already raised as a need (到期了…利息太低了) are why
            # the customer wants somewhere better for it: that need's motive, not a second one.
            if kind == "yield_dissatisfaction" and _MONEY_NEEDS & (set(open_until) | set(cues)):
                continue
            window = _window(transcript, view, i, kind, raised)
            take = None
            for j in window:
                hit = agent_take(view[j].prepared, view[j].phonetic, kind)
                if hit is not None:
                    take = AgentTake(j, segs[j].text, hit[0], hit[1], _products(view, j))
                    break
            if take is None:
                take = _pitched_before(transcript, view, i, kind, min(raised))
            last = window[-1] if window else len(segs) - 1
            open_until[kind] = last
            nxt = next((k for k in range(i + 1, last + 1) if segs[k].speaker == "customer"), i)
            out.append(Opening(kind, i, segs[i].text, cue, _entities(transcript, view, i, nxt), take))
    if gate is not None and out:
        kinds = [o.type for o in out]
        keep = gate.keep([candidate_row(transcript, view, o.segment, o.type, o.cue, kinds) for o in out])
        out = [o for o, k in zip(out, keep, strict=True) if k]
    return tuple(out)

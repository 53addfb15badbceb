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
from nlp.text import is_negated
from nlp.view import TextView
from upsell.cues import opening_cues
from upsell.cues import rx as _rx
from upsell.opening_filter import OpeningFilter, candidate_row

__all__ = ["OPENING_LABELS", "OPENING_TYPES", "AgentTake", "Opening", "detect_openings", "opening_cues"]

# How many agent turns after the customer's words may take the opening.
TAKE_WINDOW = 3

# --------------------------------------------------------------------------- agent takes

_OFFER = _rx(r"推荐|建议您|建议你|可以考虑|考虑一下|给您介绍|跟您介绍|介绍一下|了解一下|可以了解|有一款|有款|有个产品"
             r"|有一个产品|有几款|适合您|适合你|不妨|可以配置|配置一些|配置一点|做个规划|做一个规划|规划一下|可以买|可以放"
             r"|放到|转到|转成|换成|续存|续作|转存|续买|续投|接着买|要不要|帮您看看|帮您挑|帮您选|帮您配|给您算|帮您算"
             r"|做个配置|做一下配置|安排一下|要不您|您看看|看看我们|新出的|新发的|介绍下|配置些|配些|配个|配一份|买一份|买份|给您做|帮您做|为您做|做个|做一个|整体配置|资产配置|出个方案|出一个方案"
             # a product of ours named for the need (我们有专门的教育年金 / 可以提前准备一笔教育金)
             r"|我们有|我们这有|我们这边有|我行有|提前准备|准备一笔|可以准备")
# What an offer must be about to take an opening of each type: money products for money
# openings, cover for a protection need; a plan / meeting / 配置 fits every opening.
_MONEY = (r"理财|基金|定投|存单|定期|国债|存款|结构性存款|续存|转存|续作|接着买|续买|再买|年金|产品|方案|规划|配置"
          r"|资产|组合")
_COVER = r"保险|险|保障|年金|重疾|医疗|意外|方案|规划|配置|产品"
_RELEVANT: dict[str, re.Pattern[str]] = {
    "maturity": _rx(_MONEY), "idle_funds": _rx(_MONEY), "yield_dissatisfaction": _rx(_MONEY),
    "large_inflow": _rx(_MONEY + "|保险"), "education": _rx(_MONEY + "|教育金|保险|险"),
    "retirement": _rx(_MONEY + "|养老|保险|险"), "protection_need": _rx(_COVER),
}
_MEETING = _rx(r"约(?:个|一下|一个)?时间|预约|来(?:一趟)?网点|到网点|来我们(?:网点|支行|行里)|过来(?:一趟|聊|坐坐|面谈)"
               r"|面谈|当面|上门|见面|详细聊|细聊|坐下来聊|给您发|发给您|发您|发一份|寄给您|加(?:个|一下)?微信"
               r"|安排.{0,4}?(?:经理|顾问)|专属(?:理财)?经理(?:联系|给您)")


_TERMS = _rx(r"业绩比较基准|比较基准|年化|年利率|利率是|利率上浮|收益率|起存|起投|起购|保额|一年大概|每年交|年交"
             r"|[rR][1-5一二三四五](?:级|的)")
_HOLDING = _rx(r"您(?:这|那)(?:笔|张|份|只|个|款)|您的(?:定期|存单|理财|产品|保单)|您持有|您名下|您买的|您之前"
               r"|这个产品|这期")
_MONEY_NEEDS = frozenset({"maturity", "idle_funds", "large_inflow", "retirement", "education"})
# Money the customer said comes from somewhere: where it will sit next (到时候也没想好放哪)
# is that opening's question, not money idling.
_SOURCED = frozenset({"maturity", "large_inflow"})


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


def _agent_take(norm: str, pho: str, kind: str) -> tuple[str, str] | None:
    """(cue, "offer" | "meeting") when this agent turn proposes something relevant to ``kind``."""
    relevant = _RELEVANT[kind]
    for m in _OFFER.finditer(pho):
        s, e = m.span()
        if is_negated(norm, s, e, window=4):
            continue
        if relevant.search(pho[max(0, s - 10) : min(len(pho), e + 14)]):
            return norm[s:e], "offer"
    for m in _MEETING.finditer(pho):
        if not is_negated(norm, m.start(), m.end(), window=4):
            return norm[m.start() : m.end()], "meeting"
    # A product put forward by its terms (我们这边现在有三年期的大额存单，二十万起存，年利率两块一五):
    # quoting what a product of ours pays or costs offers it, however the offer is worded;
    # terms of what the customer already holds (您这笔定期到期利率是三点一五) offer nothing.
    terms = _TERMS.search(pho)
    if terms is not None and relevant.search(pho) and not _HOLDING.search(pho):
        return norm[terms.start() : terms.end()], "offer"
    return None


def _window(transcript: Transcript, seg: int, kind: str, raised: dict[int, dict[str, str]]) -> list[int]:
    """The next TAKE_WINDOW agent turns after segment ``seg``, up to the customer's next
    opening of another type (what the agent says after that answers the new one)."""
    out: list[int] = []
    for j in range(seg + 1, len(transcript.segments)):
        if transcript.segments[j].speaker == "agent":
            out.append(j)
            if len(out) == TAKE_WINDOW:
                break
        elif set(raised.get(j, {})) - {kind}:
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
        hit = _agent_take(view[j].prepared, view[j].phonetic, kind)
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
            if open_until.get(kind, -1) >= i or (kind == "idle_funds" and _SOURCED & set(open_until)):
                continue
            # Low returns said about money already raised as a need (到期了…利息太低了) are why
            # the customer wants somewhere better for it: that need's motive, not a second one.
            if kind == "yield_dissatisfaction" and _MONEY_NEEDS & (set(open_until) | set(cues)):
                continue
            window = _window(transcript, i, kind, raised)
            take = None
            for j in window:
                hit = _agent_take(view[j].prepared, view[j].phonetic, kind)
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

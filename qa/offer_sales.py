"""Does the agent sell an investment product in this call? The call-level half of the offer
judgement that risk_disclosure and suitability share (``investment_offer``).

qa.offer judges each agent turn (an offer act, what it puts forward, whether the turn is about
something else); this module adds the sales that no single turn shows as an offer:

* the customer asks to buy an investment and the agent carries the purchase out (already
  opened / submitted / booked), including a renewal of a maturing product;
* a sale recorded in the call as the law requires (现在开始双录 / 全程录音录像);

and the call-level tests on turns that only wording found: a call about a holding or a 回访,
a product described and refused in the agent's next turn, a staff title (理财经理) that is
the turn's only product word.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qa.conditions import MISS, Condition, EvalState, Match, compile_condition, operator
from qa.offer import (
    _EXIT,
    _REFUSED,
    _SENTENCE,
    _acts,
    _investment,
    _masked,
    _puts_forward,
    about_else,
    holding_call,
    offer_turns,
)
from qa.offer_words import ADDS, KIND, phonetic_re
from qa.spec import RuleError
from qa.textfeat import SegText

# The customer asks to buy (我想开个积存金 / 那我就买这个 / 我想买你们那个X) and the agent carries
# the purchase out (已经帮您开通 / 六十万已经提交 / 投保链接发您了): a sale the agent makes, whoever
# proposed it. A request to leave a product (赎回 / 转出来买车) is no purchase; identity checks,
# the level and the warnings come between, so the purchase may be several agent turns later.
_REQUEST = re.compile(
    r"(?:想|要|准备|打算)(?:买|开|办|申购|认购|定投|投|配置|存点|存一点)|(?:那就|那我就|我就|就)买|买(?:吧|这个|点|一点|一份)"
    r"|(?:开|办|来)(?:一个|个|一份)"
    # renewing a maturing product is buying it again (要不就续上吧 / 续一期)
    r"|续(?:上|一期|买|购|投|存|一下)"
)
_CARRIED_OUT = re.compile(
    r"已经?(?:帮|给|为)?(?:您|你)?[^，,。！？!?]{0,6}(?:开通|提交|设置|办好|下单|买入|申购|认购|投保)"
    r"|(?:开通|办理|购买|申购|认购|续购|预约)成功|(?:设置|办|开|买)好了|投保链接|确认份额|(?:帮|给|为)(?:您|你)(?:开通|下单|提交|录入)"
    r"|发起[^，,。！？!?]{0,4}(?:续购|申购|认购|购买)"
)


_TAKE_OUT = re.compile(r"转出|取出|提取|取钱|提现")
_SALE_TURNS = 10


def requested_sales(st: EvalState, window: tuple[int, ...]) -> list[int]:
    """Agent turns of the window that carry out an investment purchase the customer asked for
    in the agent's turns before (at most _SALE_TURNS)."""
    segs = st.segments
    inside = set(window)
    out: list[int] = []
    for i, seg in enumerate(segs):
        if seg.speaker != "customer" or not _REQUEST.search(st.feat(i).norm):
            continue
        if _EXIT.search(st.feat(i).norm) or _TAKE_OUT.search(st.feat(i).norm):
            continue
        agent_after = [j for j in range(i + 1, len(segs)) if segs[j].speaker == "agent"][:_SALE_TURNS]
        for j in agent_after:
            norm = st.feat(j).norm
            done = _CARRIED_OUT.search(norm) if j in inside else None
            if done is None:
                continue
            # What the agent carries out is a redemption or transfer (帮您先赎回…我帮您提交): the
            # request was no purchase. A warning after the purchase (卖出有手续费) is no exit.
            stop = _SENTENCE.search(norm, done.end())
            if _EXIT.search(norm[: stop.start() if stop else len(norm)]):
                break
            # What is bought is named, by its kind, from the turn before the request up to the
            # purchase (a return alone does not tell a deposit from an investment here).
            said = "".join(_masked(st.feat(k))[0] for k in range(max(0, i - 2), j + 1))
            if KIND.search(said) and _investment(said):
                out.append(j)
            break
    return out


# A sale recorded as the law requires (现在开始双录 / 需要全程录音录像): the agent carries a
# purchase out in this call, whoever proposed it. A recording of an earlier sale fetched or
# asked about (调取当时的双录 / 有没有双录) is a complaint's or a 回访's evidence.
_RECORDING = re.compile(r"(?:开始|现在|正在|下面|接下来)[^，,。！？!?]{0,4}(?:双录|录音录像)"
                        r"|(?:双录|录音录像)(?:结束|完成|开始)|今天[^。！？!?]{0,20}(?:双录|录音录像)"
                        r"|录音录像[^。！？!?]{0,6}(?:可以吗|好吗|行吗)"
                        # the recording made or finished (我这边录一下双录 / 还需要做个双录 / 双录做完了)
                        r"|(?:录|做)(?:一下|个|一个)(?:双录|录音录像)|(?:双录|录音录像)(?:做|录)?(?:完|好)了")
# ... nor is the rule that a sale must be recorded (按规定要做双录 / 如果您之后想买…要录音录像).
_RECORDED_BEFORE = re.compile(r"调取|调出|调阅|调看|当时|之前|上次|以前|有没有|是否|核查|核实一下"
                              r"|规定|如果|要是|的话|之后|以后")


def recorded_sales(st: EvalState, window: tuple[int, ...]) -> list[int]:
    """Agent turns of the window that record an investment sale made in this call."""
    segs = st.segments
    agent = [i for i in range(len(segs)) if segs[i].speaker == "agent"]
    turns = [i for i in agent if i in set(window) and _RECORDING.search(st.feat(i).norm)
             and not _RECORDED_BEFORE.search(st.feat(i).norm)]
    if not turns or holding_call(st):
        return []
    return turns if any(KIND.search(_masked(st.feat(i))[0]) for i in agent) else []



_BACKREF = re.compile(r"这(?:款|只|支|个|笔)(?:产品|理财|基金)?(?:是|的|本身)|该产品")
_HOLDING_FOUND = re.compile(r"(?:您|你)(?:的)?(?:持有|名下)|查到您|名下(?:确实|还|一共|是)?有")


def _opens_on_holding(st: EvalState) -> bool:
    """The first product the agent names is the customer's own (我看到您名下有一款… / 您持有的
    这款…): what the agent says of 这款 afterwards describes that holding, not a new offer."""
    agent = [i for i, seg in enumerate(st.segments) if seg.speaker == "agent"]
    for k, i in enumerate(agent):
        pho, norm = _masked(st.feat(i))
        if _HOLDING_FOUND.search(norm) and ADDS.search(norm) is None and not _acts(pho, norm):
            return True
        # the greeting may name the institution (X理财客服中心): no product yet
        if k > 0 and KIND.search(pho):
            return False
    return False


def _refused_next(st: EvalState, i: int) -> bool:
    """A product described with no offer act and refused in the agent's next turn (这款是R2 …
    所以这款您买不了) was never put forward."""
    if _puts_forward(st.feat(i)):
        return False
    nxt = next((j for j in range(i + 1, len(st.segments)) if st.segments[j].speaker == "agent"), None)
    return nxt is not None and _REFUSED.search(st.feat(nxt).norm) is not None


def _title_only(feat: SegText) -> bool:
    """The turn's only product word is part of a person's title (让理财经理帮您规划一下):
    the wording lists read 理财 in it, but no investment is named."""
    pho, _ = _masked(feat)
    return KIND.search(feat.pho) is not None and KIND.search(pho) is None and not _investment(pho)


# Protection cover named as what the call sells (医疗险 / 重疾 / 防癌 / 纯保障型的): an insurance
# offered in a call that names no investment kind anywhere is that cover, not an investment.
_COVER = phonetic_re(r"医疗|重疾|意外险|防癌|寿险|保障(?:型|类)|纯保障|保额")


def _cover_only(st: EvalState) -> bool:
    """The agent's products are protection cover: named, and no investment kind beside them."""
    agent = [_masked(st.feat(i))[0] for i, seg in enumerate(st.segments) if seg.speaker == "agent"]
    return any(_COVER.search(t) for t in agent) and not any(KIND.search(t) for t in agent)


@dataclass(frozen=True, slots=True)
class InvestmentOffer(Condition):
    """The agent recommends or sells an investment product (see the module docstring)."""

    also: Condition | None = None

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        hits = set(offer_turns(st, window)) | set(requested_sales(st, window)) | set(recorded_sales(st, window))
        extra_hit = False
        if self.also is not None:
            m = self.also.eval(st, window)
            extra_hit = m.hit and not m.segments  # known from the call's metadata: no turn to judge
            agent = [i for i in m.segments if st.segments[i].speaker == "agent"]
            held = holding_call(st)
            # after the agent has opened on the customer's holding, 这款 points back to it
            back = _opens_on_holding(st)
            # wording that names no kind (了解一下保障类的保险) sells the cover the call is about
            cover = _cover_only(st)
            kept = [i for i in agent if not about_else(st.feat(i)) and not _title_only(st.feat(i))
                    and not (cover and _investment(_masked(st.feat(i))[0]) is None)
                    and (not (held or (back and _BACKREF.search(st.feat(i).norm))) or _puts_forward(st.feat(i)))
                    and not _refused_next(st, i)]
            if kept or (m.segments and not agent):
                hits.update(i for i in m.segments if i in kept or st.segments[i].speaker != "agent")
        if hits:
            return Match(True, tuple(sorted(hits)), 0.9)
        return Match(True, (), 0.9) if extra_hit else MISS

    def rule_refs(self) -> set[str]:
        return self.also.rule_refs() if self.also is not None else set()


@operator("investment_offer")
def _investment_offer(arg: Any, where: str) -> Condition:
    if arg is True:
        return InvestmentOffer()
    if isinstance(arg, Mapping) and set(arg) == {"also"}:
        return InvestmentOffer(compile_condition(arg["also"], f"{where}.also"))
    raise RuleError(f"{where}: expected true or {{also: <condition>}}")

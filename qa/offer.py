"""Does the agent recommend or sell an investment product? One judgement for the sales rules.

risk_disclosure and suitability apply only to an agent's investment offer. Wording lists
miss offers made in other words (俺行现在有个新产品，利息比定期高一倍) and catch talk that only
names a product (a 回访 asking what the salesperson said, the customer's own holding, a rule
about levels). So the offer is judged here by its structure, turn by turn:

* an act that puts something forward: introducing a product (我们现在有一款…), inviting or
  advising (可以考虑 / 要不要 / 建议您 / 换到), or a sales step (帮您下单 / 签一份 / 名额不多);
* what is put forward is an investment: a kind of investment product (理财, 基金, 分红险, R3…)
  in that turn or the agent's next, or a return pitched with it (收益 / 年化 / 涨了 / 比定期高)
  in that turn or the agent's next two; a deposit, bond, loan, card or protection cover named
  without any investment kind is none;
* or the customer asked to buy an investment and the agent carries the purchase out (已经帮您
  开通 / 投保链接发您了): a sale, whoever proposed it;
* the turn is not about something else: the customer's own holding (您持有的 / 您那只),
  a question about an earlier sale (销售人员有没有跟您说…), a correction of what the customer
  was told (您说的“保证三点五”…), a refusal or the rule that forbids the sale (只能买R2及以下),
  service on the customer's app or account rules (卸载重装 / 追加担保物), investor education;
* in a call about a holding or a 回访, a product of ours merely named (您申购了我们的X债券基金)
  is the one held: only another act puts something forward there.

``investment_offer: true`` (registered in qa.offer_sales, which adds the sales no single turn
shows) hits on such turns; ``investment_offer: {also: <condition>}`` adds the turns another
condition found (wording the structure misses) and passes them through the same "about
something else" test, so both kinds of evidence mean the same thing.
"""

from __future__ import annotations

import re
from itertools import pairwise

from qa import negation
from qa.conditions import EvalState
from qa.offer_words import (
    ABOVE_DEPOSIT,
    ADDS,
    DENIED_KIND,
    INTRODUCE,
    INTRODUCE_SOUND,
    INVITE,
    KIND,
    NOT_INVESTMENT,
    NOT_PRODUCT,
    OURS,
    RETURN,
    TRANSACT,
    phonetic_re,
)
from qa.textfeat import SegText

# The turn is about something else.
_HELD = re.compile(
    r"(?:您|你)(?:的)?(?:持有|名下)|(?:您|你)(?:之前|上次|当时|去年|已经)?(?:买|购买|定投|投)的|(?:您|你)(?:这|那)(?:只|个|份|款)(?!情况|问题|想法|需求|要求|心情|意思)"
    r"|(?:您|你)[^，,。]{0,16}(?<!可以)(?<!能)(?<!要)(?<!想)(?:买|购买|申购|认购|投保)(?:了|过|的)"
    r"|(?:您|你)的(?:理财|基金|定投|持仓|保单|产品|账户)|(?:您|你)[^，,。！？!?]{0,3}(?:手上|手里)|我看到您"
    # a holding found under the customer's name, or the product they chose themselves
    r"|名下(?:确实|还|一共)?有|(?:您|你)自己选的"
)
_PAST_SALE = re.compile(
    r"(?:有没有|是否|有无)[^。？！?!]{0,14}(?:说|讲|提示|告知|提醒|介绍|承诺|说明)|销售人员|销售的时候|销售时|购买(?:时|的时候|之前)"
    r"|买的时候|当时"
)
# Keeping the customer's risk assessment current (测评下周到期，到期后买理财会受限) is
# service, whatever products it names.
_ASSESSMENT = phonetic_re(r"(?:测评|评估|测试)[^。？！?!]{0,10}(?:过期|到期|失效)|重新(?:做|测)|重做"
                          # what the lapse means (过期之后购买或者追加理财会受影响)
                          r"|过期(?:之后|以后|后)|受(?:影响|限制|限)"
                          r"|(?:测评|问卷)[^。？！?!]{0,10}(?:答案|怎么答|选哪|答题|做题|如实)")
_CORRECTION = re.compile(r"澄清|更正|纠正|(?:您|你)(?:刚才)?(?:说|讲|提到)[^，,。]{0,4}[\"“「]")
# Leaving or rearranging a product (赎回 / 转让 / 退保 / 从进取型账户转到稳健型账户) is
# service on a holding; a realised return reported (实际年化收益是二点一 / 这期收益没达到)
# answers a question about one.
# 随时能赎回 describes a product on offer, not a holding being left.
# Redeeming as the first step of a move (可以赎回后转到R1、R2的稳健理财) leads into the product
# offered next, no exit.
_EXIT = re.compile(r"(?<!随时)(?<!随时能)(?<!随时可以)(?<!随时都能)赎回"
                   r"(?![^，,。！？!?]{0,2}(?:后|之后|以后)[^，,。！？!?]{0,4}(?:转到|换到|放到|转成|换成|买|投|配))"
                   r"|继续持有|卖出|卖掉|转让|终止|撤单|撤销|退保|质押|解约|从[^，,。]{0,8}(?:转到|换到|转成|换成)"
                   # a rebalancing already done in the customer's portfolio (调仓，换成了红利风格的)
                   r"|调仓|(?:换|转)(?:成|到)了")
_EXPLAINED = re.compile(r"实际(?:年化)?收益(?:是|只有|低于|没)|最终(?:年化|收益)"
                        r"|(?:收益|这期|这一期)[^。！？?!]{0,4}没(?:有)?(?:达到|到)")
# A refusal or the rule that forbids the sale (a recommendation turned down, 不建议…, is
# caught as a negated act instead).
_REFUSED = re.compile(
    r"不能(?:买|卖|向您|给您)"
    r"|买不了|卖不了|超出|超过了?(?:您|你)|拦截|不(?:太|大|是很|怎么)?适合(?:您|你)|按(?:照)?(?:我们的)?规定|监管(?:要求|规定)"
)


# What the customer has with us, listed (您在我们行目前有两笔理财，一笔定期，还有一只基金): a
# 还有一只… further on in that sentence lists a holding, it introduces nothing.
_OWNS = re.compile(r"(?:您|你)(?:在(?:我们|我行|本行|咱们|咱行|这边|这里)(?:行|这边|这里)?)?"
                   r"(?:目前|现在|名下|账户里|卡上|手上)?(?:还|一共|总共)?(?:持)?有(?!没有|什么|哪)")
# Whether someone else did it, asked (工作人员有没有向您…推荐您买什么产品？): a 回访's
# question about another's conduct makes no offer of its own.
_ASKED_OF_OTHERS = re.compile(r"(?:有没有|是否|有无)(?:向|跟|给|对|和)(?:您|你)"
                              r"|(?:工作人员|销售人员|业务员|柜员|经理|他们|对方|人家)[^。？！?!]{0,6}(?:有没有|是否|有无)")

# 在 right before the act's subject (李先生在|我们这里有…), not the 在 of 现在 / 正在 / 还在.
_LOCATED = re.compile(r"(?<![现正还实存])在$")
_NEAR = 24  # characters either side of an act where what it offers is named


def _masked(feat: SegText) -> tuple[str, str]:
    """The phonetic and the written text with staff titles (理财经理 names a person, not a
    product) and kinds denied (没有理财功能) blanked; both keep the original length."""
    pho, norm = feat.pho, feat.norm
    for m in [*NOT_PRODUCT.finditer(pho), *DENIED_KIND.finditer(pho)]:
        gap = "＿" * (m.end() - m.start())
        pho = pho[: m.start()] + gap + pho[m.end() :]
        norm = norm[: m.start()] + gap + norm[m.end() :]
    return pho, norm


def _investment(text: str) -> bool | None:
    """True: an investment is named or its return pitched; False: only a deposit, bond, loan,
    card or protection cover is named; None: nothing tells."""
    text = ABOVE_DEPOSIT.sub("＋", text)
    if KIND.search(text):
        return True
    if NOT_INVESTMENT.search(text):
        return False
    return True if "＋" in text or RETURN.search(text) else None


# A general answer (我们的理财年化一般在二到三之间) describes a class of products, not an offer.
_GENERAL = re.compile(r"(?:一般|通常)(?:在|是|都)|大多|大部分|普遍")
# What a risk level lets the customer buy (C2可以买R2及以下的产品 / 可以购买R1、R2等级的低风险产品 /
# 所有等级的产品都能买) states the suitability rule for a class of products, not an offer of
# one; a purchase put in the future (以后再买理财就买不到 / 之后在手机上买理财) explains a
# consequence. A named product (这款R3的可以买) is no class and stays an offer.
_ELIGIBLE = re.compile(
    r"(?:可以|能|都能|都可以|才能|就能)(?:购买|买|投|选)[^，,。！？!?这那]{0,4}r[1-5一二三四五][^，,。！？!?这那]{0,12}产品"
    r"|(?:所有|全部|任何|各种)[^，,。！？!?]{0,8}产品(?:都|也)(?:能|可以)(?:买|购买)"
    r"|(?:以后|之后|今后|往后)(?:再)?[^，,。！？!?]{0,8}(?:买|购买)(?:新的?|新嘅)?[^，,。！？!?这那]{0,3}(?:理财|基金|产品)"
    # a class bounded by a level (换成R3及以下的产品) names no product
    r"|(?:换|转|选|买)[^，,。！？!?这那]{0,3}r[1-5一二三四五]级?(?:及以下|以下|以内)"
    r"|只能(?:给(?:您|你))?(?:推荐|买|购买|投|选|配)[^，,。！？!?这那]{0,6}r[1-5一二三四五]级?(?:以内|以下|及以下|的产品)"
    # what a level holds (R2里面有哪些产品 / R3范围内的) is a class, not one product
    r"|r[1-5一二三四五]级?(?:里面|里头|以内|范围内|当中|之内)"
)
# Service on the customer's tools or account rules: an app fix (卸载重装试试 / 用网页版) or what
# a margin account requires (追加担保物 / 强制平仓) puts nothing forward, whatever it meets by sound.
_SERVICE = re.compile(r"卸载|重装|重新(?:安装|下载|登录|登陆)|清(?:理|除)?缓存|网页版|闪退|机型"
                      r"|担保(?:比例|物|品)|平仓|保证金")
_VETOES = (_PAST_SALE, _CORRECTION, _REFUSED, _EXIT, _EXPLAINED, _GENERAL, _SERVICE, _ASKED_OF_OTHERS)
_SENTENCE = re.compile(r"[。！？；!?;]")
# 或者 / 另外 open another alternative in unpunctuated speech (…转让这张存单或者…放到我们一款R2的理财里).
_CLAUSE = re.compile(r"[。！？；!?;，,]|或者|另外")


# A service put forward instead of a product: a meeting, a review, material or a place to
# look (给您预约投顾做个持仓诊断 / 我让投顾发您一份资料 / 在理财频道看): no offer unless the
# same clause names a product kind.
_REFERRAL = re.compile(
    r"预约|约一下|约个|持仓诊断|诊断|(?:发|寄)(?:您|你)?(?:一份|个|一下)?(?:资料|材料|链接)|频道|专区|投资者教育|入门课"
    r"|问(?:一下|问)?(?:理财经理|客户经理)"
)


# Investor education (投资者教育专区 / 入门课) teaches about products, whatever kinds it names.
_EDUCATION = re.compile(r"投资者教育|入门课|知识讲座|投教")


def _about_else(text: str, pho: str, *, introduces: bool = False, eligible: bool = True) -> bool:
    """This stretch talks about a holding, an earlier sale, a correction, a refusal or the
    customer's assessment: none of it is an offer. A holding named just before a new
    product is introduced (您去年买过一份意外险，现在我们有一款…) is the lead-in to a sale."""
    if any(p.search(text) for p in _VETOES) or _ASSESSMENT.search(pho) or (eligible and _ELIGIBLE.search(text)):
        return True
    if _EDUCATION.search(text) or (_REFERRAL.search(text) and not KIND.search(pho)):
        return True
    return not introduces and _HELD.search(text) is not None and ADDS.search(text) is None


def _span(norm: str, start: int, end: int, breaks: re.Pattern[str]) -> tuple[int, int]:
    """The clause or sentence around an act, at most _NEAR characters either side (ASR text has none)."""
    lo = max(0, start - _NEAR)
    hi = min(len(norm), end + _NEAR)
    cuts = [m.end() for m in breaks.finditer(norm, lo, start)]
    stop = breaks.search(norm, end, hi)
    return (cuts[-1] if cuts else lo), (stop.start() if stop else hi)


def _acts(pho: str, norm: str, *, ours: bool = True) -> list[tuple[int, bool | None, bool]]:
    """Offer acts asserted in the turn outside any stretch about something else: (end,
    whether its sentence names an investment (None: nothing tells), introduces a product).
    ``ours=False`` leaves out a product of ours merely named (see offer_turns)."""
    out = []
    # An eligibility statement is no offer, but an offer said right after it in unpunctuated
    # speech (C3可以买R3及以下的产品我推荐您看一下…) is: only acts inside it are dropped.
    rules = [(e.start(), e.end()) for e in _ELIGIBLE.finditer(norm)]
    for p, text in ((INTRODUCE_SOUND, pho), (INTRODUCE, norm), (OURS, pho), (INVITE, norm), (TRANSACT, norm)):
        if p is OURS and not ours:
            continue
        for m in p.finditer(text):
            if any(lo < m.end() and m.start() < hi for lo, hi in rules):
                continue
            # 在我们这里有一笔… places a holding at the bank (李先生在我们这里有一笔理财下周到期):
            # whose it is comes before 在, and nothing is introduced (现在我们有一款… is time).
            if p is INTRODUCE_SOUND and _LOCATED.search(norm, 0, m.start()):
                continue
            # Only a negation right before the act counts (不建议 / 别买): unpunctuated speech
            # puts the customer's wish (不要这么大的波动) a few characters before an offer.
            if negation.is_negated(norm, m.start(), m.end(), window=3):
                continue  # a conditional offer (您要是再追加五万…) is one; 不建议… is none
            # An act inside a sentence that lists the customer's holdings or asks what someone
            # else did is no act of the agent's.
            opened = _span(norm, m.start(), m.end(), _SENTENCE)[0]
            if _OWNS.search(norm, opened, m.start()) or _ASKED_OF_OTHERS.search(norm, opened, m.start()):
                continue
            # What the act is about is read in its clause; what it offers, in its sentence.
            lo, hi = _span(norm, m.start(), m.end(), _CLAUSE)
            introduces = p is INTRODUCE or p is INTRODUCE_SOUND
            if not _about_else(norm[lo:hi], pho[lo:hi], introduces=introduces, eligible=False):
                lo, hi = _span(norm, m.start(), m.end(), _SENTENCE)
                # a class of products named beside the act (告诉您R2里面有哪些产品) is no product
                said = "".join("＿" if any(a <= k < b for a, b in rules) else ch
                               for k, ch in enumerate(pho[lo:hi], start=lo))
                out.append((m.end(), _investment(said), introduces))
    return out


def about_else(feat: SegText) -> bool:
    """The turn talks about something else, or only about a deposit, bond, loan, card or
    cover, and puts no investment forward beside it."""
    pho, norm = _masked(feat)
    if any(here is not False for _, here, _ in _acts(pho, norm)):
        return False
    if _about_else(norm, pho, eligible=False) or _investment(pho) is False:
        return True
    # A rule about levels speaks for its own sentence only: a product presented in the next one
    # (可以选R3及以下的。这一款R2的，投短债为主…) is put forward all the same.
    if not _ELIGIBLE.search(norm):
        return False
    cuts = [0, *(m.end() for m in _SENTENCE.finditer(norm)), len(norm)]
    return not any(KIND.search(pho[a:b]) and not _ELIGIBLE.search(norm[a:b]) for a, b in pairwise(cuts))


def offer_turns(st: EvalState, window: tuple[int, ...]) -> list[int]:
    """Agent turns of the window that put an investment product forward."""
    agent = [i for i in range(len(st.segments)) if st.segments[i].speaker == "agent"]
    inside = set(window)
    # In a call about a holding or an earlier sale (a 回访) the product of ours is named as the
    # one held (您在6月3号申购了我们的X债券基金): there only another act is an offer.
    ours = not holding_call(st)
    out: list[int] = []
    for k, i in enumerate(agent):
        if i not in inside:
            continue
        pho, norm = _masked(st.feat(i))
        # A turn that names only a deposit or bond (储蓄国债…一百元起买) sells that, whatever rate
        # it quotes: a return is what deposits are sold by too.
        acts = _acts(pho, norm, ours=ours) if _investment(pho) is not False else []
        # What is put forward is named in the act's sentence (…可以考虑换到我们的红利优选，这只今年表现很好),
        # or, when that sentence names nothing, by its kind elsewhere in the turn (您签一份确认书就能
        # 买了。这款产品净值会有波动).
        if any(here for _, here, _ in acts) or (
                any(here is None for _, here, _ in acts) and KIND.search(pho) and not _about_else(norm, pho)):
            out.append(i)
        elif any(intro and here is None for _, here, intro in acts):
            # A product introduced by name is described in the agent's next turns: its kind
            # in the next one, its return in the next two (我们有一款教育金产品… / 收益是锁死的).
            nxt = [_masked(st.feat(j))[0] for j in agent[k + 1 : k + 3]]
            if nxt and (KIND.search(nxt[0]) is not None or any(_investment(t) for t in nxt)):
                out.append(i)
    return out


# The call was placed about a product the customer already holds or an earlier sale: the
# customer opens with it (我那个理财怎么才零点九 / 我买你们那个基金 / 卖给我一个理财) or the
# agent calls to 回访 one. Its talk names the product's level, benchmark and risks (这款是R2 /
# 业绩比较基准不是保证): wording that marks a pitch elsewhere, so there only a turn with an
# offer act of its own (可以考虑 / 新发 / 帮您买) is a pitch.
_OWN_PRODUCT = phonetic_re(
    # a relative asks about the holder's product (她那个分红保险)
    r"[我她他](?:买的|买了|买你们|之前买|去年买|上次买|那个|那笔|那份|那只|这个|这笔|这份|这只|个|的)[^，,。！？!?定存]{0,10}"
    r"(?:理财|基金|万能|年金|分红|保险|产品|etf|投顾)|卖给我"
    # or says when and where they bought it (我前年在你们翠屏支行买了个分红险)
    r"|我(?:前年|去年|今年|之前|上次|以前|当时|前几年|[上这]个月)?在[^，,。！？!?]{1,12}(?:买|办|投|存)(?:了|的|过)"
    r"[^，,。！？!?定存]{0,10}(?:理财|基金|万能|年金|分红|保险|产品|etf|投顾)"
    # or names it by its own name with what happened to it (我那个苏银恒盈一年期昨天到期了)
    r"|我(?:那个|这个|那笔|那只)[^，,。！？!?定存卡]{2,10}(?:到期|到账|赎回|亏|跌|收益|分红)"
)
_REVISIT = re.compile(r"回访")
_OPENING_TURNS = 4  # turns of each side in which a call states what it is about


def holding_call(st: EvalState) -> bool:
    """The call is about a product the customer holds or an earlier sale (see _OWN_PRODUCT)."""
    seen = {"agent": 0, "customer": 0}
    for i, seg in enumerate(st.segments):
        if seen.get(seg.speaker, _OPENING_TURNS) >= _OPENING_TURNS:
            continue
        seen[seg.speaker] += 1
        text = st.feat(i).norm if seg.speaker == "agent" else _masked(st.feat(i))[0]
        if (seg.speaker == "agent" and (_REVISIT.search(text) or _reports_holding(st.feat(i)))) or (
                seg.speaker == "customer" and _OWN_PRODUCT.search(text)):
            return True
    return False


# The agent calls about what the customer bought (您买的那个海峡半年盈昨天到期了): a notice
# about a holding, like a 回访.
_BOUGHT = re.compile(r"(?:您|你)(?:之前|上次|去年|前年|当时|上个月)?(?:买|购买|申购|认购|投保)(?:的|了)")


def _reports_holding(feat: SegText) -> bool:
    """An agent turn that names the customer's own purchase and puts nothing forward."""
    pho, norm = _masked(feat)
    return _BOUGHT.search(norm) is not None and ADDS.search(norm) is None and not _acts(pho, norm)


# An agent who points past the held product (可以看我们的… / 也可以放… / 建议您到网点对比… /
# 我们行有一个养老专区) puts something forward even without an offer act's exact words.
# 还是可以的 / 也可以 judge what was said; a 可以 that puts something forward goes on to a verb.
# 考虑进去 / 考虑在内 is "take into account", no invitation.
_POINTS_ON = re.compile(r"可以(?![的了啊呀吧嘛，,。！？!?\s]|$)(?!考虑进去|考虑在内)|建议|推荐|不妨|不如"
                        r"|考虑(?!进去|在内)|要不|兴趣"
                        r"|(?:我们|我行|咱们|咱行)行?[^，,。！？!?]{0,4}有(?:一|个)|帮(?:您|你)(?:买|下单|申购|认购|办|操作)"
                        # products picked for the customer (我这边给您挑的两款都是R二的)
                        r"|(?:给|帮|为)(?:您|你)(?:挑|选|找|物色|留)")


def _puts_forward(feat: SegText) -> bool:
    pho, norm = _masked(feat)
    if any(here is not False for _, here, _ in _acts(pho, norm)):
        return True
    return any(not negation.is_negated(norm, m.start(), m.end(), window=4) for m in _POINTS_ON.finditer(norm))

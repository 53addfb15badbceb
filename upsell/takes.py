"""Did the agent take an opening? The agent-turn side of upsell openings (开口).

An opening is taken when one of the agent's next turns puts something forward that fits
the need: a product (named by its kind or by what it pays), a plan or 配置, a meeting with
an adviser or manager, or materials. What an offer looks like, read turn by turn:

* an act that proposes (推荐 / 建议 / 可以考虑 / 给您介绍 / 我们有一款 / 可以存…), not
  negated (不建议 / 没有推荐);
* near it, a product kind relevant to the opening: any money product (deposits, bonds,
  理财, 基金, insurance savings, even 分期 for a school fee) for a money need; cover for a
  protection need; a plan, 配置 or 方案 for any;
* or a product put forward by its terms (利率二点一五 / 业绩比较基准 / 起存), not the terms of
  what the customer already holds;
* or an adviser or a meeting arranged for the customer (我帮您约理财经理 / 让专员给您打电话 /
  讲座 / 发计划书): a bare "come to the branch" to finish a transaction arranges nothing.

Pure: strings in, a (cue, kind) verdict out.
"""

from __future__ import annotations

import re

from nlp.phonetic import rx
from nlp.text import is_negated

_OFFER = rx(r"推荐|主推|我建议|建议(?:您|你|分|先|还是|放|存|买|配|看|选)|可以考虑|考虑一下|给您介绍|跟您介绍"
            r"|介绍一下|介绍一个|介绍一款|介绍下|了解一下|可以了解"
            r"|有一款|有款|有个产品|有一个产品|有几款|有一只|有只|有一个|有个|有一类|有几类|适合您|适合你|不妨|可以配置"
            r"|配置一些|配置一点|做个规划|做一个规划|规划一下|可以买|可以存|可以放|可以做|可以选|可以投|可以看|可以配|放到|转到"
            r"|转成|换成|续存|续作|转存|续买|续投|接着买|要不要|帮您看看|帮您挑|帮您选|帮您配|给您算|帮您算|做个配置"
            r"|做一下配置|安排一下|要不您|您看看|看看我们|看一下我们|新出的|新发的|新一期|发行|配置些|配些|配个|配一份|买一份"
            r"|买份|给您做|帮您做|为您做|做个|做一个|整体配置|资产配置|出个方案|出一个方案|出一份方案|分两块|分几块|分三块"
            r"|分成|(?:两|几|三)个选择|一种选择|一个是|另一个是|我们有|我们这有|我们这边有|我这边有|我行有|提前准备|准备一笔|可以准备|存我们的|买我们的|给您挑"
            # the customer's money moved to what the agent names (到期了直接转过来就行), and
            # 可以 + a qualifier + a verb of buying (重疾和增额寿可以一起配)
            r"|转过来|转进来|放过来|存过来|可以(?:一起|先|再|也|都|分别)(?:买|存|放|配|做|选|投|看)"
            r"|新发了|新出了|您看我们|我们现在(?:的|有)"
            r"|拿出[^，,。！？!? ]{0,6}(?:买|存|放|投)|买这(?:个|款|只)|放这(?:个|款|只)"
            # the product on the table tied to the need just voiced (这个就是专门给您养老准备的,
            # 那正好这个产品每年交两万…), or one of ours on sale (我们在售的…是R3，跟您等级匹配)
            r"|这(?:个|款|只)(?:产品)?(?:就是|正好|刚好|专门)|(?:正好|刚好)(?:这个|这款|我们)|(?:在售|在卖)的")
# Before an offer word: the act already done or automatic (已经转存了, 会自动转存), or a
# holding (您持有一只…, 您有一个定期): a report on the customer's money, not a proposal.
_DONE_BEFORE = re.compile(r"(?:已经|已|自动|持|拥)$")
_YOURS_BEFORE = re.compile(r"(?:您|你)(?:还|也|这边)?$")
# What follows an offer word when the agent points at paperwork or procedure, not at
# something to buy (具体您可以看一下合同 / 我们做个例行回访).
_NOT_OFFERED = rx(r"回访|核实|核对|登记|记录|合同|条款|保单|明细|账单")
# Words of two syllables or more: the match is by sound, and one syllable (债, 寿, 险) meets
# too many others (在, 收, 现).
_MONEY = (r"理财|基金|定投|存单|定期|国债|存款|结构性存款|续存|转存|续作|接着买|续买|再买|年金|产品|方案|规划|配置"
          r"|资产|组合|零存整取|储蓄|逆回购|私募|收益凭证|保险|寿险|终身寿|增额|分红|两全|万能|固收|债券|纯债|债基"
          r"|货币|现金管理|养老|教育金|[eE][tT][fF]|[rR][1-5一二三四五]"
          # terms only an investment product has: quoting them names one
          r"|业绩比较基准|七日年化|起购|起投")
_COVER = r"保险|寿险|保障|年金|重疾|医疗|意外|防癌|惠民保|方案|规划|配置|终身寿|增额|保额|保费|投保|核保|旅行险|医疗险"
RELEVANT: dict[str, re.Pattern[str]] = {
    "maturity": rx(_MONEY), "idle_funds": rx(_MONEY), "yield_dissatisfaction": rx(_MONEY),
    "large_inflow": rx(_MONEY), "education": rx(_MONEY + "|险|分期|留学"), "retirement": rx(_MONEY + "|险"),
    "protection_need": rx(_COVER),
}
# An adviser or meeting arranged, or materials sent: takes any opening.
# A bare 预约 / 上门 is often the procedure itself (网点可以预约上门核实, 九月八号预约的还款):
# only one made for the customer, or one to talk, arranges anything.
_MEETING = rx(r"约(?:个|一下|一个)?时间"
              r"|(?:帮您|给您|为您|我来|替您)预约(?![^，,。！？!? ]{0,6}(?:核实|办理|还款|取款|销户|挂失))"
              r"|预约(?:一下|个)?(?:理财|经理|顾问|专员|面谈|讲解)|过来(?:一趟)?(?:聊|坐坐|面谈)|面谈|当面聊"
              r"|上门(?:拜访|讲解|介绍|给您讲|聊)|详细聊|细聊"
              r"|坐下来聊|加(?:个|一下)?微信|讲座|计划书|宣传单|给您发(?!个?链接)|发给您|发您|发一份|寄给您"
              r"|(?:来|到)(?:一趟)?(?:网点|支行|行里)[^，,。！？!? ]{0,14}(?:看看|聊|了解|怎么配|配置|规划|安排|方案)"
              r"|(?:约|安排|请|让|叫|登记)[^，,。！？!?]{0,12}(?:经理|顾问|专员|经历|理财师)"
              r"|(?:经理|顾问|专员|经历|理财师)[^，,。！？!?]{0,8}(?:联系您|给您打|跟您聊|跟您讲|给您讲|打电话|过来|一对一)"
              r"|专属(?:理财)?经理(?:联系|给您)|帮您约|给您约|约一下")
# A benchmark counts with its figure (业绩比较基准年化三到三点五): said alone it is explained
# (业绩比较基准是管理人设定的目标，不是预期收益).
_TERMS = rx(r"比较基准(?:是|为)?(?:年化)?(?:百分之)?[零一二两三四五六七八九0-9]"
            r"(?:点|到|至|%|[零一二两三四五六七八九0-9])"
            r"|年化|年利率|利率(?:是|大概|才|有)?[零一二两三四五六七八九][点块]|利率上浮|收益率"
            r"|起存|起投|起购|保额|一年大概|每年交|年交|[rR][1-5一二三四五](?:级|的)"
            # a rate said as what a term pays (一年三块五的收益, 大额存单三年期二点一五)
            r"|[一二两三四五六七八九][点块][零一二三四五六七八九]{0,2}的?(?:收益|利息)"
            r"|(?:年期|一年|半年|个月)[^，,。！？!? ]{0,3}[一二两三四][点块][零一二三四五六七八九]")
_HOLDING = rx(r"您(?:这|那)(?:笔|张|份|只|个|款)|您的(?:定期|存单|理财|产品|保单)|您持有|您名下|您买的|您之前"
              r"|这个产品|这期|实际(?:到期)?年化|到期年化|到其年化|最后的实际|结算利率|您的保额|您的万能|现在持有"
              r"|您这个是|上个月是|保证的最低|保底")


_OURS = rx(r"我们现在|我们这边|我们这有|我们有|我行|新一期|新出|新发|现在有")
# Money products that are no cover: a meeting to talk about them answers a money need, not
# a protection one (李财这款您以后想了解, said to a customer worried about a sick husband).
_MONEY_ONLY = rx(r"理财|基金|存单|定期|存款|国债|债券")
_COVER_RX = rx(_COVER)
# Turns that serve the opening without yet answering it: checking who is calling
# (核实一下身份 / 身份证后四位) and asking what the money is for (这笔钱多久之后要用). The
# customer's need is still on the table, so the agent's three turns to answer it start after.
_PROCEDURE = rx(r"核实|核对|身份证|后四位|后六位|卡号|资金账号|手机号|验证码|本人吗|姓名")
_PROBE = rx(r"用途|多久[^，,。！？!? ]{0,6}用|近期[^，,。！？!? ]{0,4}用|(?:打算|准备)[^，,。！？!? ]{0,8}(?:用|放)"
            r"|要用吗|什么考虑|什么打算|用钱|动用")


def counts_toward_window(pho: str) -> bool:
    """Whether an agent turn that took nothing uses up one of the opening's reply turns."""
    return not (_PROCEDURE.search(pho) or _PROBE.search(pho))


def agent_take(norm: str, pho: str, kind: str) -> tuple[str, str] | None:
    """(cue, "offer" | "meeting") when this agent turn proposes something relevant to ``kind``."""
    relevant = RELEVANT[kind]
    for m in _OFFER.finditer(pho):
        s, e = m.span()
        if is_negated(norm, s, e, window=4) or _NOT_OFFERED.search(pho, e, e + 6):
            continue
        if _DONE_BEFORE.search(norm, 0, s) or (norm[s] == "有" and _YOURS_BEFORE.search(norm, 0, s)):
            continue
        if relevant.search(pho[max(0, s - 10) : min(len(pho), e + 16)]):
            return norm[s:e], "offer"
    for m in _MEETING.finditer(pho):
        if is_negated(norm, m.start(), m.end(), window=4):
            continue
        near = pho[max(0, m.start() - 16) : m.end() + 16]
        if kind == "protection_need" and _MONEY_ONLY.search(near) and not _COVER_RX.search(near):
            continue
        return norm[m.start() : m.end()], "meeting"
    # A product put forward by its terms (我们这边现在有三年期的大额存单，二十万起存，年利率两块一五):
    # quoting what a product of ours pays or costs offers it, however the offer is worded;
    # terms of what the customer already holds (您这笔定期到期利率是三点一五) offer nothing.
    # Unless the agent then turns to a product of ours (您这笔钱近期要用吗？…我们现在三年期大额存单
    # …二十万起存); the terms themselves (业绩比较基准) do not make the turn about money.
    held = [m.end() for m in _HOLDING.finditer(pho)]
    for terms in _TERMS.finditer(pho):
        rest = pho[: terms.start()] + " " * (terms.end() - terms.start()) + pho[terms.end() :]
        if not relevant.search(rest):
            continue
        ours = [m.start() for m in _OURS.finditer(pho, 0, terms.start())]
        if not held or (max(held) <= terms.start() and ours and max(ours) >= max(held)):
            return norm[terms.start() : terms.end()], "offer"
    return None

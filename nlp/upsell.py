"""Upsell openings (服务营销): customer turns that open a sales opportunity, and
whether the agent took them (开口).

Pure: a transcript in, frozen ``Opening`` values out. Detection reads customer
turns only (an agent talking about 教育金 is selling, not hearing a need); the
"taken" check reads the next few agent turns. Cue patterns are matched on a
phonetic string (toneless pinyin, zh/z ch/c sh/s and -ng/-n merged), so 到其 /
倒期 / 养劳 / 鸡金 still meet 到期 / 养老 / 基金; the exclusions that make a
cue irrelevant (证件到期, 保险起见, 没有闲钱) are checked on the same strings.

Opening type ids are fixed (they are keys in stored results and reports):
``maturity``, ``idle_funds``, ``education``, ``retirement``,
``yield_dissatisfaction``, ``large_inflow``, ``protection_need``.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from pypinyin.pinyin_dict import pinyin_dict

from callsight.domain import Transcript
from nlp.entities import Entity, cn_number, find_entities
from nlp.text import fix_asr_terms, is_negated, normalize, strip_fillers

__all__ = ["OPENING_LABELS", "OPENING_TYPES", "AgentTake", "Opening", "detect_openings", "opening_cues"]

OPENING_LABELS: dict[str, str] = {
    "maturity": "产品/存款到期", "idle_funds": "闲置资金", "education": "子女教育", "retirement": "养老规划",
    "yield_dissatisfaction": "收益不满", "large_inflow": "大额资金流入", "protection_need": "保障需求",
}
OPENING_TYPES: tuple[str, ...] = tuple(OPENING_LABELS)
# How many agent turns after the customer's words may take the opening.
TAKE_WINDOW = 3
LARGE_INFLOW_MIN = 100_000.0

# --------------------------------------------------------------------------- phonetic strings

_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")
_READINGS = {"行": "hang", "重": "zhong", "长": "chang", "还": "hai"}
_codes: dict[str, str] = {}
_codes_lock = threading.Lock()


@lru_cache(maxsize=32768)
def _pho_char(ch: str) -> str:
    if not "\u4e00" <= ch <= "\u9fff":
        return ch
    syl = _READINGS.get(ch)
    if syl is None:
        reading = pinyin_dict.get(ord(ch))
        if reading is None:
            return ch
        syl = reading.split(",", 1)[0].translate(_TONES)
    for hard in ("zh", "ch", "sh"):  # the usual ASR / southern-accent confusions
        if syl.startswith(hard):
            syl = syl[0] + syl[2:]
    if syl.endswith("ng"):
        syl = syl[:-1]
    with _codes_lock:
        return _codes.setdefault(syl, chr(0xF0000 + len(_codes)))


def _pho(text: str) -> str:
    return "".join(_pho_char(c) for c in text)


def _rx(pattern: str) -> re.Pattern[str]:
    """A regex written in Chinese, compiled to run over phonetic strings (same offsets)."""
    return re.compile(_pho(pattern))


# --------------------------------------------------------------------------- cue tables

@dataclass(frozen=True, slots=True)
class _Cue:
    rx: re.Pattern[str]
    negatable: bool = True  # skip the hit when a negator precedes it (没有闲钱)
    context: re.Pattern[str] | None = None  # must also occur in the turn


_PRODUCT_WORDS = r"理财|存单|定期|基金|国债|存款|产品|保险|年金|那笔|这笔|钱|资金|结构性|封闭期|信托|债券"
_IRRELEVANT_MATURITY = re.compile(
    r"身份证|证件|银行卡|信用卡|借记卡|社保卡|卡片|会员|合同|驾照|驾驶证|护照|签证|房贷|贷款|借款|租|优惠券|券|积分|密码"
    r"|u盾|手机号|套餐|保修|质保|执照|户口|房本|体检|年卡|网盘|域名|卡")
_PRODUCT_OBJ = re.compile(_PRODUCT_WORDS)

_CUES: dict[str, tuple[_Cue, ...]] = {
    "maturity": (_Cue(_rx(r"到期|期满|满期|到日子了|要到日子|期限到了|到点了|封闭期.{0,3}?(?:结束|满了|到了|过了)")),),
    "idle_funds": (
        _Cue(_rx(r"闲钱|闲置|闲散|闲着|放着没[动用]|放着也是放着|一直没动|没怎么动|躺在(?:卡|账户|活期)|放在活期"
                 r"|放活期|存活期|活期里(?:有|放|还有|存|躺)|用不上的钱|暂时不用的钱|余钱|放哪都没想好"
                 r"|不知道(?:放哪|放在哪|怎么打理|买什么|干嘛|怎么处理|怎么安排|怎么弄|投什么|放什么)"
                 r"|没想好(?:怎么|买什么|放哪)|手(?:里|上|头)(?:有|还有|攒了|存了)(?:点|些|笔|一笔|一点|一些)")),
        # Weaker words (先不用, 空着, 打理一下) count only next to money.
        _Cue(_rx(r"积蓄|空着|闲放|睡(?:了|在)|躺着|搁(?:着|在)|没(?:啥|什么)用处|怪可惜|不晓得怎么|打理"
                 r"|(?:暂时|先|半年内?|一年内?|最近|近期|短期内?)(?:都|也)?(?:不用|用不着|用不上|用不到|不动)"),
             context=_rx(r"钱|万|资金|存款|积蓄|余钱|活期|存的|块")),
    ),
    "education": (
        _Cue(_rx(r"(?:孩子|小孩|儿子|女儿|闺女|娃|宝宝|孙子|孙女|外孙|小朋友).{0,10}?(?:上学|读书|念书|上大学|读大学"
                 r"|考大学|出国|留学|学费|教育|考研|上小学|上初中|上高中|读研|补课|兴趣班|择校|学区|上幼儿园)")),
        _Cue(_rx(r"教育金|教育基金|教育储蓄|学费|留学的?费用|上大学的钱|读书的钱|念书的钱|教育的钱|教育开支")),
    ),
    "retirement": (
        _Cue(_rx(r"养老|退休|老了以后|以后老了|等我老了|老了的时候|晚年|退了休|防老|老年生活|老来")),
    ),
    "yield_dissatisfaction": (
        _Cue(_rx(r"(?:收益|利息|利率|回报|年化|收益率|息|涨幅)(?:率)?.{0,5}?(?:太低|很低|低了|偏低|这么低|那么低|好低"
                 r"|真低|太少|很少|少了|这么少|那么少|好少|没多少|不高|不太高|不怎么样|一般般|太差|很差|不理想|不行|降了|不太满意"
                 r"|下降|又降|跌了|越来越少|越来越低|缩水|不满意|不够|才|低得|少得|一点点|没啥|没什么)"),
             negatable=False),
        _Cue(_rx(r"没(?:多少|啥|什么)(?:利息|收益|回报)|跑不赢|还不如|(?:挺|很|太|有点|真|好|非常)失望|才赚|(?:比|不如)(?:别家|人家|别的银行).{0,3}?(?:低|少)|不划算|没赚(?:到)?钱|一分钱没赚|不赚钱|没怎么赚|赚不到|亏了|亏钱|亏损|亏本"
                 r"|赔了|被套|套牢|绿了|不满意(?:这个)?收益|对收益.{0,3}失望"), negatable=False),
    ),
    "large_inflow": (
        _Cue(_rx(r"年终奖|奖金|卖房|房子卖了|把房卖了|房款|拆迁|补偿款|赔偿款|遗产|公司分红|年底分红|股东分红|股票卖了"
                 r"|工程款|回款|一大笔钱|一笔大钱|(?:有|进来|到了|到账|下来|收到|拿到|回来)了?一大笔"
                 r"|(?:进来|到账|下来|收到|拿到|回来)了?一笔")),
    ),
    "protection_need": (
        _Cue(_rx(r"重疾|大病|重病|癌症|意外险|意外保障|出(?:个|了)?意外|发生意外|有个意外|医疗险|寿险|百万医疗|顶梁柱"
                 r"|社保不够|(?:怕|担心|万一|以后|将来|要是|老了).{0,6}?(?:生病|住院|看病|出事|意外|三长两短)"), False),
        _Cue(_rx(r"(?:买|配|配置|需要|想要|想买|想了解|有没有|缺|加|添).{0,4}?(?:保险|保障)"
                 r"|(?:保险|保障).{0,4}?(?:不够|太少|没有|没买|不全|空白)|没(?:什么|啥|有)?保障"
                 r"|(?:医保|社保|保险|保障).{0,3}?不(?:太|大)?够"
                 r"|(?:家庭|家人|孩子|老人|自己|健康|身体|医疗|生活|全家)的?保障"), negatable=False),
    ),
}

# Clause-level exclusions: the cue is there but means something else.
_EXCLUDE: dict[str, re.Pattern[str]] = {
    "idle_funds": _rx(r"哪有闲|哪来的?闲|不是闲|没什么闲|没啥闲|闲聊|闲着没事|在家闲着|人闲着"),
    "education": _rx(r"毕业了|工作了|上班了|交过了|交完了|限额|缴费失败|转不过去|转账|扣款失败|不用(?:操心|考虑|准备)"
                     r"|已经(?:准备|存)好了"),
    "retirement": _rx(r"养老院|(?:养老金|退休金|退休工资).{0,4}?(?:到账|没到|发了|到了没|查|卡|怎么领|取)|退休证"
                      r"|不考虑养老|养老的事不用|还早着呢|不急"),
    "yield_dissatisfaction": _rx(r"如果|假如|万一|要是|是不是|会不会|有没有|怕|担心|不会亏|没亏|没有亏|不亏|不怕"
                                 r"|挺满意|很满意|还可以|还行|不错|挺好|没关系|无所谓|不在乎|不看重"),
    "large_inflow": _rx(r"转给|转出|转走|汇给|取出|还款|还贷|贷款|借款|借的|网贷|付给|交给|没发|没有发|还没发|取消|泡汤"
                        r"|没有年终奖|不发|扣了"),
    "protection_need": _rx(r"保险起见|存款保险|保险柜|保险箱|退保|理赔|不需要|不买|不要|不想|不用|够了|买够了|已经买了"
                           r"|买过了|不考虑|本金.{0,3}保障|收益.{0,3}保障|有保障吗|保障本金|到期"),
}
_AMOUNT_INFLOW = _rx(r"转进来|转入|打进来|进账|到账|打过来|汇过来|收到|转过来|发下来|拿到|回笼|入账|进来")
_MATURITY_NEG = _rx(r"(?:没|未|不)到期|没有到期|还早|离到期")
_YES_NO = re.compile(r"是不是|是否|有没有|会不会|能不能|要不要")
_AMOUNT_WORD = re.compile(r"(\d+(?:\.\d+)?|[一二两三四五六七八九十百千几]+)\s*(?:万|w|W)")
_NEGATORS_BEFORE = re.compile(r"(?:没有|没|不是|并不|不|无|哪有|哪来)(?:什么|啥|一点|多少)?$")

# --------------------------------------------------------------------------- agent takes

_OFFER = _rx(r"推荐|建议您|建议你|可以考虑|考虑一下|给您介绍|跟您介绍|介绍一下|了解一下|可以了解|有一款|有款|有个产品"
             r"|有一个产品|有几款|适合您|适合你|不妨|可以配置|配置一些|配置一点|做个规划|做一个规划|规划一下|可以买|可以放"
             r"|放到|转到|转成|换成|续存|续作|转存|续买|续投|接着买|要不要|帮您看看|帮您挑|帮您选|帮您配|给您算|帮您算"
             r"|做个配置|做一下配置|安排一下|要不您|您看看|看看我们|新出的|新发的|介绍下|配置些|配些|配个|配一份|买一份|买份|给您做|帮您做|为您做|做个|做一个|整体配置|资产配置|出个方案|出一个方案")
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


@dataclass(frozen=True, slots=True)
class AgentTake:
    """The agent turn that took an opening, and the words that did."""

    segment: int
    text: str
    cue: str
    kind: str  # "offer" (a product proposed) or "meeting" (meeting / material proposed)
    products: tuple[str, ...] = ()  # product words in the agent's turn (大额存单, 定投 ...)

    def to_json(self) -> dict[str, object]:
        return {"segment": self.segment, "text": self.text, "cue": self.cue, "kind": self.kind,
                "products": list(self.products)}


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

    def to_json(self) -> dict[str, object]:
        return {"type": self.type, "segment": self.segment, "taken": self.taken,
                "evidence": {"customer": {"segment": self.segment, "text": self.text, "cue": self.cue},
                             "entities": [e.to_json(i) for i, e in self.entities],
                             "agent": self.take.to_json() if self.take else None}}


def _prepare(text: str) -> tuple[str, str]:
    norm = fix_asr_terms(normalize(strip_fillers(text)))
    return norm, _pho(norm)


def _clause(norm: str, s: int, e: int, left: int = 12, right: int = 8) -> tuple[int, int]:
    lo = s
    while lo > 0 and s - lo < left and norm[lo - 1] not in "，。！？；,.!?;":
        lo -= 1
    hi = e
    while hi < len(norm) and hi - e < right and norm[hi] not in "，。！？；,.!?;":
        hi += 1
    return lo, hi


def _maturity_ok(norm: str, pho: str, s: int, e: int) -> bool:
    lo, _ = _clause(norm, s, e, left=14)
    if _MATURITY_NEG.search(pho[max(0, s - 4) : e + 2]):
        return False
    # The nearest thing named before 到期 decides: 理财到期 yes, 身份证到期 no.
    left = norm[lo:s]
    bad = [m.end() for m in _IRRELEVANT_MATURITY.finditer(left)]
    good = [m.end() for m in _PRODUCT_OBJ.finditer(left)]
    return not bad or (bool(good) and max(good) > max(bad))


def _big_amount(norm: str) -> bool:
    """An amount of at least LARGE_INFLOW_MIN; 十几万 / 几十万 count at their floor."""
    for m in _AMOUNT_WORD.finditer(norm):
        n = cn_number(m.group(1).replace("几", "一"))
        if n is not None and n * 1e4 >= LARGE_INFLOW_MIN:
            return True
    return False


def _cue_hit(kind: str, norm: str, pho: str) -> str | None:
    # 是不是快到期了 asks about the term, it does not negate it.
    neg = _YES_NO.sub(lambda m: "_" * len(m.group()), norm)
    for cue in _CUES[kind]:
        if cue.context is not None and not cue.context.search(pho):
            continue
        for m in cue.rx.finditer(pho):
            s, e = m.span()
            lo, hi = _clause(norm, s, e)
            exclude = _EXCLUDE.get(kind)
            if exclude is not None and exclude.search(pho[lo:hi]):
                continue
            if cue.negatable and (is_negated(neg, s, e, window=4) or _NEGATORS_BEFORE.search(neg[max(lo, s - 4) : s])):
                continue
            if kind == "large_inflow" and "买" in norm[s:e]:  # 买房 and 卖房 read alike
                continue
            if kind == "maturity" and not _maturity_ok(norm, pho, s, e):
                continue
            return norm[s:e]
    if kind == "large_inflow":  # a big amount coming in, without a named source
        inflow = _AMOUNT_INFLOW.search(pho)
        if inflow and _big_amount(norm) and not _EXCLUDE["large_inflow"].search(pho):
            return norm[inflow.start() : inflow.end()]
    return None


def opening_cues(text: str) -> dict[str, str]:
    """Opening types a customer utterance raises, with the words that raise them."""
    norm, pho = _prepare(text)
    out: dict[str, str] = {}
    for kind in OPENING_TYPES:
        cue = _cue_hit(kind, norm, pho)
        if cue is not None:
            out[kind] = cue
    return out


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


def _entities(transcript: Transcript, seg: int, until: int) -> tuple[tuple[int, Entity], ...]:
    """Amount, date and product of the opening; a date or amount the customer gives in
    a following turn (坐席问“哪天到期？”) counts too."""
    found: list[tuple[int, Entity]] = []
    for i in range(seg, until + 1):
        s = transcript.segments[i]
        if s.speaker != "customer":
            continue
        for e in find_entities(s.text):
            if e.type in ("amount", "date", "product") and (i == seg or not any(x.type == e.type for _, x in found)):
                found.append((i, e))
    return tuple(found)


def detect_openings(transcript: Transcript) -> tuple[Opening, ...]:
    """Every opening in the call, in order; one per type while the agent's reply
    window of the first mention is open (a customer repeating it is the same opening)."""
    segs = transcript.segments
    raised: dict[int, dict[str, str]] = {}
    for i, seg in enumerate(segs):
        if seg.speaker == "customer":
            cues = opening_cues(seg.text)
            if cues:
                raised[i] = cues
    out: list[Opening] = []
    open_until: dict[str, int] = {}
    prepared: dict[int, tuple[str, str]] = {}  # agent turns, normalised once per call
    for i, cues in raised.items():
        for kind, cue in cues.items():
            if open_until.get(kind, -1) >= i:
                continue
            window = _window(transcript, i, kind, raised)
            take = None
            for j in window:
                if j not in prepared:
                    prepared[j] = _prepare(segs[j].text)
                hit = _agent_take(*prepared[j], kind)
                if hit is not None:
                    named = (fix_asr_terms(e.text) for e in find_entities(segs[j].text) if e.type == "product")
                    take = AgentTake(j, segs[j].text, hit[0], hit[1], tuple(dict.fromkeys(named)))
                    break
            last = window[-1] if window else len(segs) - 1
            open_until[kind] = last
            nxt = next((k for k in range(i + 1, last + 1) if segs[k].speaker == "customer"), i)
            out.append(Opening(kind, i, segs[i].text, cue, _entities(transcript, i, nxt), take))
    return tuple(out)

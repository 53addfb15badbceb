"""Complaint risk of customer turns.

Complaint risk is rule-based because the decision is a business rule (issue 2):
``high`` when the customer threatens the regulator, the media, a lawyer or to
leave with all their money; ``low`` when they are dissatisfied (or ask to file a
complaint with the bank) without such a threat: a broken promise, waiting, nobody
told them, money missing, a yield complaint, a polite 反映一下; ``none`` otherwise.
A negated mention (我不是要投诉) does not count and neither does a question about
one (你们被投诉过吗), a reported one (听说有人打了12378), an abandoned one (本来想…
算了) or a joke (开玩笑的); a conditional threat (再不处理我就打12378) does: it is a
threat. A denied threat that still complains (我可以不投诉，但…) is ``low``.

Filing a complaint with the bank itself (我要投诉她, 再打我就投诉了, 我要找你们行长)
is its own kind of evidence, ``filed``: a bank counts every complaint, so at call
level it is ``high`` like a threat (issue 12), while the per-turn taxonomy of the
independent turn set keeps it ``low`` (nlp.analyze.turn_risk). Asking how to
complain about a third party (那个商家怎么投诉) or withdrawing a complaint (撤销投诉)
files nothing. The filing words are matched by sound as well (头诉, 行涨), since
Whisper spells them by ear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.result import RiskEvidenceRecord
from nlp.complaint_frames import (
    CENTRAL_BANK,
    ESCALATE,
    PERSIST,
    PRAISE,
    as_standard_negators,
    closure_counts,
    hedged,
    is_mention,
    legal_elsewhere,
)
from nlp.complaint_sound import heard_as_said, hotlines
from nlp.phonetic import pho, rx
from nlp.text import is_conditional, is_negated, is_question, tokenizer
from nlp.view import SegmentText, as_text

if TYPE_CHECKING:
    from nlp.sentiment import Sentiment

__all__ = ["RiskEvidence", "complaint_evidence"]


_LEGAL = "威胁采取法律行动"
_REGULATOR = "威胁向监管部门投诉"
_LEAVE = "威胁销户/转走全部资金"
# (pattern, reason, is_closure): closing an account or moving all money is a threat only
# said in anger or protest (complaint_frames.closure_counts); 我想销户 is an account request.
_THREATS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(r"(?<!\d)(?:12378|12363|12315|12345)(?!\d)|(?<![一二三四五六七八九零幺])[幺一]二三七八(?![一二三四五六七八九零幺两\d])|十二三七八"
                r"|银保监|保监会|银监会|证监会|证监局|金融监管|监管局|监管部门|监管机构|找监管|去监管|"
                + CENTRAL_BANK
                + r"|消协|消费者协会|市长热线|信访|金融办|银监|保监|金管局|消保|消费者权益|银行业协会|黑猫投诉"
                # The regulators' full names (国家金融监督管理总局, 银行保险监督管理委员会), the
                # local finance bureau, the central bank's other name, petitioning, the city hotlines.
                r"|监督管理(?:总局|局|委员会|部门)|金融局|央行|(?:去|要|就|得|只能|只好)上访|(?:市民|政务|便民)热线"),
     _REGULATOR, False),
    (re.compile(r"媒体|[曝暴爆]光|曝(?=你们|您们|恁|侬拉|他们|她|他)|记者|电视台|报社|报纸|登报|网上发|发微博|微博上|艾特你们|官微|发帖|发到网上|抖音|小红书|上新闻|舆论"
                r"|拉横幅|快手|朋友圈|(?:发|挂|放|传|捅)(?:到|在|上)?网上|网上曝光"
                # 让大家都看看 / 让大伙儿评评理: shaming in public, wherever it is posted
                r"|让(?:大家|大伙儿?|所有人|全国人民|街坊)都?(?:来)?(?:看看|瞅瞅|瞧瞧|听听|评评理|评理|知道)"),
     "威胁向媒体曝光", False),
    (re.compile(r"律师|起诉|法院|打官司|告(?:你们|恁|侬拉|你哋)|报警|仲裁|法律途径|走法律(?:程序|途径)?|法律程序|司法(?:程序|途径)"),
     _LEGAL, False),
    (re.compile(r"再也不(?:在你们|来你们|用你们|跟你们|买你们)|不在你们(?:这|那|家|银行)(?:里|儿|边)?(?:存|办|买|放|留)"
                r"|换(?:一)?家银行|以后(?:都|再|也)?不(?:来|在)你们|不(?:想|愿意?)?再?跟你们打交道"
                # 一分钱都不放你们这里 (as 不在你们这儿放了): keeping no money with the bank at all.
                r"|一分(?:钱)?(?:都|也)不(?:放|存|留)(?:在)?(?:你们|您们|你哋|恁|侬拉)(?:这|那)"),
     _LEAVE, False),
    # 钱我全部转走 / 把户销了: the money word may stand a few characters from the verb.
    (re.compile(r"销户|注销(?:所有|全部)?账户|(?:钱|存款|资金|钞票)[^，。！？,!? ]{0,3}?(?:全|统统)(?:部)?"
                r"(?:转走|取走|取出来|转出去|撤走|提走|拿走)"
                r"|把(?:户|户头|账户)给?(?:销了|销掉|注销|关了)"
                # 卡 三张 全部销掉 / 卡也全部销掉 / 三张全销: the cards counted, all of them closed.
                r"|(?:卡|账户|户头)[^，。！？,!?]{0,4}?(?:都|全|全部|统统) ?(?:销|注销)"
                r"|[两三四五六七八九几]张(?:卡)?(?:都|全|全部|统统)(?:销|注销)|(?:所有|全部)的?卡(?:都|全)?(?:注销|销)"
                r"|全部转到别的银行|都转走|(?:所有|全部)的?(?:钱|存款|资金)(?:都|全)?(?:从你们这)?(?:转走|取走|撤走|转到)"
                # 把所有账户都销掉 / 钱全部转到招行去: closing every account, or moving all the
                # money to another bank, in any word order.
                r"|(?:所有|全部)的?(?:账户|户头|户|卡)(?:都|全|全部)?(?:销掉|销了|注销|关掉|关了)"
                # 钱我也全转到别的银行: the subject or an adverb may stand between the money and 全.
                r"|(?:钱|存款|资金)[^，。！？,!? ]{0,3}?(?:都|全|统统)(?:部)?转(?:到|去)"
                r"[^，。！？,!?]{0,4}(?:银行|行|别家|别处)"),
     _LEAVE, True),
)
# The same threats heard by sound (营保监 / 银宝监会, 金荣监管, 绿师, 气诉): Whisper
# spells an unfamiliar name by ear. Only long or distinctive names: short ones collide
# with everyday words by sound (曝光 = 保管, 仲裁 = 总裁, 媒体 = 没提, 记者 = 几折).
_THREATS_BY_SOUND: tuple[tuple[re.Pattern[str], str], ...] = (
    (rx(r"银保监|保监会|银监会|证监会|金融监管|监管局|监管部门|人民银行|消费者协会|市长热线"), _REGULATOR),
    (rx(r"电视台|发微博|抖音|小红书|上新闻|拉横幅"), "威胁向媒体曝光"),
    (rx(r"律师|起诉|法院|打官司"), _LEGAL),
)
# A threat word that is no threat: told about someone else (听说有人打了12378, 新闻),
# given up (本来想…算了, 我老公要去告我拦着), joked (开玩笑的), counterfactual
# (要是想投诉早就打了) or a denial of being that kind of customer (又不是动不动就…的人).
# 有人 but not 所有人 (当着所有人的面 is the speaker's own audience).
_REPORTED = re.compile(r"听说|新闻|报道|据说|(?<![所没])有人|别人|人家"
                       r"|看到有|老太太|隔壁|邻居|朋友|同事|亲戚|他们|说他|说她")
_ABANDONED = re.compile(r"本来.{0,2}想|原本.{0,2}想|差点|想过|拦着|没让|后来想想|算了|早就")
_ONLY_IF = re.compile(r"才(?:会|要|去|能)[^，。！？,!?；;\s]{0,4}$")
_COUNTERFACTUAL = re.compile(r"早就|早(?=[投打告去找])")
_ABANDONED_AFTER = re.compile(r"算了|作罢|没去|不找了|不去了|没打")
_PAUSE = re.compile(r" ")  # unpunctuated ASR text: a pause; written text carries its own ？
_CLAUSE_END = re.compile(r"[，,；;]")
_VOW = re.compile(r"我(?:就|要|还要|也要|必须|肯定|一定|直接|马上|现在就|明天就|已经)[^，。！？,!?；;]{0,4}$")
_INSIST = re.compile(r"(?:不会|不能|不可能|没那么|哪能|没这么)[^，。！？,!?]{0,5}$")
_JOKE = re.compile(r"开玩笑|开个玩笑|逗你|哈哈|说着玩")
_NOT_THAT_KIND = re.compile(r"(?:又|也|并)?不是(?:那种|那样的?)|不至于|不会去")
# Dissatisfaction with the bank said without a threat (issue 2's ``low``): a broken
# promise, waiting, nobody told me, money missing or wrong, a yield complaint, a
# rhetorical reproach, a complaint made politely (反映一下, 提个意见).
_DISSATISFIED = re.compile(
    r"说好的|(?:当初|当时|之前|经理)(?:说|讲|承诺)的?.{0,16}(?:现在|结果|才|却|到手|实际)|不是说.{0,12}吗|宣传的"
    r"|到手.{0,4}(?:才|就|都不到)"
    r"|(?:怎么|咋|为啥|为什么)?还没(?:到账|到|给|发|处理|办|回|退)|一直没(?:到|人|回|处理|办|给)|到现在(?:都|也|还)?没"
    r"|拖了|拖着|迟迟|等了(?:半天|好久|很久|快|[一二两三四五六七八九十几半]+个?多?(?:小时|钟头|分钟|天|周|礼拜|月))"
    r"|也不(?:通知|提醒|告诉|说)|没人(?:通知|告诉|提醒|管|理)|不(?:通知|提醒)一声"
    r"|算错|多扣|乱扣|错扣|少找|少了[一二两三四五六七八九十几百千万\d]|无缘无故|莫名其妙"
    r"|(?:收益|利息|年化)(?:才|就)|(?:太|这么|那么)(?:低|差|少|慢|贵|高|深|复杂)|差这么多|没达到|达不到|还没通胀|越存越少"
    r"|一直往下掉|又降了|又跌了|还亏着"
    r"|凭什么|什么道理|合理吗|故意的吧|骗人|不地道|有完没完|服了|真是的|反省|说法|道歉|不像话|过分|坑"
    r"|非(?:让|要)我|不让我|还得提前|藏得|找了半天|卡在|提交不了|老是坏|又坏了"
    r"|排(?:队|了)要?(?:半天|好久|[一二两三四五六七八九十几半]+个?多?(?:小时|钟头))"
    r"|替我做|没说清楚|根本没说|没告诉我|给我卖了|推的产品|推荐的.{0,4}亏"
    r"|反映一下|反映一个|反映个|提个意见|提意见|希望(?:你们)?改进|结果不对|不对劲|差评|不满"
    # Exasperation: 到底行不行 / 到底怎么回事 (你们系统到底行不行). Not every 到底 question:
    # 到底是不是保本的 asks.
    r"|到底(?:行不行|怎么回事|咋回事)")
_CONCESSION = re.compile(r"(?:投诉|告你们|告|12378|监管|曝光|律师|起诉)[^。！？!?]{0,12}?[，, ]*(?:但|可|可是|不过)")
_OTHER_BANK = re.compile(r"别家|别的银行|别的行|其他银行|人家银行|外行")
# Filing with the bank: 投诉 said by the customer, or escalating to someone above the
# agent. Matched on the phonetic string (same offsets) so 头诉 / 行涨 count.
# 行涨 / 行掌: 长 reads chang in the phonetic string, but in 行长 it is zhang.
_FILING = (r"投诉|(?:找|叫|让)(?:你们|恁|侬拉|你哋)?(?:的)?(?:领导|行[长涨]|总经理|主管|负责人|上级|总行)"
           r"|(?:反映|告)到(?:你们)?(?:领导|行[长涨]|总经理|总行|上级)")
_FILE = rx(_FILING)
_FILE_LITERAL = re.compile(_FILING)
_PAST = re.compile(r"上礼拜|上周|上星期|上次|上回|之前|前几天|前天|昨天|上个月|前段时间")
_DROPPED = re.compile(r"不(?:投诉|举报)了|撤(?:销|回|掉)|不再(?:投诉|举报)")
_HOW_TO = re.compile(r"(?:怎么|如何|去哪|哪里|找谁|在哪)(?:儿|里)?(?:去|能|可以)?(?:投诉|举报)")
_DEMAND = re.compile(r"投诉热线|投诉部门|要个说法|给我个说法|讨个说法|总行|上级")
# 投诉 aimed at someone who is not the bank (那个商家怎么投诉, 投诉快递): the customer
# asks for help with a third party. Who the bank is: 你们, its staff, the agent.
_BANK_PARTY = re.compile(r"^(?:一下|一个|了|过)?(?:你们|您们|你哋|恁|侬拉|你|您|她|他|银行|贵行"
                         r"|这个?(?:客服|经理|柜员|员工|工作人员)|那个?(?:客服|经理|柜员|员工|工作人员|理财经理|客户经理))")
# 公司 is a third party unless it is the institution itself (温州分公司, 你们公司, 保险公司).
_THIRD_PARTY = re.compile(r"商家|商户|平台|快递|骗子|诈骗|网店|淘宝|物业|运营商|(?<![分总们贵险券金财])公司"
                          r"|店家|卖家|中介|医院|学校|房东")
_WITHDRAWN = re.compile(r"撤(?:回|销|掉)?(?:这个|那个|我的)?$|不再$")
# …or repeating back a number the agent gave (一二三一五是吧): confirming, not threatening.
_ASK_HOW = re.compile(r"怎么|如何|哪个电话|电话是多少|是多少|是什么|(?:要|需要|得)(?:什么|哪些)"
                      r"|[，, ]?(?:是吧|对吧|是吗|对吗)")


@dataclass(frozen=True, slots=True)
class RiskEvidence:
    segment: int
    text: str
    reason: str
    threat: bool  # a threat to go outside the bank (high in a turn and in a call)
    filed: bool = False  # a complaint filed with the bank itself (high in a call, low in a turn)

    def record(self) -> RiskEvidenceRecord:
        return RiskEvidenceRecord(self.segment, self.text, self.reason)


# 别 inside these words negates nothing (态度特别差我要投诉她), and neither does a 不
# right before 我/俺: in unpunctuated ASR text it ends the previous question (能退不我
# 不是要投诉). Masked before the negation check only, so 别人 still marks reported speech.
# 信不信 / 行不行 asks (信不信我上你们总行闹去): an A-not-A question negates nothing.
_A_NOT_A = re.compile(r"(.)[不没]\1")
_BIE_WORDS = re.compile(r"特别|分别|区别|级别|类别|性别|识别|个别|告别|不(?=[我俺])")


def _counts(text: str, start: int, end: int) -> bool:
    """A mention that asserts something: not negated, and not a mere question
    unless it is a conditional threat (再不处理我就打12378？)."""
    # A space in ASR text is a pause: 不用不用 我不投诉 is two clauses, and 不用 negates nothing
    # here. Dialect negators (唔使投诉, 我弗投诉, 我无欲投诉) read as 不.
    masked = as_standard_negators(_A_NOT_A.sub("___", _BIE_WORDS.sub(lambda m: "_" * len(m.group()), text)))
    if is_negated(masked.replace(" ", "，"), start, end):
        return False
    if is_conditional(text, start, end):
        return True
    # …找你们行长 当面问他 你们就这么卖的吗 (ASR, no punctuation): the 吗 asks after a pause,
    # in a later clause, not this one. So does a later clause after a vow in this one
    # (我还要上金融监管局举报你们，骚扰家属犯法你知道不？): a question does not take back 我要.
    cut = _PAUSE.search(text, end)
    comma = _CLAUSE_END.search(text, end) if _VOW.search(text, max(0, start - 8), start) else None
    if comma is not None and (cut is None or comma.start() < cut.start()):
        cut = comma
    return not is_question(text[: cut.start()] if cut else text, start, end)


def _sentence_at(text: str, start: int, end: int) -> str:
    s = start
    while s > 0 and text[s - 1] not in "。！？!?；;\n":
        s -= 1
    e = end
    while e < len(text) and text[e] not in "。！？!?；;\n":
        e += 1
    sent = text[s : e + 1].strip()
    return sent if len(sent) <= 80 else text[max(s, start - 30) : min(e + 1, end + 30)]


def _given_up(pattern: re.Pattern[str], text: str) -> bool:
    """A giving-up word that is not itself denied: 算了 gives up, 不会就这么算了 insists."""
    return any(not _INSIST.search(text, max(0, m.start() - 8), m.start()) for m in pattern.finditer(text))


def _threat_counts(t: str, start: int, end: int) -> bool:
    """A threat word that threatens: asserted, not reported, abandoned or denied."""
    if not _counts(t, start, end):
        return False
    ss = start
    while ss > 0 and t[ss - 1] not in "。！？!?\n" and start - ss < 20:
        ss -= 1
    left = t[ss:start]
    # A conditional threat (你们要是不解决，这事就上报纸) is the speaker's own, whoever
    # an earlier clause names (我家里有人在报社); someone in the threat's own clause is
    # its subject (要是搞虚假宣传肯定有人去曝光的): reported.
    own_clause = re.split(r"[，,；;：:]", left)[-1]
    reported = _REPORTED.search(own_clause if is_conditional(t, start, end) else left)
    # 有问题我才会打12378: only if, which says it is not so now.
    if reported or _given_up(_ABANDONED, left) or _NOT_THAT_KIND.search(left) or _ONLY_IF.search(own_clause):
        return False
    if _given_up(_ABANDONED_AFTER, t[end : end + 15]):
        return False  # 本来想找记者，后来想想算了
    if is_conditional(t, start, end) and _COUNTERFACTUAL.search(t, end, end + 10):
        return False  # 要是想投诉早就投诉了: what would have happened, not what will
    # 12378 怎么打 is asking, not threatening, unless a conditional frames it.
    return not (_ASK_HOW.match(t[end : end + 6]) and not is_conditional(t, start, end))


def _threat_at(t: str, p: str, start: int, end: int, reason: str, closure: bool, angry: bool) -> bool:
    """A threat word in its frame: a closure said in anger or protest, a name acted on (not
    人民银行降息了), law against the bank (not 起诉离婚), and asserted (_threat_counts)."""
    if (closure and not closure_counts(t, start, angry)) or (reason == _LEAVE and hedged(t, start)):
        return False
    if is_mention(t, p, start, end, angry) or (reason == _LEGAL and legal_elsewhere(t, start, end)):
        return False
    return _threat_counts(t, start, end)


def _exact_sound(span: str, word: str) -> bool:
    """The span reads exactly like ``word`` (toneless, unfolded): 头诉 / 投素 are 投诉, but
    投赎 (定投赎回, folded sh → s) is not."""
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(span, style=Style.NORMAL) == lazy_pinyin(word, style=Style.NORMAL)


def _whole_words(t: str, start: int, end: int) -> bool:
    """``t[start:end]`` begins and ends on word boundaries: a name heard by sound is a word of
    its own (绿师, 行涨), while 率是 of 利率是 and 韩长 of 韩长顺 are pieces of other words."""
    if t[start:end] == "" or not all("\u4e00" <= c <= "\u9fff" for c in t[start:end]):
        return True
    lo = start
    while lo > 0 and "\u4e00" <= t[lo - 1] <= "\u9fff":
        lo -= 1
    hi = end
    while hi < len(t) and "\u4e00" <= t[hi] <= "\u9fff":
        hi += 1
    cuts, pos = {0}, 0
    for w in tokenizer().lcut(t[lo:hi], HMM=False):
        pos += len(w)
        cuts.add(pos)
    return start - lo in cuts and end - lo in cuts


def _filing_counts(t: str, start: int, end: int, by_sound: bool = True) -> bool:
    """投诉 / 找行长 that files with the bank: asserted like a threat, not withdrawn
    (撤销投诉), not praise (写表扬信给你们行长), and not aimed at a third party (那个商家怎么
    投诉). ``by_sound``: the span was matched on the phonetic string."""
    if by_sound and end - start == 2 and not _exact_sound(t[start:end], "投诉"):
        return False
    if by_sound and not _FILE_LITERAL.fullmatch(t, start, end) and not _whole_words(t, start, end):
        return False
    if PRAISE.search(t, max(0, start - 12), end + 16):
        return False
    if not _threat_counts(t, start, end) or _WITHDRAWN.search(t[max(0, start - 4) : start]):
        return False
    sentence = _sentence_at(t, start, end)
    # A complaint made before (上礼拜打电话投诉过) or dropped in the same words (我不投诉了) is
    # told about, not made now; asking how to complain (这个饭店怎么投诉) files nothing.
    if _PAST.search(t[max(0, start - 12) : start]) or t[end : end + 1] == "过" or _DROPPED.search(sentence):
        return False
    # 中介收了钱人跑了 我该怎么投诉他: asking how, about a third party named in the sentence.
    if _HOW_TO.search(sentence) and (_THIRD_PARTY.search(sentence) or not _BANK_PARTY.match(t[end : end + 8])):
        return False
    return bool(_BANK_PARTY.match(t[end : end + 8])) or not _THIRD_PARTY.search(_sentence_at(t, start, end))


def _dissatisfied_at(t: str) -> re.Match[str] | None:
    for m in _DISSATISFIED.finditer(t):
        if is_negated(t, m.start(), m.end(), window=3):
            continue
        ss = max(0, m.start() - 8)
        if re.search(r"如果|假如|万一|会不会|怕|担心", t[ss : m.start()]):
            continue  # 会不会多扣 / 万一算错: a worry, not a grievance
        if _OTHER_BANK.search(t) and re.search(r"收益|利息|年化|低|差", m.group()):
            continue  # unhappy with another bank's yield: an opening, not a complaint here
        return m
    return None


def complaint_evidence(segment: int, text: str | SegmentText, sentiment: Sentiment | None = None) -> list[RiskEvidence]:
    """Threats and dissatisfaction in one customer turn, each with its sentence.

    ``low`` evidence: a complaint to the bank itself (我要投诉那个经理), a grievance
    said without a threat (说好的四个点到手才两个, 也不通知一声, 反映一下), a denied or
    conceded threat that still complains (我可以不投诉，但…), or strong negative tone."""
    seg = as_text(text)
    # Complaint words misheard (绿师, 气诉, 宗行) read back, same offsets (nlp.complaint_sound).
    text, t = seg.text, heard_as_said(seg.fixed)
    p = seg.fixed_phonetic if t == seg.fixed else pho(t)  # the phonetic string, same offsets as t
    out: list[RiskEvidence] = []
    seen: set[str] = set()
    angry = sentiment is not None and sentiment.label == "negative"
    joking = bool(_JOKE.search(t))
    for pattern, reason, closure in _THREATS:
        if joking:
            continue
        for m in pattern.finditer(t):
            if reason in seen or not _threat_at(t, p, m.start(), m.end(), reason, closure, angry):
                continue
            seen.add(reason)
            out.append(RiskEvidence(segment, _sentence_at(text, m.start(), m.end()), reason, True))
    if not joking:
        for sound, reason in _THREATS_BY_SOUND:
            for m in sound.finditer(p):
                if reason in seen or not (_whole_words(t, m.start(), m.end())
                                          and _threat_at(t, p, m.start(), m.end(), reason, False, angry)):
                    continue
                seen.add(reason)
                out.append(RiskEvidence(segment, _sentence_at(text, m.start(), m.end()), reason, True))
        # A hotline read out (幺二三七八, 1 2 3 7 8, 要二三七八) is the regulator too.
        for start, end in hotlines(t):
            if _REGULATOR not in seen and _threat_at(t, p, start, end, _REGULATOR, False, angry):
                seen.add(_REGULATOR)
                out.append(RiskEvidence(segment, _sentence_at(text, start, end), _REGULATOR, True))
    if out:
        return out
    if not joking:
        # 投诉 / 找行长 by sound, then the same filing worded without 投诉 (literal).
        hits = [(m, True) for m in _FILE.finditer(p)]
        hits += [(m, False) for pat in (ESCALATE, PERSIST) for m in pat.finditer(t)]
        for m, by_sound in hits:
            if _filing_counts(t, m.start(), m.end(), by_sound):
                return [RiskEvidence(segment, _sentence_at(text, m.start(), m.end()), "客户投诉/要求升级处理",
                                     False, filed=True)]
    for m in _DEMAND.finditer(t):
        if _counts(t, m.start(), m.end()):
            return [RiskEvidence(segment, _sentence_at(text, m.start(), m.end()), "要求投诉/升级处理", False)]
    c = _CONCESSION.search(t)
    if c is not None:
        return [RiskEvidence(segment, _sentence_at(text, c.start(), c.end()), "表达不满（未威胁投诉）", False)]
    d = _dissatisfied_at(t)
    if d is not None and not joking:
        return [RiskEvidence(segment, _sentence_at(text, d.start(), d.end()), "表达不满：" + d.group(), False)]
    if sentiment is not None and sentiment.label == "negative" and sentiment.score <= -2.0:
        return [RiskEvidence(segment, text.strip()[:80], "表达不满：" + "、".join(sentiment.cues[:3]), False)]
    return []

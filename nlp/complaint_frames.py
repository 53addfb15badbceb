"""Frames around a complaint word that tell a threat from a mention (used by nlp/complaint.py).

Measured on an adversarial set of customer turns (tests/nlp/data/complaint_adversarial.jsonl):
a name alone is no threat (人民银行降息了, 我儿子是记者, 抖音上看到, 我是律师), going to law
against someone else is none either (起诉离婚, 被骗了已经报警), and a bank counts
complaints worded without 投诉 (叫你们经理来, 上你们总行闹去, 这事没完, 卡统统销脱 弗存了).
Each frame is a general cue, not a phrasing: a verb that acts on the name, a target that
is not the bank, a protest said with a closure.
"""

from __future__ import annotations

import re

from nlp.phonetic import rx

__all__ = ["ESCALATE", "PERSIST", "PRAISE", "as_standard_negators", "closure_counts", "hedged", "is_mention",
           "legal_elsewhere"]

# Dialect negators the shared negation check (nlp.text.is_negated) does not read: 唔 (粤),
# 弗 / 覅 (吴), 冇 (粤), 无欲 / 无爱 (闽南 "do not want"), 免 (闽南 "no need") before a
# complaint verb, 甭 (北方). Replaced one for one, so offsets hold; 唔该 thanks.
_DIALECT_NEG = re.compile(r"唔(?!该|好意思)|弗|覅|冇|甭|无(?=[欲爱要想])|免(?=投诉|告|去)")


def as_standard_negators(text: str) -> str:
    return _DIALECT_NEG.sub(lambda m: "不" * len(m.group()), text)


# Names of a place or person a complaint goes to: said without an act on them they are a
# topic (人民银行降息了, 金融监管局发的新规), an identity (我是律师, 我儿子是记者) or a source
# (抖音上看到, 电视台广告里说). Act words (曝光, 起诉, 12378, 发微博) need no frame.
# The central bank, also by its short name, which is no name inside 两个人行吧 (two people, fine),
# 我本人行不行, 人行道 or 人行动: shared with nlp.complaint's threat list.
CENTRAL_BANK = r"人民银行|(?<![个本])人行(?![道动为])"
_NAME = re.compile(CENTRAL_BANK + r"|金融监管|监管局|监管部门|监管机构|金管局|银保监|银监|保监"
                   r"|证监会|证监局|消协"
                   r"|消费者协会|消费者权益|消保|金融办|市长热线|媒体|记者|电视台|报社|报纸|抖音|小红书|快手"
                   r"|朋友圈|官微|微博上|律师|法院|监督管理(?:总局|局|委员会|部门)|金融局|央行|(?:市民|政务|便民)热线")
_NAME_SOUND = rx(_NAME.pattern)  # the same names heard by ear (人民阴行, 绿师)
# An act on the name in its clause: going, calling, asking, knowing someone there, sending.
_ACT_BEFORE = re.compile(r"(?:去|找|寻|打|上|到|向|跟|给|请|搵|揾|叫|喊|让|联系|咨询|问了|问过|认识|告|报|发|闹|捅"
                         r"|写信|还有|直接|整|拍)[^，。！？,!?；;\s]{0,6}$")
_ACT_AFTER = re.compile(r"^(?:那边|那儿|那里|那嘎达|那块|那)?(?:的|个)?(?:投诉|反映|举报|告|曝光|起诉|评理|说理|讨"
                        r"|去|见|(?:那个)?电话|函|说|讲|的人|记者|来|问问|管管|查查|评评|帮帮团|打电话)")


def is_mention(t: str, p: str, start: int, end: int, angry: bool) -> bool:
    """``t[start:end]`` (``p``: its phonetic string) is a name of where complaints go, said
    with no act on it in its clause and not in an angry turn (我有个侄仔系做律师嘅 said in
    anger still warns)."""
    if angry or not (_NAME.fullmatch(t, start, end) or _NAME_SOUND.fullmatch(p, start, end)):
        return False
    cut = max(t.rfind(c, 0, start) for c in "，。！？,!?；; ")
    return not (_ACT_BEFORE.search(t[cut + 1 : start]) or _ACT_AFTER.match(t[end : end + 8]))


# Going to law, or to the police, against someone who is not the bank: a divorce, an
# inheritance, a debtor, a fraudster; the customer needs the bank's papers for it (流水,
# 证明). The bank as the target in the same clause (起诉你们, 跟你们打官司) still threatens.
_ELSEWHERE = re.compile(r"离婚|继承|遗产|欠(?:我)?(?:的)?钱|欠款|老赖|被骗|诈骗|骗子|盗刷|被偷|小偷|前夫|前妻|对方"
                        r"|流水|证明|回单|判决")
_BANK_TARGET = re.compile(r"你们|您们|贵行|恁|侬拉|你哋|你|您")


def legal_elsewhere(t: str, start: int, end: int) -> bool:
    if not _ELSEWHERE.search(t):
        return False
    lo = max(t.rfind(c, 0, start) for c in "，。！？,!?；; ") + 1
    hi = min((i for i in (t.find(c, end) for c in "，。！？,!?；; ") if i >= 0), default=len(t))
    # Unpunctuated ASR text runs on into the next clause (起诉离婚你们帮我打个流水): after the
    # word, the bank is its target only right after it (起诉你们); before it, in its clause.
    return not (_BANK_TARGET.search(t, lo, start) or _BANK_TARGET.match(t[end:hi], 0, 3))


# Closing accounts or moving everything out is a threat when said in protest: anger, or
# a protest in the words (不敢存了, 受不了你们, 这种银行). Moving money to one's own card or
# into a product of ours, or for a purchase, is an errand (钱全部取出来转回银行卡, 付首付);
# a hedge (以后可能不在你们这买了) is no threat.
_PROTEST = re.compile(r"不敢存|不存了|不放了|受不了|再也不|这种银行|什么破|破银行|垃圾|寒心|失望透|伤心|咽不下"
                      r"|不跟你们|你们这(?:种|样的)|一分(?:钱)?(?:都|也)?不(?:留|放|存)")
_ERRAND = re.compile(r"转回|回(?:我的?)?(?:银行)?卡|(?:到|进)我.{0,4}卡|买.{0,6}理财|首付|买房|急用|回老家|出国"
                     r"|还(?:房)?贷|看病|学费")
_HEDGE = re.compile(r"(?:可能|也许|或许|说不定)[^，。！？,!?]{0,3}$")


def hedged(t: str, start: int) -> bool:
    return bool(_HEDGE.search(t[max(0, start - 8) : start]))


def closure_counts(t: str, start: int, angry: bool) -> bool:
    protest = bool(_PROTEST.search(as_standard_negators(t)))  # 弗存了 is 不存了
    return protest or _ULTIMATUM.search(t, max(0, start - 30), start) is not None or (angry and not _ERRAND.search(t))


# Filing with the bank worded without 投诉: escalating above the agent in any order and
# dialect (叫你们经理来, 侬拉领导叫出来, 上你们总行闹去, 写信给你们总行, 去找恁行长),
# reporting the bank (举报), or vowing to pursue it (这事没完, 走着瞧, 告到底).
_YOUR = r"(?:你们|您们|你|您|恁|侬拉|侬|你哋|贵行)"
_BOSS = r"(?:领导|[支分]?行长|总经理|经理|主管|负责人|上级|上头|总行|一把手|头儿|老总)"
_WHEN = r"(?:今天|明天|马上|立刻|立即|现在|尽快|赶紧|赶快|亲自|今天之内|下班前|当面)"
ESCALATE = re.compile(
    rf"(?:上|去|到|闹到|告到|捅到|反映到|反映给|写信给|打给|打到|找|搵|揾){_YOUR}的?"
    # 总部: the head office by its other name (我就去南宁找你们总部).
    r"(?:总行|总部|领导|[支分]?行长|主管|上级|上头|一把手|头儿|老总)"
    r"(?!.{0,2}(?:办|开|存|取|买|查|介绍))"
    rf"|{_YOUR}的?{_BOSS}(?:叫|喊)(?:出来|过来|来)|{_YOUR}的?{_BOSS}来接"
    # 我要你们领导今天给我回电话: a time or manner word may sit between the boss and the demand.
    rf"|(?:叫|喊|让|请|我要){_YOUR}的?{_BOSS}{_WHEN}?(?:出来|过来|来|给我打|给我回|跟我说)|举报"
    # 我就打你们总行电话说说你这个人: a call to the head office, vowed (就/要/去), not one already made.
    rf"|(?:就|要|去|直接|马上)打{_YOUR}的?(?:总行|领导|行长)的?(?:电话|热线)"
    # 找你们温州分公司老总: the institution's branch or head office named before the boss.
    rf"|(?:找|见|叫|让){_YOUR}.{{0,6}}?(?:分公司|分行|支行|总部|总公司|公司)的?(?:老总|领导|行长|总经理|负责人)")
# An ultimatum: the bank goes on doing something (你们再…, 你哋再搞我, 你们这样搞) and the
# customer says what they will do then (我就…). A closure in that slot is a threat whatever
# the tone the sentiment model reads (dialect turns often read neutral); said to follow a
# favour instead (你们帮我办好我就把户销了) it is a request, so the bank's act must go on
# (再 / 又 / 这样; not 还, which asks: 你们还要什么材料 我就带过去销户).
_ULTIMATUM = re.compile(rf"{_YOUR}(?:再|又|老是|总是|这样|这么|敢)[^。！？!?]{{0,10}}?[，,\s]*"
                        r"我(?:就|便|立马|马上|直接)[^。！？!?，,]{0,8}$")
PERSIST = re.compile(r"这(?:个)?事(?:儿|情)?(?:我)?(?:跟你们|和你们)?(?:还)?没完(?!没了)|跟你们没完|走着瞧|等着瞧"
                     r"|(?:告|投诉|追究|闹|查)到底|(?:不会|不能|没)(?:就)?这么(?:就|轻易)?算了")
# Praise goes to a manager too (写表扬信给你们行长, 转给你们领导我想表扬一下): no complaint.
PRAISE = re.compile(r"表扬|锦旗|点赞|夸奖|夸一下|夸夸|感谢信")

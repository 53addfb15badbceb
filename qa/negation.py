"""Is a matched term asserted, or negated / supposed / asked / quoted?

These checks read the normalised text of one segment around ``norm[start:end]``.
ASR text is often unpunctuated, so a "clause" is bounded both by punctuation and by
a character window: without punctuation a whole turn would be one clause and a
如果 twenty characters earlier would wrongly swallow a real promise.

The functions look only at the context *outside* the term, so a term that carries
its own negation (不会亏, 没有风险) is judged by what precedes it: 绝对不会亏 is an
assertion, 不能保证不会亏 is not.
"""

from __future__ import annotations

import re

from qa.textfeat import compact_pattern

# 嘛 ends a clause in unpunctuated speech (我不是说过了嘛你听…).
CLAUSE_BREAK = frozenset("，。！？；,.!?;…嘛")
SENTENCE_BREAK = frozenset("。！？；.!?;…")

# 没法 / 没办法 as one cue, so a strong term two characters on is still bound (没法帮您保证回本).
_NEG_CUES = (
    "不", "没", "无法", "没法", "没办法", "非", "未", "别", "并非", "不是", "不能", "不会", "不可能", "没有", "无",
    "不一定", "不敢", "不存在", "谈不上", "算不上", "不代表", "不等于", "不像", "不同于", "难以", "很难",
    "不再", "打破", "取消", "禁止", "严禁",
)
_NEG_RE = re.compile("|".join(sorted(map(re.escape, _NEG_CUES), key=len, reverse=True)))
# Words holding a negation character that do not negate what follows (不用担心 keeps
# 肯定赚 a promise; 不管市场怎样都保本 is a promise too).
_NOT_NEG = re.compile(
    r"不用担心|不必担心|不用怕|别担心|别怕|不用管|不用操心|不错|非常|无论|不管|不少|不仅|不但|没准|不过|无忧|别的"
    # 您别急着卖，明年肯定涨回来: soothing the customer does not negate the promise after it.
    r"|别急|别着急|不着急|不要急|不要着急|别慌|不用急"
    r"|未来|不了解|不清楚|不放心|不知道|不懂|没问题|绝无|从不|毫无疑问|无疑"
    # soothing words before a promise (没事的阿姨，这个不会少您一分钱) negate nothing after them
    r"|没事|没关系|不要紧"
    # the same in the south-west (没得事 / 莫得事 / 没得关系)
    r"|[没莫]得(?:事|关系|问题)"
)
# A dismissal right after the term negates it (保本这个我们不能承诺).
_POST_NEG = re.compile(
    r"^.{0,8}?(?:不能承诺|不能保证|无法保证|没法保证|不敢保证|不敢说|不敢承诺|不能说|不好说|说不好|做不到|不可能|不存在"
    r"|是没有的|已经没有了|现在没有|都没有了|打不了包票|谁也说不准|不一定|没有这种|没有这样|没这回事|不现实|违规|不允许|不合规"
    r"|其实并不|其实不是|并不是|是误解|是错的|是不对|不对的|退出|取消了|停售|没了|就没有了|早就没有|是误导|是骗人)"
)
# The term as the content of what may not be said (监管不允许任何人跟您说理财保本 / 我们不能
#跟客户承诺保收益): ruled out, however far the prohibition stands before it.
_FORBIDDEN_SAY = re.compile(
    r"(?:不允许|不得|禁止|严禁|不能|不可以|不准|不会)[^，。！？,.!?]{0,8}(?:说|讲|承诺|宣传|保证|提)[^，。！？,.!?]{0,6}$"
)
# A term that asserts certainty itself (肯定能回本 / 一定涨回来) or carries its own negation
# (不会少您一分 / 不可能亏): only a negation bound to it undoes it, one right before it (不一定能回本
# / 并不是不会亏) or one whose verb of saying or vouching takes it as its object (不敢保证肯定回本 /
# 没人能说不会亏). A negation further left belongs to an earlier predicate: 您先别赎回，再拿几个月
# 肯定能涨回来 is a promise, unpunctuated or not.
_STRONG_TERM = re.compile(
    r"肯定|一定|绝对|铁定|百分之百|百分百|必然|准能|保证|不会|不可能|少不了|没(?:有)?(?:哪|谁|一)"
)
_BOUND_GAP = 2
_SAY_VERB = re.compile(r"说|讲|承诺|保证|打包票|打保票|告诉|提|宣传|见|听|敢|确定")
# A negated predicate closed by the aspect 过 (基本上没亏过，跟存款差不多安全) ends the
# negation's reach, unless the verb is one of saying or perceiving (没说过保本 / 没见过保本的).
_CLOSED_BY_GUO = re.compile(r"^.{1,3}?过")
# A universal negative subject (没有任何机构能替您兜底 / 谁也没法保本) reaches over its clause.
_NOBODY = re.compile(
    r"(?:没有|没)(?:任何|哪个|哪家|一家|谁|人)|谁(?:也|都)(?:不|没)|任何(?:人|机构|一家)(?:都)?(?:不|没|无法)"
)
# Conditional / wish openers: the term is what the customer might want, not a claim.
_HYPO_OPEN = re.compile(
    # 主要是 (mainly) holds 要是 (if) and supposes nothing
    r"如果|假如|假设|(?<![主重])要是|万一|倘若|若是|如若|想要|想找|想买|希望|追求|要求|需要|偏好|看重|在意|在乎|关心"
)
# Certainty stated as the consequence of what the customer does (您要是不急，再放半年肯定能
# 回本 / 如果继续拿着，一定涨回来): the condition is the customer's, the certainty is the agent's
# promise. A condition about the product itself (要是这个产品一定能赚，谁还存定期) stays supposed.
_APODOSIS = re.compile(r"(?:就|也|都|还)?(?:肯定|一定|绝对|铁定|百分之百|百分百|准能)")
_COND_OPEN = re.compile(r"如果|假如|(?<![主重])要是|倘若|若是|如若")
# The windows below are written with full-width marks; the text is compact (， → ,), so they
# go through compact_pattern like the rules' own regexes.
_CUSTOMER_CONDITION = re.compile(compact_pattern(
    r"(?!.*(?:产品|理财|基金|这个|这款|这只|它|说|市场|行情|大盘|股市|经济))[^，。！？]{3,}"
))
# The conditional clause closed before the term: 如果您有闲钱的话，这款保本 is a claim again.
_HYPO_CLOSED = re.compile(r"的话|那么|那就|就|那|我们|这款|这个产品|该产品")
# Reported speech: the agent repeats the customer's words or talks about a notion.
_QUOTE = re.compile(compact_pattern(
    r"(?:您|你)(?:刚才|刚刚)?(?:说|问|提到|讲|关心|担心|想要|要)的?$|所谓的?$|什么叫$|问(?:一下)?$|说到$|您说$"
    # a notion talked about, not asserted: 关于保本的说明 / 误导宣传为保本产品 / 说成保本
    r"|(?:关于|有关|宣传(?:为|成)|说成|误导为|误导成)的?$"
    # beliefs and things of the past: 很多客户以为理财保本, 以前的保本理财 (a deadline, 年底之前
    # 肯定回本, is no past)
    r"|以为.{0,4}$|误认为.{0,4}$|(?<![底末号月天年周期节后])(?:以前|过去|原来|之前|早先)(?:的|那种|那些)?$"
    # the customer's words repeated, a run of terms long (您说保本保收益，…)
    r"|(?<![跟和给对向])(?:您|你)(?:刚才|刚刚)?(?:说|问|提到|讲)(?:的)?[^，。！？]{0,6}$"
    # someone else's words reported: 您朋友说这个零风险 / 网上讲的稳赚 (not 我跟您说, which asserts)
    r"|(?<![跟和给对向])(?:您|你|别人|朋友|有人|人家|网上|外面|他们|她们|他|她|同事|邻居|亲戚|家里人|销售人员|销售|业务员"
    r"|对方)[^，。！？]{0,4}(?:说|讲|听说|听人说|传|称|承诺|保证说)(?:的|过)?(?:这个|那个|这款|那款|这只|那只)?$"
))
# Quotation marks open before the term and not closed: words quoted, not asserted
# (您朋友说“稳赚不赔”，这个我必须澄清 / 记录上写“承诺不会亏损”).
_QUOTE_PAIRS = (("“", "”"), ("「", "」"), ("『", "』"))


def is_quoted(norm: str, start: int) -> bool:
    """The term sits inside quotation marks opened earlier in the segment."""
    left = norm[:start]
    if left.count('"') % 2 == 1:
        return True
    return any(left.count(a) > left.count(b) for a, b in _QUOTE_PAIRS)
# A conditional closed right after the term, with no opener before it (肯定赚钱的话…).
_HYPO_AFTER = re.compile(r".{0,4}?的话")
_RHETORIC_RIGHT = re.compile(r"^.{0,4}?[嘛吗]")
# 对吧 / 是吧 after the term: the agent reads back what the customer said, for confirmation.
_QUESTION_RIGHT = re.compile(r"^.{0,5}?(?:吗|[?？]|(?<![什这那怎多])么|对吧|是吧|对不对)")
_QUESTION_LEFT = re.compile(r"(?:是不是|有没有|能不能|会不会|可不可以|是否|难道)$")
# Asking what someone said or promised (销售人员有没有跟您说过这个产品保本 / 有没有人向您承诺
# 保本或者保证收益): the terms are the content of the question, a 回访's check.
_ASKED_SAID = re.compile(
    r"(?:有没有|是否|有无)[^，。！？?!]{0,10}(?:说|讲|提|承诺|告诉|介绍|保证|宣传)[^，。！？?!]{0,10}$"
)


def clause_start(norm: str, start: int, limit: int = 14) -> int:
    i = start - 1
    while i >= 0 and norm[i] not in CLAUSE_BREAK and start - i <= limit:
        i -= 1
    return i + 1


def clause_end(norm: str, end: int, limit: int = 14) -> int:
    i = end
    while i < len(norm) and norm[i] not in CLAUSE_BREAK and i - end < limit:
        i += 1
    return i


def is_negated(norm: str, start: int, end: int, window: int = 8) -> bool:
    """A negation cue shortly before the term in its clause, or a dismissal right after it."""
    if _FORBIDDEN_SAY.search(norm[max(0, start - 20) : start]):
        return True
    cs = clause_start(norm, start, 16)
    if _NOBODY.search(norm[cs:start]):
        return True
    lo = max(clause_start(norm, start), start - window)
    left = _NOT_NEG.sub(lambda m: "＿" * len(m.group()), norm[lo:start])
    cues = list(_NEG_RE.finditer(left))
    if cues:
        last = cues[-1]
        between = left[last.end() :]
        if _bound_elsewhere(norm[start:end], last.group(), between):
            return _POST_NEG.search(norm[end : clause_end(norm, end, 16)]) is not None
        # The rhetorical 不是…嘛/吗 affirms (我不是解释过了嘛 = I did explain it).
        return not (last.group() == "不是" and _RHETORIC_RIGHT.search(norm[end : end + 6]) is not None)
    return _POST_NEG.search(norm[end : clause_end(norm, end, 16)]) is not None


def _bound_elsewhere(term: str, cue: str, between: str) -> bool:
    """The negation cue before a term negates another predicate, not the term."""
    if _SAY_VERB.search(cue + between):
        return False
    if _CLOSED_BY_GUO.match(between):
        return True
    return _STRONG_TERM.match(term) is not None and len(between) > _BOUND_GAP


def is_hypothetical(norm: str, start: int, end: int, window: int = 10) -> bool:
    """The term sits in a conditional/wish (如果您想要保本的话 / 肯定赚钱的话谁都买了) or is
    quoted (您说的保本 / 她讲“跟保本差不多”)."""
    lo = max(clause_start(norm, start, window), start - window)
    left = norm[lo:start]
    if _QUOTE.search(left) or is_quoted(norm, start) or _HYPO_AFTER.match(norm, end, clause_end(norm, end, 6)):
        return True
    last = None
    for m in _HYPO_OPEN.finditer(left):
        last = m
    if last is None:
        return False
    protasis = left[last.end() :]
    if _APODOSIS.match(norm, start) and _COND_OPEN.fullmatch(last.group()) and _CUSTOMER_CONDITION.fullmatch(protasis):
        return False
    return _HYPO_CLOSED.search(protasis) is None


def is_question(norm: str, start: int, end: int) -> bool:
    """The term is asked about (保本吗 / 是不是保本), not stated."""
    if _QUESTION_RIGHT.search(norm[end : clause_end(norm, end, 8) + 1]):
        return True
    if _ASKED_SAID.search(norm[max(0, start - 24) : start]):
        return True
    return _QUESTION_LEFT.search(norm[max(0, start - 4) : start]) is not None

"""Which upsell openings (服务营销) a customer utterance raises: the matcher of the cue
tables (upsell/cue_tables.py), used by upsell/openings.py.

Cues are regexes written in Chinese and matched on a phonetic string (toneless
pinyin, zh/z ch/c sh/s and -ng/-n merged), so 到其 / 倒期 / 养劳 / 鸡金 still meet
到期 / 养老 / 基金. Sounding alike is not enough on its own: most Chinese syllables
are shared by many characters, and with the merges 想 reads as 闲, 继续 as 积蓄,
汇款 as 回款, 系统 as 息. A hit that is not the literal cue is therefore kept only
when it is ONE character away from the literal cue (an ASR homophone swaps one
character of a word, not two) and that character is not part of a real, common
word in the sentence (李财 is no word, 想着 / 继续 / 汇款 are).

Each type is a set of expression FAMILIES (idle money: resting on a card, not
needed, no idea where to put it, earning only 活期 interest ...), not a list of
sentences; exclusions say when a cue means something else: a service act about the
same thing (退休金到账, 学费卡, 证件到期), a question or a hypothesis (会不会亏),
satisfaction (收益还行), the rest of an investment staying put (剩下的继续放着).
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.enums import OPENING_TYPES
from nlp.entities import cn_number
from nlp.phonetic import pho, readings, rx
from nlp.text import is_negated, tokenizer
from nlp.view import SegmentText, prepare
from upsell.cue_tables import (
    AMOUNT_INFLOW,
    AMOUNT_WORD,
    CJK_RUN,
    CUES,
    EXCLUDE,
    EXCLUDE_BEFORE,
    HELD_AFTER,
    HELD_BEFORE,
    HELD_BOUGHT,
    IRRELEVANT_MATURITY,
    LARGE_INFLOW_MIN,
    LOOKING_AHEAD,
    LOSS_COMPLAINT,
    LOSS_HEARSAY,
    LOSS_PAST,
    LOSS_WORD,
    MATURITY_AFTER,
    MATURITY_NEG,
    MATURITY_WHEN,
    MONEY_ARRIVED,
    NAMED_MONEY,
    NEGATORS_BEFORE,
    PAYING_FEES,
    PENSION_NOUN,
    PENSION_SERVICE,
    PLANNING,
    PRODUCT_OBJ,
    RANGE,
    REAL_WORD_FREQ,
    SAVING,
    SOURCED_MONEY,
    YES_NO,
    Cue,
)

__all__ = ["OPENING_TYPES", "opening_cues", "pho", "prepare", "rx"]


def _clause(norm: str, s: int, e: int, left: int = 12, right: int = 8) -> tuple[int, int]:
    lo = s
    while lo > 0 and s - lo < left and norm[lo - 1] not in "，。！？；,.!?;":
        lo -= 1
    hi = e
    while hi < len(norm) and hi - e < right and norm[hi] not in "，。！？；,.!?;":
        hi += 1
    return lo, hi


@lru_cache(maxsize=4096)
def _words(run: str) -> tuple[tuple[int, int, int], ...]:
    """(start, end, dictionary frequency) of the words of a run of Chinese characters."""
    tok = tokenizer()
    out: list[tuple[int, int, int]] = []
    pos = 0
    for w in tok.lcut(run, HMM=False):
        out.append((pos, pos + len(w), tok.FREQ.get(w, 0) if len(w) > 1 else 0))
        pos += len(w)
    return tuple(out)


def _word_freq(text: str, k: int) -> int:
    """Frequency of the multi-character word covering position ``k`` (0: none)."""
    for m in CJK_RUN.finditer(text):
        if m.start() <= k < m.end():
            return next((f for a, b, f in _words(m.group()) if a <= k - m.start() < b), 0)
    return 0


def _real_word(norm: str, k: int) -> bool:
    """Character ``k`` belongs to a common word of ``norm`` (想着, 汇款, 老房子): it is that
    word, not a misheard cue word (保鲜 is lost for 保险 too: a word is taken at its word).
    Any common dictionary word over ``k`` counts, not only the segmenter's pick: jieba takes
    百分之十三点多 whole (a rare word), yet its 之 is the 之 of 百分之, no misheard 只."""
    if _word_freq(norm, k) >= REAL_WORD_FREQ:
        return True
    freq = tokenizer().FREQ
    return any(freq.get(norm[a : a + n], 0) >= REAL_WORD_FREQ
               for n in (3, 4) for a in range(max(0, k - n + 1), min(k, len(norm) - n) + 1))


def _splits_word(norm: str, s: int, e: int) -> bool:
    """The hit norm[s:e] cuts through a dictionary word that reaches outside it (太寒碜了: 碜
    is 寒碜's, no misheard 沉 of 沉了; 放到起: 到 is 放到's, the dialect 放着, no misheard 到期):
    a sound-alike hit does not split a word the sentence is built of, however rare the word.
    Two-character words only: the dictionary's longer entries are often phrases (有点咸 must
    not hide 咸钱 = 闲钱). Literal hits are not asked."""
    freq = tokenizer().FREQ
    for m in CJK_RUN.finditer(norm):
        if m.end() <= s or m.start() >= e:
            continue
        for a, b, _ in _words(m.group()):
            a, b = a + m.start(), b + m.start()
            if a < e and b > s and b - a == 2 and (a < s or b > e) and norm[a:b] in freq:
                return True
    return False


def _sounds_right(cue: Cue, norm: str, pho_s: str, s: int, e: int) -> bool:
    """The phonetic hit is the literal cue, or the cue with one character swapped for a
    same-syllable character that is not part of a real word here (李财, not 想着 for 闲着)."""
    if cue.lit.fullmatch(norm, s, e):
        return True
    for k in range(s, e):
        # The swapped character sits in a cue WORD: a neighbour in the hit is a character of
        # the cue too (李财, 到其). A lone sound-alike (个 for 搁, 咯 for 搁) is that everyday word.
        if not any(s <= n < e and pho(norm[n]) in cue.sounds for n in (k - 1, k + 1)):
            continue
        for ch in cue.sounds.get(pho_s[k], ""):
            # Same syllable, not just the accent merges (想 xiang is no 闲 xian).
            if ch == norm[k] or not readings(ch) & readings(norm[k]):
                continue
            if cue.lit.fullmatch(norm[:k] + ch + norm[k + 1 :], s, e):
                return not _real_word(norm, k) and not _splits_word(norm, s, e)
    return False


def _find(pat: Cue, norm: str, pho_s: str, lo: int = 0, hi: int | None = None) -> re.Match[str] | None:
    """The first hit of ``pat`` in norm[lo:hi] that sounds right (see _sounds_right): exclusions
    and side conditions follow the same rule as cues, so 岳父给 is no 付给."""
    hi = len(pho_s) if hi is None else hi
    m = pat.rx.search(pho_s, lo, hi)
    while m is not None:
        if _sounds_right(pat, norm, pho_s, *m.span()):
            return m
        m = pat.rx.search(pho_s, m.start() + 1, hi)
    return None


def _maturity_ok(norm: str, pho_s: str, s: int, e: int) -> bool:
    lo, _ = _clause(norm, s, e, left=14)
    if _find(MATURITY_NEG, norm, pho_s, max(0, s - 4), e + 2):
        return False
    # What follows the term in its clause (到期了是不是保本; after a bare 到期了, the next one:
    # 到期了，收益怎么才二点一). A product said to come round on a date ends its clause there, and
    # what comes next is a new question (下个月就到了，到时候是不是又要去一趟: the visit).
    _, end = _clause(norm, s, e, right=10)
    if end - e <= 1 and "期" in norm[s:e]:
        end = min(len(norm), e + 10)
    if _find(MATURITY_AFTER, norm, pho_s, e, end) or MATURITY_WHEN.search(norm, 0, s):
        return False
    if re.match(r"的是", norm[e : e + 2]) and IRRELEVANT_MATURITY.match(norm, e + 2):  # 到期的是信用卡
        return False
    # The nearest thing named before 到期 decides: 理财到期 yes, 身份证到期 no. A clause that names
    # nothing speaks of what the one before it named (身份证下个月到期了，到期了还能办吗).
    left = norm[lo:s]
    bad = [m.end() for m in IRRELEVANT_MATURITY.finditer(left)]
    good = [m.end() for m in PRODUCT_OBJ.finditer(left)]
    if not bad and not good:
        left = norm[max(0, lo - 20) : lo]
        bad = [m.end() for m in IRRELEVANT_MATURITY.finditer(left)]
        good = [m.end() for m in PRODUCT_OBJ.finditer(left)]
    return not bad or (bool(good) and max(good) > max(bad))


def _pension_only(norm: str, pho_s: str, s: int, e: int) -> bool:
    """The hit names the pension the customer draws or the money they live on (退休金那张卡,
    养老钱都在里头, 退休工资七千多) and nothing in the turn looks ahead: that is income, not
    a plan for retirement."""
    noun = _find(PENSION_NOUN, norm, pho_s, max(0, s - 3), min(len(norm), e + 3))
    if noun is None or not (noun.start() <= s and e <= noun.end()):
        return False
    return _find(LOOKING_AHEAD, norm, pho_s) is None


def _big_amount(norm: str) -> bool:
    """An amount of at least LARGE_INFLOW_MIN; 十几万 / 几十万 / 三四十万 count at their floor."""
    for m in AMOUNT_WORD.finditer(RANGE.sub(r"\1", norm)):
        n = cn_number(m.group(1).replace("几", "一"))
        if n is None or (m.group(2) == "个" and n < 10):
            continue
        if n * 1e4 >= LARGE_INFLOW_MIN:
            return True
    return False


def _hit_ok(kind: str, cue: Cue, norm: str, pho_s: str, neg: str, s: int, e: int) -> bool:
    lo, hi = _clause(norm, s, e)
    exclude, before = EXCLUDE.get(kind), EXCLUDE_BEFORE.get(kind)
    if exclude is not None and _find(exclude, norm, pho_s, lo, hi):
        return False
    if before is not None and _find(before, norm, pho_s, lo, e):
        return False
    if cue.exc is not None and _find(cue.exc, norm, pho_s, lo, hi):
        return False
    if kind == "yield_dissatisfaction" and cue is CUES[kind][-1] and (
            _find(LOSS_HEARSAY, norm, pho_s, lo, s) or _find(LOSS_PAST, norm, pho_s, max(0, s - 16), s)):
        return False
    # A-not-A (赚不赚钱, 亏没亏) asks; it says neither.
    if norm[s] in "不没" and 0 < s < len(norm) - 1 and norm[s - 1] == norm[s + 1]:
        return False
    # Money put on the card after a redemption or sale earlier in the turn (我先赎回来，放在卡上)
    # is where the proceeds land: the clause alone does not show it.
    if kind == "idle_funds" and cue is CUES["idle_funds"][2] and cue.exc and _find(cue.exc, norm, pho_s, 0, s):
        return False
    if cue.negatable and (is_negated(neg, s, e, window=4) or NEGATORS_BEFORE.search(neg[max(lo, s - 4) : s])):
        return False
    if kind == "large_inflow" and "买" in norm[s:e]:  # 买房 and 卖房 read alike
        return False
    # A sale is an inflow worth an opening only when a large sum comes with it (卖了点旧家具 is
    # not) or its proceeds are said to have come in (卖猪卖了八万多，钱都打到卡上来了), and not a
    # position sold at a loss (一开盘就给我卖了…亏了十一万: that sum is the loss).
    if kind == "large_inflow" and cue is CUES["large_inflow"][-1] and not (
            cue.lit.fullmatch(norm, s, e) and not LOSS_WORD.search(norm)
            and (_big_amount(norm) or _find(MONEY_ARRIVED, norm, pho_s) or _find(AMOUNT_INFLOW, norm, pho_s, e))):
        return False
    if kind == "maturity" and not _maturity_ok(norm, pho_s, s, e):
        return False
    if kind == "retirement" and _pension_only(norm, pho_s, s, e):
        return False
    if kind == "protection_need" and (HELD_BEFORE.search(norm, lo, s) or HELD_AFTER.match(norm, e)
                                      or HELD_BOUGHT.match(norm, s)):
        return False
    return _sounds_right(cue, norm, pho_s, s, e)


def _cue_hit(kind: str, norm: str, pho_s: str) -> str | None:
    # 是不是快到期了 asks about the term, it does not negate it.
    neg = YES_NO.sub(lambda m: "_" * len(m.group()), norm)
    for i, cue in enumerate(CUES[kind]):
        if cue.ctx is not None and not cue.ctx.search(norm):
            continue
        if kind == "yield_dissatisfaction" and i == len(CUES[kind]) - 1 and _find(LOSS_COMPLAINT, norm, pho_s):
            continue
        # Search again one character on after a rejected hit: the leftmost match (家配置一下保障,
        # 家 read as 加) may hide a good one inside it (配置一下保障).
        m = cue.rx.search(pho_s)
        while m is not None:
            if _hit_ok(kind, cue, norm, pho_s, neg, *m.span()):
                return norm[m.start() : m.end()]
            m = cue.rx.search(pho_s, m.start() + 1)
    if kind == "large_inflow":  # a big amount coming in, without a named source
        inflow = _find(AMOUNT_INFLOW, norm, pho_s)
        if inflow and _big_amount(norm) and not _find(EXCLUDE["large_inflow"], norm, pho_s):
            return norm[inflow.start() : inflow.end()]
    return None


def opening_cues(text: str | SegmentText) -> dict[str, str]:
    """Opening types a customer utterance raises, with the words that raise them."""
    norm, pho_s = prepare(text)
    out: dict[str, str] = {}
    for kind in OPENING_TYPES:
        cue = _cue_hit(kind, norm, pho_s)
        if cue is not None:
            out[kind] = cue
    if "retirement" in out and _find(PENSION_SERVICE, norm, pho_s) and not _find(PLANNING, norm, pho_s):
        del out["retirement"]
    # Tuition being paid now (取五千给孙女交学费) is money going out, not saving ahead for school.
    if "education" in out and _find(PAYING_FEES, norm, pho_s) and not _find(SAVING, norm, pho_s):
        del out["education"]
    # Idle money is money with no story: when the same words say where it comes from (到期,
    # 卖房) or what it is for (学费, 养老), that is the opening (到期了也不知道放哪 is a maturity).
    # Unless the idle money is told first, in a clause of its own, and the named money after it
    # (活期里趴着二十来万，一直也没动，定期上个月也到期了): two sums, two openings.
    if "idle_funds" in out and set(out) & NAMED_MONEY and not _idle_first(norm, out):
        del out["idle_funds"]
    return out


def _idle_first(norm: str, out: dict[str, str]) -> bool:
    """A sum told idle in a clause of its own, before any money with a source (到期, 拆迁) is
    named. Money with a purpose (不急用，是养老的) is the same money, its purpose the opening;
    idle words without a sum (先搁卡里吧，等存单到期) wait on the sourced money."""
    if set(out) & (NAMED_MONEY - SOURCED_MONEY):
        return False
    idle = norm.find(out["idle_funds"])
    named = [norm.find(out[k]) for k in SOURCED_MONEY if k in out]
    if idle < 0 or any(n < 0 for n in named):
        return False
    _, end = _clause(norm, idle, idle + len(out["idle_funds"]), right=len(norm))
    return end < min(named) and _big_amount(norm[:end])

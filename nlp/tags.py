"""Client-tag observations (客户标签) from one analysed call.

Pure: the typed call result (core/result.py) and a little call context in,
a tuple of frozen ``TagObservation`` out. Nothing here knows about customers'
earlier calls: merging observations into a profile (replacement, decay, history)
is the service's job (callsight/services/tags.py).

Customer turns carry the evidence (what the agent sells says nothing about what the
customer wants); the exceptions are the maturity date and the stated risk level,
which the agent often reads out (您的存单11月15号到期 / 您的测评结果是C3).
Cue matching runs on ``fix_asr_terms`` text (same length, so spans hold) and checks
negation (我不想买基金) with nlp.text.is_negated. Evidence words are PII-masked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from core.enums import IntentId, OpeningType
from core.result import CallResult
from nlp.dates import resolve_date
from nlp.entities import said_with_maturity
from nlp.pii import mask_text
from nlp.text import fix_asr_terms, is_negated, is_question

__all__ = ["FUND_BANDS", "TAG_KINDS", "CallContext", "TagKind", "TagObservation", "derive_tags", "fund_band"]


@dataclass(frozen=True, slots=True)
class TagKind:
    key: str
    label: str  # Chinese, shown to users
    multi: bool  # several values coexist (product interests) vs one current value (risk level)
    half_life_days: float | None  # confidence halves every this many days; None: no decay
    ttl_days: int | None  # the tag drops out of "current" this long after it was last seen


TAG_KINDS: dict[str, TagKind] = {k.key: k for k in (
    TagKind("intent_level", "购买意向", False, 30, 120),
    TagKind("product_interest", "产品兴趣", True, 60, 180),
    TagKind("risk_level", "风险等级(自述/测评)", False, None, 365),  # an assessment is valid a year
    TagKind("risk_appetite", "风险偏好", False, 120, 365),
    TagKind("life_event", "人生事件", True, 180, 730),
    TagKind("fund_size", "资金规模", False, 180, 365),
    TagKind("maturity_date", "到期日", True, None, None),  # expires 30 days after the date itself
    TagKind("complaint_tendency", "投诉倾向", False, 90, 365),
    TagKind("preferred_contact_time", "偏好联系时段", False, 90, 365),
    TagKind("upsell_opening", "营销商机", True, None, 90),
    TagKind("last_contact", "最近联系", False, None, None),
)}

MATURITY_GRACE_DAYS = 30
# obs(key, value, confidence, segment, words, expires=None, **detail): records one observation.
Emit = Callable[..., None]


@dataclass(frozen=True, slots=True)
class CallContext:
    customer: str | None
    started_at: datetime | None  # aware; the call's own offset is used for hours and dates
    direction: str | None = None


@dataclass(frozen=True, slots=True)
class TagObservation:
    key: str
    value: str
    confidence: float
    segment: int | None
    words: str  # the evidence, personal numbers masked
    observed_at: datetime | None
    expires_at: datetime | None
    detail: Mapping[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- cues

_REFUSAL = re.compile(
    r"不想买|不买了|不买|不需要|不用了|不感兴趣|不敢兴趣|没兴趣|没什么兴趣|没有兴趣|不考虑|先不买|先不了|算了吧?|不要了"
    r"|别推荐|别给我推|不要推荐|不想了解|没有需求|没需求|没这个需求|不想办|不办了|没打算买|不打算买|不是(?:要|想)买"
    r"|我不要|别再打|别打了")
_BUY = re.compile(r"(?:想|要|准备|打算|考虑|可以)(?:买|购买|申购|认购|存|投|办一?个|定投)|买一?(?:点|些|份|笔)"
                  r"|申购|认购|帮我(?:买|办|存|转)")
_POST_DISMISS = re.compile(r"^.{0,6}?(?:不感兴趣|没兴趣|没什么兴趣|不考虑|不要|不买|就算了|算了|不需要|不想)")
_PRODUCT_INTENTS: dict[str, float] = {IntentId.purchase: 3.0, IntentId.product_inquiry: 2.0, IntentId.promotion: 1.0}
_INTENT_MIN = 0.45

_APPETITE: tuple[tuple[str, str], ...] = (
    # Phrases that carry their own negation come first and are matched as a whole.
    (r"不怕亏|亏[一点些]*(?:也)?没(?:关系|事)|风险(?:高|大)[一点些]*(?:也)?没(?:关系|事)|能(?:承受|接受)(?:风险|波动)"
     r"|高风险高收益|激进|进取|搏一[搏把]|博一[博把]|股票型|承受能力(?:比较|很|挺)?(?:强|高)", "aggressive"),
    (r"不想亏|不能亏|不愿意?亏|怕亏|亏不起|保本|本金安全|求稳|稳[一点些妥当]+|稳健|保守|低风险|风险(?:小|低)[一点些]*"
     r"|不想冒险|不要有风险|安全[一点些]+|承受能力(?:比较|很|挺)?(?:低|弱|差)", "conservative"),
    (r"平衡|中等风险|风险适中", "balanced"),
)
_APPETITE_RE = [(re.compile(p), v) for p, v in _APPETITE]
_OWN_NEGATION = re.compile(r"不|没|怕")

_C_WORDS = {"保守": 1, "稳健": 2, "平衡": 3, "成长": 4, "进取": 5, "激进": 5}
_C_TYPE = re.compile(r"(保守|稳健|平衡|成长|进取|激进)型")
_ABOUT_CUSTOMER = re.compile(r"您|你|我|测评|评估|等级|问卷|结果|属于")

_LIFE: tuple[tuple[str, str], ...] = (
    (r"孩子(?:上学|读书|念书|上大学|上小学|上初中|上高中|升学|考大学)|小孩(?:上学|读书)|上大学|出国留学|留学|教育金|教育基金"
     r"|学费|读研|考研", "education"),
    (r"退休|养老|退下来|晚年", "retirement"),
    (r"买房|购房|首付|买套房|买个房|换房|房贷|按揭", "house_purchase"),
)
_LIFE_RE = [(re.compile(p), v) for p, v in _LIFE]
_OPENING_LIFE: dict[str, str] = {OpeningType.education: "education", OpeningType.retirement: "retirement"}

_NOT_FUNDS = re.compile(r"手续费|费用|利息|收益|赚了|赚|亏了|亏损|亏|工资|月薪|还款|欠款|罚息|年费|扣了")
_FUNDS_CTX = re.compile(r"存|买|投|有|闲置|闲着|放着|手上|手里|账上|到期|存单|理财|基金|年终奖|卖房|转进来")
_BANDS: tuple[tuple[float, str], ...] = (
    (50_000, "lt_50k"), (200_000, "50k_200k"), (500_000, "200k_500k"), (1_000_000, "500k_1m"),
    (3_000_000, "1m_3m"), (float("inf"), "3m_plus"),
)
FUND_BANDS: tuple[str, ...] = tuple(label for _, label in _BANDS)  # ascending

_TIME_WORDS = re.compile(r"上午|早上|早晨|一早|中午|午休|下午|傍晚|晚上|下班后|下班以后|周末|礼拜[六天日]|星期[六天日]")
_TIME_VALUE = {"上午": "morning", "早上": "morning", "早晨": "morning", "一早": "morning", "中午": "noon",
               "午休": "noon", "下午": "afternoon", "傍晚": "evening", "晚上": "evening", "下班后": "evening",
               "下班以后": "evening"}
_UNAVAILABLE = re.compile(r"不方便|没空|没时间|不行|不在|开会|上班|忙|别打|不要打|接不了")
_CONTACT = re.compile(r"打给我|给我打|打过来|再打|打电话|打我电话|打我手机|联系我|联系|回电|回个电话|回我|致电|找我"
                      r"|方便|有空|有时间|可以")
_AGREE = re.compile(r"^(?:嗯+|好|行|可以|没问题|ok|OK)")


# --------------------------------------------------------------------------- helpers

def fund_band(amount: float) -> str:
    """Banded amount in yuan (lt_50k, 50k_200k, 200k_500k, 500k_1m, 1m_3m, 3m_plus)."""
    return next(label for upper, label in _BANDS if amount < upper)


def _clip(text: str, start: int = 0, end: int | None = None, pad: int = 24) -> str:
    end = len(text) if end is None else end
    s, e = max(0, start - pad), min(len(text), end + pad)
    return mask_text(("…" if s else "") + text[s:e] + ("…" if e < len(text) else ""))


def _at(d: date, tz: Any) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=tz or UTC)


# --------------------------------------------------------------------------- the call

@dataclass(frozen=True, slots=True)
class _Turns:
    texts: tuple[str, ...]  # fix_asr_terms(segment text), same length as the stored text
    raw: tuple[str, ...]
    speakers: tuple[str, ...]

    def customer(self) -> list[int]:
        return [i for i, s in enumerate(self.speakers) if s == "customer"]


def _turns(result: CallResult) -> _Turns:
    raw = tuple(s.text for s in result.segments)
    return _Turns(tuple(fix_asr_terms(t) for t in raw), raw, tuple(s.speaker for s in result.segments))


def _turn_intents(result: CallResult) -> dict[int, str]:
    """Segment → the intent the turn model heard there, when it was sure enough."""
    turns = result.intents.turns if result.intents is not None else ()
    return {t.segment: t.intent for t in turns if t.score >= _INTENT_MIN}


def derive_tags(result: CallResult, ctx: CallContext) -> tuple[TagObservation, ...]:
    """Every tag observation one call supports; empty without a customer code."""
    if not ctx.customer:
        return ()
    started = result.call.started_at or ctx.started_at
    tr = _turns(result)
    out: list[TagObservation] = []

    def obs(key: str, value: str, conf: float, seg: int | None, words: str,
            expires: datetime | None = None, **detail: Any) -> None:
        ttl = TAG_KINDS[key].ttl_days
        if expires is None and ttl is not None and started is not None:
            expires = started + timedelta(days=ttl)
        out.append(TagObservation(key, value, round(min(conf, 1.0), 3), seg, words, started, expires, detail))

    _intent_level(result, tr, obs)
    _product_interests(result, tr, obs)
    _risk(result, tr, obs)
    _life_events(result, tr, obs)
    _fund_size(result, tr, obs)
    _maturity(result, tr, started, obs)
    _complaint(result, obs)
    _contact_time(tr, started, obs)
    for op in result.upsell_openings:
        seg = op.segment
        words = _clip(tr.raw[seg]) if 0 <= seg < len(tr.raw) else ""
        obs("upsell_opening", str(op.type), 0.8, seg, words, taken=op.taken)
    if started is not None:
        obs("last_contact", started.astimezone(UTC).isoformat(), 1.0, None, "",
            direction=ctx.direction or result.call.direction, agent=result.call.meta_str("agent"))
    return tuple(out)


def _refusal(text: str) -> re.Match[str] | None:
    for m in _REFUSAL.finditer(text):
        if not is_question(text, m.start(), m.end()):
            return m
    return None


def _intent_level(result: CallResult, tr: _Turns, obs: Emit) -> None:
    turn_intent = _turn_intents(result)
    points, best, best_w, reasons = 0.0, None, 0.0, []
    refused: tuple[int, re.Match[str]] | None = None
    for i in tr.customer():
        text = tr.texts[i]
        ref = _refusal(text)
        if ref is not None:
            refused = refused or (i, ref)
            continue  # a refusing turn never counts as interest, whatever the model heard
        w = _PRODUCT_INTENTS.get(turn_intent.get(i, ""), 0.0)
        buy = next((m for m in _BUY.finditer(text) if not is_negated(text, m.start(), m.end())), None)
        if buy is not None:
            w = max(w, 3.0)
        if w > best_w:
            best, best_w = i, w
    points += best_w
    if best_w:
        reasons.append("purchase" if best_w >= 3 else "inquiry")
    taken = [o for o in result.upsell_openings if o.taken]
    if taken and best_w:
        points += 1
        reasons.append("opening_taken")
    mood = result.sentiment.call if result.sentiment is not None else None
    if best_w and mood == "positive":
        points += 1
        reasons.append("positive")
    if mood == "negative":
        points -= 1
    if result.primary_intent == IntentId.redemption:
        points -= 1
        reasons.append("redemption")
    if refused is not None:
        points -= 3
        reasons.append("refusal")
    if best is None and refused is None:
        return  # a call with no sign either way says nothing about intent
    level = "high" if points >= 3 else "medium" if points >= 1 else "low"
    if level == "low" and refused is not None:
        rseg, m = refused
        obs("intent_level", "low", 0.75, rseg, _clip(tr.raw[rseg], m.start(), m.end()), reasons=reasons)
        return
    seg = best if best is not None else refused[0] if refused else None
    conf = {"high": 0.8, "medium": 0.6, "low": 0.5}[level]
    obs("intent_level", level, conf, seg, _clip(tr.raw[seg]) if seg is not None else "", reasons=reasons)


def _product_interests(result: CallResult, tr: _Turns, obs: Emit) -> None:
    turn_intent = _turn_intents(result)
    seen: set[str] = set()
    for e in result.entities:
        seg, value = e.segment, str(e.value)
        if e.type != "product" or seg >= len(tr.texts):
            continue
        if tr.speakers[seg] != "customer" or value in seen:
            continue
        text, s, end = tr.texts[seg], e.start, e.end
        if is_negated(text, s, end) or _POST_DISMISS.search(text[end:]):
            continue
        conf = 0.7 if turn_intent.get(seg) in _PRODUCT_INTENTS else 0.5
        seen.add(value)
        obs("product_interest", value, conf, seg, _clip(tr.raw[seg], s, end), product=e.text)


def _risk(result: CallResult, tr: _Turns, obs: Emit) -> None:
    stated: tuple[int, int, int, int] | None = None  # level, segment, start, end: the last statement wins
    for e in result.entities:
        v = str(e.value).upper()
        if e.type in ("risk_level", "customer_risk_level") and re.fullmatch(r"C[1-5]", v):
            stated = (int(v[1]), e.segment, e.start, e.end)
    for i, text in enumerate(tr.texts):
        for m in _C_TYPE.finditer(text):
            clause = text[max(0, m.start() - 10) : m.end() + 2]
            about_customer = _ABOUT_CUSTOMER.search(clause) and "产品" not in text[m.end() : m.end() + 3]
            if about_customer and (stated is None or (i, m.start()) >= (stated[1], stated[2])):
                stated = (_C_WORDS[m.group(1)], i, m.start(), m.end())
    if stated is not None:
        level, seg, s, e2 = stated
        obs("risk_level", f"C{level}", 0.9, seg, _clip(tr.raw[seg], s, e2))
    best: tuple[str, int, int, int] | None = None
    for i in tr.customer():
        text = tr.texts[i]
        for pattern, value in _APPETITE_RE:
            for m in pattern.finditer(text):
                own = _OWN_NEGATION.search(m.group())
                if not own and is_negated(text, m.start(), m.end()):
                    # 我不保守 says little; 不要太激进 is a cautious customer.
                    if value != "aggressive":
                        continue
                    value = "conservative"
                best = (value, i, m.start(), m.end())
                break
            if best and best[1] == i:
                break
    if best is not None:
        value, seg, s, e2 = best
        obs("risk_appetite", value, 0.6, seg, _clip(tr.raw[seg], s, e2))


def _life_events(result: CallResult, tr: _Turns, obs: Emit) -> None:
    found: dict[str, tuple[float, int, str]] = {}
    for op in result.upsell_openings:
        ev, seg = _OPENING_LIFE.get(op.type), op.segment
        if ev and seg < len(tr.raw):
            found[ev] = (0.8, seg, _clip(tr.raw[seg]))
    for i in tr.customer():
        text = tr.texts[i]
        for pattern, value in _LIFE_RE:
            if value in found:
                continue
            m = next((m for m in pattern.finditer(text) if not is_negated(text, m.start(), m.end())), None)
            if m is not None:
                found[value] = (0.6, i, _clip(tr.raw[i], m.start(), m.end()))
    for value, (conf, seg, words) in found.items():
        obs("life_event", value, conf, seg, words)


def _fund_size(result: CallResult, tr: _Turns, obs: Emit) -> None:
    best: tuple[float, float, int, int, int] | None = None
    for e in result.entities:
        seg = e.segment
        if e.type != "amount" or seg >= len(tr.texts):
            continue
        if tr.speakers[seg] != "customer" or not isinstance(e.value, int | float):
            continue
        amount, text, s, end = float(e.value), tr.texts[seg], e.start, e.end
        clause = text[max(0, s - 8) : end + 6]
        if amount < 10_000 or _NOT_FUNDS.search(clause) or is_negated(text, s, end):
            continue
        conf = 0.7 if _FUNDS_CTX.search(clause) else 0.5
        if best is None or amount > best[0]:
            best = (amount, conf, seg, s, end)
    if best is not None:
        amount, conf, seg, s, end = best
        obs("fund_size", fund_band(amount), conf, seg, _clip(tr.raw[seg], s, end), amount=amount)


def _maturity(result: CallResult, tr: _Turns, started: datetime | None, obs: Emit) -> None:
    if started is None:
        return
    seen: set[str] = set()
    for e in result.entities:
        seg, value = e.segment, e.value
        if e.type != "date" or seg >= len(tr.texts) or not isinstance(value, dict):
            continue
        text, s, end = tr.texts[seg], e.start, e.end
        if not said_with_maturity(text, value, s, end) or is_negated(text, s, end):
            continue
        resolved = resolve_date(value, started.date())
        if resolved is None:
            continue
        day, precision = resolved
        iso = day.isoformat()
        if iso in seen:
            continue
        seen.add(iso)
        conf = 0.85 if precision == "day" else 0.65
        obs("maturity_date", iso, conf, seg, _clip(tr.raw[seg], s, end),
            expires=_at(day, started.tzinfo) + timedelta(days=MATURITY_GRACE_DAYS), precision=precision)


def _complaint(result: CallResult, obs: Emit) -> None:
    risk = result.complaint_risk
    if risk is None or risk.level not in ("high", "low"):
        return
    ev = risk.evidence[0] if risk.evidence else None
    obs("complaint_tendency", risk.level, 0.9 if risk.level == "high" else 0.6, ev.segment if ev else None,
        mask_text(ev.text if ev else ""), reason=ev.reason if ev else None)


def _contact_time(tr: _Turns, started: datetime | None, obs: Emit) -> None:
    for i, text in enumerate(tr.texts):
        if tr.speakers[i] == "agent":
            nxt = i + 1
            # The agent's proposal (我下午再联系您) counts when the customer agrees to it.
            if nxt >= len(tr.texts) or tr.speakers[nxt] != "customer" or not _AGREE.search(tr.texts[nxt].strip()):
                continue
        for m in _TIME_WORDS.finditer(text):
            after = text[m.end() : m.end() + 10]
            nxt_time = _TIME_WORDS.search(after)
            if nxt_time:
                after = after[: nxt_time.start()]
            cut = re.search(r"[，,。！？!?；;]", after)
            if cut:
                after = after[: cut.start()]
            if _UNAVAILABLE.search(after) or not _CONTACT.search(after):
                continue
            value = _TIME_VALUE.get(m.group(), "weekend")
            conf = 0.8 if tr.speakers[i] == "customer" else 0.5
            obs("preferred_contact_time", value, conf, i, _clip(tr.raw[i], m.start(), m.end()), source="words")
            return
    if started is not None:
        hour = started.hour
        value = "morning" if 8 <= hour < 12 else "noon" if hour < 14 else "afternoon" if hour < 18 else "evening"
        if 8 <= hour < 22:
            # Only a hint: the customer picked up (or called) at this hour once.
            obs("preferred_contact_time", value, 0.3, None, "", source="call_time", hour=hour)

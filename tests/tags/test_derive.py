"""nlp.tags.derive_tags on the real conversation analysis of varied dialogues:
different phrasings, ASR misrecognitions (李财, 鸡金, 倒期), no punctuation, negation."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import pytest

from core.jsonio import to_json
from core.result import CallResult
from core.types import Segment, Transcript
from nlp.analyze import analyze_conversation
from nlp.intents import IntentModel
from nlp.tags import CallContext, derive_tags, fund_band, resolve_date

Turns = list[tuple[Literal["agent", "customer"], str]]

STARTED = "2026-10-12T15:30:00+08:00"


def result_of(turns: Turns, model: IntentModel, started: str = STARTED,
              **extra: Any) -> CallResult:
    """The typed result of a transcript call: the real conversation analysis, read back
    through the JSON edge (as the services read a stored result)."""
    segs = tuple(Segment(speaker=s, start=i * 3.0, end=i * 3.0 + 2.5, text=t) for i, (s, t) in enumerate(turns))
    tr = Transcript(segments=segs, duration_s=len(turns) * 3.0, channels=0, role_confidence=1.0)
    analysis = to_json(analyze_conversation(tr, model).record())
    return CallResult.from_json({
        "schema_version": "1.3", "role_confidence": 1.0,
        "call": {"id": "c1", "meta": {"customer": "K1", "started_at": started}, "source": "transcript",
                 "duration_s": tr.duration_s, "channels": 0, "asr": None},
        "segments": [{"speaker": s.speaker, "start": s.start, "end": s.end, "text": s.text} for s in segs],
        **analysis, **extra})


def tags_of(turns: Turns, model: IntentModel, **extra: Any) -> set[tuple[str, str]]:
    res = result_of(turns, model, **extra)
    return {(o.key, o.value) for o in derive_tags(res, CallContext("K1", datetime.fromisoformat(STARTED)))}


A: Literal["agent"] = "agent"
C: Literal["customer"] = "customer"

# (dialogue, tags that must be there, tags that must not)
CASES: list[tuple[Turns, set[tuple[str, str]], set[tuple[str, str]]]] = [
    ([(A, "您好请问有什么可以帮您"), (C, "我想买二十万的鸡金定投，孩子明年上大学要用钱")],
     {("intent_level", "high"), ("product_interest", "fund_plan"), ("life_event", "education"),
      ("fund_size", "200k_500k")}, set()),
    ([(A, "给您推荐一款基金"), (C, "我不想买基金 别推荐了")],
     {("intent_level", "low")}, {("product_interest", "fund"), ("intent_level", "high")}),
    ([(A, "我们新出了一款李财产品收益不错"), (C, "李财我没什么兴趣 你们下午再打给我吧 上午不方便")],
     {("intent_level", "low"), ("preferred_contact_time", "afternoon")},
     {("product_interest", "wmp"), ("preferred_contact_time", "morning")}),
    ([(A, "您好"), (C, "我的存单是三月五号倒期的 我是C4 亏点没关系")],
     {("maturity_date", "2027-03-05"), ("risk_level", "C4"), ("risk_appetite", "aggressive")}, set()),
    ([(A, "您好"), (C, "我有一笔大额存单下个月十五号到期了，想问问有没有收益高一点的理财")],
     {("maturity_date", "2026-11-15"), ("product_interest", "large_cd"), ("intent_level", "medium")}, set()),
    ([(A, "您的风险测评结果是稳健型的"), (C, "对 我比较保守 不想亏本金")],
     {("risk_level", "C2"), ("risk_appetite", "conservative")}, {("risk_appetite", "aggressive")}),
    ([(A, "您好"), (C, "你们再不处理我就打12378投诉你们")], {("complaint_tendency", "high")}, set()),
    ([(A, "您好"), (C, "我手上有五十万闲着 快退休了 想买点稳一点的")],
     {("intent_level", "high"), ("life_event", "retirement"), ("fund_size", "500k_1m"),
      ("risk_appetite", "conservative")}, set()),
    ([(A, "我下午三点再联系您可以吗"), (C, "可以的")], {("preferred_contact_time", "afternoon")}, set()),
    ([(A, "您好"), (C, "我们准备买房 首付还差一些 定期能不能提前取")], {("life_event", "house_purchase")}, set()),
    ([(A, "您好"), (C, "我不打算买房 就是问问定期利率")], set(), {("life_event", "house_purchase")}),
    ([(A, "您好"), (C, "晚上下班后给我打电话吧 白天在上班")], {("preferred_contact_time", "evening")}, set()),
    ([(A, "您好"), (C, "晚上没空 周末可以联系我")], {("preferred_contact_time", "weekend")},
     {("preferred_contact_time", "evening")}),
    ([(A, "您好"), (C, "手续费扣了我五十块 什么破银行 太差了")],
     {("complaint_tendency", "low")}, {("fund_size", "lt_50k")}),
    ([(A, "您好"), (C, "暂时不考虑了谢谢")], {("intent_level", "low")}, {("intent_level", "medium")}),
    ([(A, "您好"), (C, "嗯那个我想申购你们那个养老理财 大概三十万 我是平衡型的")],
     {("intent_level", "high"), ("product_interest", "pension_wmp"), ("fund_size", "200k_500k"),
      ("risk_level", "C3"), ("life_event", "retirement")}, set()),
    ([(A, "您好"), (C, "帮我查一下账户余额")], set(), {("intent_level", "high"), ("intent_level", "low")}),
    ([(A, "您好"), (C, "我能接受波动 高风险高收益的基金有吗")],
     {("risk_appetite", "aggressive"), ("product_interest", "fund")}, set()),
    ([(A, "您好"), (C, "不要太激进的 我年纪大了")],
     {("risk_appetite", "conservative")}, {("risk_appetite", "aggressive")}),
    ([(A, "您好"), (C, "明天中午十二点半左右打我电话就行")], {("preferred_contact_time", "noon")}, set()),
    ([(A, "您好"), (C, "我风险承受能力比较低 老年人嘛")], {("risk_appetite", "conservative")}, set()),
    ([(A, "您好"), (C, "不是要买 我就问一下基金净值")], set(), {("intent_level", "high")}),
    ([(A, "您好"), (C, "这个产品我不要 太贵了 你别再打了")], {("intent_level", "low")}, set()),
    ([(A, "您好"), (C, "孩子要出国留学 学费得准备一百五十万")],
     {("life_event", "education"), ("fund_size", "1m_3m")}, set()),
]


@pytest.mark.parametrize("turns,present,absent", CASES, ids=[str(i) for i in range(len(CASES))])
def test_tags_from_varied_dialogues(turns: Turns, present: set[tuple[str, str]],
                                    absent: set[tuple[str, str]], intent_model: IntentModel) -> None:
    got = tags_of(turns, intent_model)
    assert present <= got, f"missing {present - got}; got {sorted(got)}"
    assert not (absent & got), f"unexpected {absent & got}"


def test_no_customer_no_tags(intent_model: IntentModel) -> None:
    res = result_of([(C, "我想买基金")], intent_model)
    assert derive_tags(res, CallContext(None, None)) == ()


def test_observation_has_provenance_expiry_and_masks_numbers(intent_model: IntentModel) -> None:
    res = result_of([(A, "您好"), (C, "我想买五十万的大额存单 手机13812345678")], intent_model)
    before = repr(res)
    obs = derive_tags(res, CallContext("K1", datetime.fromisoformat(STARTED)))
    assert repr(res) == before  # the input is not mutated
    interest = next(o for o in obs if o.key == "product_interest")
    assert interest.segment == 1 and "大额存单" in interest.words
    assert "13812345678" not in interest.words and "138****5678" in interest.words
    assert interest.expires_at is not None and interest.observed_at is not None
    assert (interest.expires_at - interest.observed_at).days == 180
    last = next(o for o in obs if o.key == "last_contact")
    assert last.value == "2026-10-12T07:30:00+00:00" and last.confidence == 1.0
    hint = next(o for o in obs if o.key == "preferred_contact_time")
    assert hint.value == "afternoon" and hint.confidence < 0.5  # from the call's hour only: a weak hint


def test_upsell_openings_feed_life_events_and_openings(intent_model: IntentModel) -> None:
    evidence: dict[str, Any] = {"customer": {"segment": 1, "text": "我过两年就不上班了", "cue": "不上班"},
                                "entities": [], "agent": None}
    openings = [{"type": "retirement", "segment": 1, "taken": True, "evidence": evidence},
                {"type": "idle_funds", "segment": 1, "taken": False, "evidence": evidence}]
    res = result_of([(A, "您好"), (C, "我过两年就不上班了 钱放着也没用")], intent_model, upsell_openings=openings)
    obs = derive_tags(res, CallContext("K1", datetime.fromisoformat(STARTED)))
    got = {(o.key, o.value): o for o in obs}
    assert ("life_event", "retirement") in got and got[("life_event", "retirement")].confidence == 0.8
    assert got[("upsell_opening", "retirement")].detail["taken"] is True
    assert got[("upsell_opening", "idle_funds")].detail["taken"] is False


def test_fund_bands() -> None:
    assert [fund_band(x) for x in (10_000, 50_000, 300_000, 600_000, 2e6, 5e6)] == [
        "lt_50k", "50k_200k", "200k_500k", "500k_1m", "1m_3m", "3m_plus"]


@pytest.mark.parametrize("value,expected", [
    ({"month_offset": 1, "day": 15}, ("2026-11-15", "day")),
    ({"month": 3, "day": 5}, ("2027-03-05", "day")),  # March is past: next year's
    ({"month": 10, "day": 20}, ("2026-10-20", "day")),
    ({"month_offset": 1}, ("2026-11-01", "month")),
    ({"relative": "月底"}, ("2026-10-31", "day")),
    ({"relative": "下周三"}, ("2026-10-21", "day")),
    ({"relative": "年底"}, ("2026-12-31", "day")),
])
def test_resolve_date(value: dict[str, Any], expected: tuple[str, str]) -> None:
    resolved = resolve_date(value, datetime.fromisoformat(STARTED).date())
    assert resolved is not None and (resolved[0].isoformat(), resolved[1]) == expected

"""upsell_openings and next_actions in the result (schema 1.2), and the next-action rules."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from callsight.pipeline import RESULT_SCHEMA_VERSION, Analyzers, build_result
from callsight.pipeline import analyze_text as _analyze_text
from core.jsonio import to_json
from core.result import CallAnalysis
from tests.qa.helpers import call
from upsell.next_actions import next_actions, resolve_date
from upsell.openings import detect_openings
from upsell.scripts import ScriptLibrary, load_library, suggest


def analyze_text(*args: Any) -> dict[str, Any]:
    """The analysis as the result JSON has it (these tests read the contract's keys)."""
    out: dict[str, Any] = to_json(_analyze_text(*args))
    return out


@pytest.fixture(scope="module")
def lib() -> ScriptLibrary:
    return load_library()


CALL = call(("agent", "您好恒信银行城东支行理财经理小王"), ("customer", "嗯我那个李财下个月十五号到其了三十万"),
            ("agent", "好的请问还有什么可以帮您"), ("customer", "孩子明年要上大学学费得准备一下"),
            ("agent", "那我给您介绍一下教育年金保险吧"), ("customer", "好的"), ("agent", "感谢您的来电再见"))


def test_result_carries_openings_suggestions_and_actions(lib: ScriptLibrary) -> None:
    meta = {"started_at": "2026-06-20T09:30:00+08:00", "customer_risk_level": "C2"}
    out = analyze_text(CALL, meta, Analyzers(script_library=lib))
    ops = {o["type"]: o for o in out["upsell_openings"]}
    assert set(ops) == {"maturity", "education"}
    mat = ops["maturity"]
    assert mat["segment"] == 1 and mat["taken"] is False and mat["evidence"]["agent"] is None
    assert {e["type"] for e in mat["evidence"]["entities"]} >= {"amount", "date"}
    assert ops["education"]["taken"] is True and ops["education"]["evidence"]["agent"]["segment"] == 4
    for o in ops.values():
        assert o["suggestions"]
        for s in o["suggestions"]:
            assert s["risk_level"] is None or int(s["risk_level"][1]) <= 2
            assert s["library"] == lib.version
    actions = {(a["action"], a["opening"]): a for a in out["next_actions"]}
    follow = actions[("follow_up_maturity", "maturity")]
    assert follow["due"] == "2026-07-15" and follow["date_text"] == "下个月十五号"
    assert ("call_back", "maturity") in actions and ("send_material", "education") in actions
    assert ("book_meeting", "education") in actions
    assert [a["priority"] for a in out["next_actions"]] == sorted(a["priority"] for a in out["next_actions"])
    typed = _analyze_text(CALL, meta, Analyzers(script_library=lib))
    assert isinstance(typed, CallAnalysis)
    doc = build_result(call_id="x", meta=meta, source="transcript", transcript=CALL, analysis=typed).to_json()
    assert doc["schema_version"] == RESULT_SCHEMA_VERSION == "1.3"
    assert doc["upsell_openings"] == out["upsell_openings"]
    json.dumps(doc, ensure_ascii=False)


def test_c1_customer_gets_nothing_above_r1(lib: ScriptLibrary) -> None:
    out = analyze_text(call(("customer", "收益太低了我想换个高一点的"), ("agent", "好的")),
                       {"customer_risk_level": "C1"}, Analyzers(script_library=lib))
    sugs = out["upsell_openings"][0]["suggestions"]
    assert sugs and all(s["risk_level"] in (None, "R1") for s in sugs)


def test_level_stated_in_the_call_is_used(lib: ScriptLibrary) -> None:
    tr = call(("customer", "我测评是C2的"), ("customer", "卡里有二十万闲钱不知道买什么"), ("agent", "好的"))
    out = analyze_text(tr, {}, Analyzers(script_library=lib))
    levels = {s["risk_level"] for s in out["upsell_openings"][0]["suggestions"]}
    assert "R2" in levels and not levels & {"R3", "R4", "R5"}


def test_unknown_level_asks_for_assessment(lib: ScriptLibrary) -> None:
    out = analyze_text(call(("customer", "我卡里有二十万闲钱"), ("agent", "好的")), {}, Analyzers(script_library=lib))
    assert not any(s["investment"] for s in out["upsell_openings"][0]["suggestions"])
    assert any(a["action"] == "risk_assessment" for a in out["next_actions"])


def test_no_opening_gives_empty_lists_and_no_library_gives_no_suggestions(lib: ScriptLibrary) -> None:
    plain = call(("agent", "您好"), ("customer", "我想查一下余额"), ("agent", "好的"), ("customer", "谢谢"))
    out = analyze_text(plain, {}, Analyzers(script_library=lib))
    assert out["upsell_openings"] == [] and out["next_actions"] == []
    bare = analyze_text(CALL, {}, Analyzers())
    assert [o["type"] for o in bare["upsell_openings"]] == ["maturity", "education"]
    assert all(o["suggestions"] == [] for o in bare["upsell_openings"])


def test_next_actions_rules(lib: ScriptLibrary) -> None:
    tr = call(("customer", "我卡里有二十万闲钱"), ("agent", "我帮您约个时间来网点聊聊"),
              ("customer", "我那个理财快到期了"), ("agent", "好的"))
    ops = detect_openings(tr)
    sugs = [suggest(o.type, lib, level=3) for o in ops]
    acts = next_actions(ops, sugs, call_day=dt.date(2026, 6, 20))
    got = {(a.action, a.opening) for a in acts}
    assert ("book_meeting", "idle_funds") in got  # the agent proposed one: confirm it
    assert ("follow_up_maturity", "maturity") in got and ("call_back", "maturity") in got
    follow = next(a for a in acts if a.action == "follow_up_maturity")
    assert follow.due is None and "确认" in follow.text  # no date given


@pytest.mark.parametrize(("value", "expected"), [
    ({"month_offset": 1, "day": 15}, dt.date(2026, 7, 15)),
    ({"month": 3, "day": 2}, dt.date(2027, 3, 2)),  # said in June: next March
    ({"month": 7, "day": 1}, dt.date(2026, 7, 1)),
    ({"relative": "明天"}, dt.date(2026, 6, 21)),
    ({"relative": "月底"}, dt.date(2026, 6, 30)),
    ({"relative": "下周三"}, dt.date(2026, 6, 24)),
    ({"month_offset": 1}, None),
    ({"month": 2, "day": 30}, None),
])
def test_resolve_date(value: dict[str, object], expected: dt.date | None) -> None:
    assert resolve_date(value, dt.date(2026, 6, 20)) == expected


class _RejectAll:
    def keep(self, rows: Any) -> list[bool]:
        return [False for _ in rows]


def test_the_opening_filter_applies_on_complaint_calls_too() -> None:
    """A grievance the filter rejects is no opening on a complaint call either (it used to
    pass there unfiltered as a service-recovery anchor)."""
    from callsight.pipeline import upsell_records
    from nlp.view import TextView

    view = TextView.of(CALL)
    assert upsell_records(CALL, {}, (), None, complaint=1, view=view)[0]
    openings, actions = upsell_records(CALL, {}, (), None, complaint=1, view=view, gate=_RejectAll())
    assert openings == () and [a.action for a in actions] == ["complaint_follow_up"]
    # With no opening left, the follow-up still carries the service-recovery steps.
    assert [s.script for s in actions[0].steps] == ["recovery.apology", "recovery.escalation", "recovery.follow_up"]
    assert all(s.kind == "recovery" and s.product is None for s in actions[0].steps)


@pytest.mark.parametrize(("said", "relative"), [
    ("我那笔定期下周五就到期了", "下周五"),
    ("下礼拜三到期", "下周三"),
    ("这个星期天过来", "这周日"),
    ("本周二我去网点", "这周二"),
])
def test_weekdays_in_every_spoken_form_are_one_value(said: str, relative: str) -> None:
    """The prepared text writes 下周五 as 下周5; 礼拜 and 星期 mean 周: each resolves to a day."""
    from nlp.entities import find_entities
    from nlp.view import TextView

    seg = TextView.of(call(("customer", said)))[0]
    dates = [e.value for e in find_entities(seg) if e.type == "date"]
    assert dates and dates[0]["relative"] == relative  # type: ignore[index]
    assert resolve_date(dates[0], dt.date(2026, 6, 20)) is not None  # type: ignore[arg-type]


def test_a_weekday_number_before_an_amount_is_no_weekday() -> None:
    from nlp.entities import find_entities
    from nlp.view import TextView

    seg = TextView.of(call(("customer", "下周5万块到账")))[0]
    assert [e.value for e in find_entities(seg) if e.type == "date"] == [{"relative": "下周"}]


def test_the_follow_up_is_due_on_the_maturity_day_not_the_first_date_said(lib: ScriptLibrary) -> None:
    tr = call(("customer", "我下周去网点改手机号，对了我那笔三十万的定期下周五就到期了"), ("agent", "好的"))
    ops = detect_openings(tr)
    acts = next_actions(ops, [suggest(o.type, lib, level=3) for o in ops], call_day=dt.date(2026, 11, 11))
    follow = next(a for a in acts if a.action == "follow_up_maturity")
    assert (follow.due, follow.date_text) == (dt.date(2026, 11, 20), "下周五")

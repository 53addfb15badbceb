"""Product judgement (issue 12): a complaining customer gets service recovery, not a
pitch, after the call and live; an agent who pitched first has opened (sample 02)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from callsight.pipeline import analyze_text
from callsight.schemas import parse_transcript_doc, transcript_from_doc
from core.jsonio import parse, to_json
from core.result import CallAnalysis
from upsell.during_call import LiveConversation
from upsell.openings import detect_openings
from upsell.recovery import RECOVERY_SCRIPTS, complaint_segment
from upsell.scripts import load_library, suggest

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "calls"
RECOVERY_IDS = [sid for sid, _ in RECOVERY_SCRIPTS]


def _analyze(name: str) -> dict[str, Any]:
    """A sample call's transcript through the real pipeline (trained intent model,
    live rule pack, default script library), as `callsight analyze` runs it."""
    from callsight import runtime

    doc = json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    out: dict[str, Any] = to_json(analyze_text(transcript_from_doc(parse_transcript_doc(doc)), doc["meta"],
                                             runtime.analyzers()))
    return out


def test_sample_05_regulator_threat_gets_service_recovery_not_a_pitch() -> None:
    out = _analyze("05_cx_complaint_12378")
    assert out["complaint_risk"]["level"] == "high"
    # A grievance is no opening (the learned filter runs on complaint calls too), and
    # whatever opening such a call keeps carries service-recovery steps, never a product.
    for op in out["upsell_openings"]:
        assert [s["script"] for s in op["suggestions"]] == RECOVERY_IDS
        assert all(s["product"] is None and s["kind"] == "recovery" for s in op["suggestions"])
    assert [a["action"] for a in out["next_actions"]] == ["complaint_follow_up"]
    action = out["next_actions"][0]
    assert action["priority"] == "high" and action["segment"] == complaint_segment(parse(CallAnalysis, out))
    # The follow-up carries the recovery steps whether or not an opening survived.
    assert [s["script"] for s in action["steps"]] == RECOVERY_IDS
    assert all(s["product"] is None and s["kind"] == "recovery" for s in action["steps"])
    assert "未开口" not in json.dumps(out["next_actions"], ensure_ascii=False)


def test_sample_02_outbound_pitch_is_taken_and_level_known() -> None:
    out = _analyze("02_cd_recommend_disclosed")
    assert out["complaint_risk"]["level"] == "none"
    actions = [a["action"] for a in out["next_actions"]]
    assert "call_back" not in actions and "risk_assessment" not in actions  # 稳健型 = C2, stated in the call
    levels = [e["value"] for e in out["entities"] if e["type"] == "customer_risk_level"]
    assert levels == ["C2"]
    assert all(s["risk_level"] is None or s["risk_level"] in ("R1", "R2")
               for o in out["upsell_openings"] for s in o["suggestions"])


def test_sample_02_maturity_cue_is_taken_by_the_earlier_pitch_and_suits_c2() -> None:
    """The cue rules and the take reading, without the learned filter: the customer's
    到期了再说 comes after the agent's 理财 pitch, and that pitch took it. Whether the filter
    keeps this deferral is a learned, borderline call (0.37 against 0.40 since round r9's
    writers joined its corpus), so it is not what this test pins."""
    doc = json.loads((SAMPLES / "02_cd_recommend_disclosed.json").read_text(encoding="utf-8"))
    ops = {o.type: o for o in detect_openings(transcript_from_doc(parse_transcript_doc(doc)))}
    assert ops["maturity"].take is not None and ops["maturity"].take.segment < ops["maturity"].segment
    sugs = [s.record() for s in suggest("maturity", load_library(), level=2)]
    assert sugs and all(s.risk_level is None or s.risk_level in ("R1", "R2") for s in sugs)


@pytest.mark.parametrize("name", ["01_dingtou_inquiry", "07_cd_large_deposit"])
def test_calls_without_complaint_keep_their_pitch(name: str) -> None:
    out = _analyze(name)
    assert complaint_segment(parse(CallAnalysis, out)) is None
    assert all(s["kind"] != "recovery" for o in out["upsell_openings"] for s in o["suggestions"])
    assert all("steps" not in a for a in out["next_actions"])  # only a complaint's follow-up has steps


def test_live_complaint_brings_recovery_and_no_product() -> None:
    conv = LiveConversation(load_library(), {"customer_risk_level": "C3"})
    assert conv.add_turn("agent", "您好恒信银行客服小王", 0, 2) == ()
    events = conv.add_turn("customer", "你们卖的理财说好百分之四结果才一点几，再不处理我就打12378", 2.5, 7)
    kinds = [e.kind for e in events]
    assert kinds[0] == "recovery"
    rec = events[0].to_json()
    assert rec["type"] == "recovery" and rec["opening"]["type"] == "complaint"
    assert [s["script"] for s in rec["scripts"]] == RECOVERY_IDS
    for ev in events[1:]:  # the yield opening, if detected, is offered recovery, never a product
        assert all(s["product"] is None for s in ev.to_json()["scripts"])
    later = conv.add_turn("customer", "我那个大额存单下个月到期了", 8, 10)
    assert all(e.kind != "recovery" for e in later)  # once per call
    for ev in later:
        assert [s["script"] for s in ev.to_json().get("scripts", [])] in ([], RECOVERY_IDS)


def test_live_without_complaint_still_pitches() -> None:
    conv = LiveConversation(load_library(), {"customer_risk_level": "C3"})
    events = conv.add_turn("customer", "我那个理财下个月十五号到期了三十万", 0, 3)
    assert [e.kind for e in events] == ["suggestion"]
    assert any(s["product"] for s in events[0].to_json()["scripts"])


@pytest.mark.parametrize(("text", "levels"), [
    ("您的风险测评是稳健型，和这款产品匹配", ["C2"]),
    ("我们有一款一年期的稳健型理财，风险等级R2", []),  # the product's type, not the customer's
    ("您属于平衡型的客户", ["C3"]),
    ("这款是进取型产品", []),
])
def test_customer_type_in_words_is_a_customer_level(text: str, levels: list[str]) -> None:
    from nlp.entities import find_entities

    assert [e.value for e in find_entities(text) if e.type == "customer_risk_level"] == levels

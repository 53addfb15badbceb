"""upsell.recovery.complaint_segment (issue 12, round 8): a customer the intent model is sure
complains, with dissatisfaction the rules heard (risk ``low``), gets service recovery even
when the threat detector missed the threat and the call's main intent is something else
(a redemption made in anger); ``low`` risk without such a turn keeps its pitch."""

from __future__ import annotations

from core.result import CallAnalysis, ComplaintRisk, Intents, RiskEvidenceRecord, TurnIntentRecord


def _analysis(level: str, turns: tuple[tuple[int, str, float], ...], primary: str = "redemption") -> CallAnalysis:
    ev = (RiskEvidenceRecord(1, "排了两个小时的队 经理爱理不理", "表达不满：排了两个小时"),) if level != "none" else ()
    return CallAnalysis(
        intents=Intents(primary, (primary,), tuple(TurnIntentRecord(s, i, sc) for s, i, sc in turns)),
        complaint_risk=ComplaintRisk(level, ev),  # type: ignore[arg-type]
    )


def test_sure_complaint_turn_with_dissatisfaction_is_a_complaint() -> None:
    from upsell.recovery import complaint_segment

    a = _analysis("low", ((1, "redemption", 0.9), (3, "complaint", 0.92)))
    assert complaint_segment(a) == 3


def test_low_risk_without_a_sure_complaint_turn_keeps_the_pitch() -> None:
    from upsell.recovery import complaint_segment

    assert complaint_segment(_analysis("low", ((1, "redemption", 0.9), (3, "complaint", 0.55)))) is None
    assert complaint_segment(_analysis("low", ((1, "product_inquiry", 0.9),))) is None
    assert complaint_segment(_analysis("none", ((3, "complaint", 0.95),))) is None


def test_high_risk_and_complaint_intent_still_decide() -> None:
    from upsell.recovery import complaint_segment

    assert complaint_segment(_analysis("high", ((1, "redemption", 0.9),))) == 1
    assert complaint_segment(_analysis("low", ((2, "complaint", 0.6),), primary="complaint")) == 1


def test_upsell_records_on_a_complaint_gives_recovery_not_products() -> None:
    """Whatever openings fire, a complaint call's suggestions are recovery and its one next
    action the complaint's follow-up: bench.quality_blind counts neither as a pitch."""
    from callsight.pipeline import upsell_records
    from core.types import Segment, Transcript
    from upsell.scripts import load_library

    segs = (Segment("agent", 0, 2, "您好 这里是客服"),
            Segment("customer", 2, 6, "我那个定期下礼拜就到期了 有二十万 利息太低了 排队还排了两个小时"),
            Segment("agent", 6, 8, "非常抱歉"),
            Segment("customer", 8, 12, "钱到期了我全部取走 以后都不在你们那里存了"))
    openings, actions = upsell_records(Transcript(segs, 12.0, 2), {}, (), load_library(), complaint=3)
    assert all(s.kind == "recovery" and s.product is None for o in openings for s in o.suggestions)
    assert [a.action for a in actions] == ["complaint_follow_up"]

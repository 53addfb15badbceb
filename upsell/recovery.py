"""Product judgement on a complaining customer: service recovery, not a sales pitch.

Pure. A customer who is complaining (the call's complaint risk is ``high``, or its
main intent is a complaint) hears no product: a pitch then reads as not listening
and turns a complaint into a regulator's case. Whatever openings the customer's
words raised that the learned opening filter keeps stay detected, as facts about the
call, but their suggestions become the service-recovery steps below; the next action
is the complaint's follow-up, which carries those steps whether or not any opening was
kept (a grievance such as 收益才一点几 is no opening). After the call
(callsight.pipeline) and during it (upsell.during_call) the same judgement applies.

The recovery texts are fixed here rather than in the script library: they are no
marketing script, carry no product and no A/B variant, and a deployment's library
must not be able to turn them into a pitch.
"""

from __future__ import annotations

from functools import cache

from core.enums import IntentId
from core.result import CallAnalysis
from nlp.analyze import COMPLAINT_SURE
from upsell.next_actions import NextAction
from upsell.scripts import Suggestion

__all__ = ["RECOVERY_LIBRARY", "RECOVERY_SCRIPTS", "complaint_follow_up", "complaint_segment",
           "recovery_suggestions"]

RECOVERY_LIBRARY = "service-recovery"
# (script id, what the agent says); in the order an agent uses them.
RECOVERY_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("recovery.apology", "非常抱歉给您带来了不好的体验，您反映的问题我已经完整记录下来了，"
                         "这件事我们一定会认真核实处理。"),
    ("recovery.escalation", "您反映的情况我马上提交给我们的投诉处理专员和相关负责人，"
                            "由专人负责跟进，处理过程中有任何进展都会第一时间告知您。"),
    ("recovery.follow_up", "我们会在承诺的时限内给您回电，告知核实结果和处理方案；"
                           "在这之前您如果有新的情况，也可以随时联系我们。"),
)


@cache  # fixed texts: built once per process, not once per opening and again for the follow-up
def recovery_suggestions() -> tuple[Suggestion, ...]:
    """The service-recovery steps, as suggestions (kind ``recovery``, no product)."""
    return tuple(Suggestion(sid, "A", "recovery", None, text, RECOVERY_LIBRARY) for sid, text in RECOVERY_SCRIPTS)


def complaint_segment(analysis: CallAnalysis) -> int | None:
    """The customer turn that makes the call a complaint, from the conversation
    analysis (complaint risk, intents); None when the customer is not complaining.
    ``low`` risk alone (收益太低了) is dissatisfaction an adviser may answer with a
    better product; a complaint is ``high`` risk, the call's intent, or dissatisfaction
    the rules heard (``low``) in a turn the model is sure complains: the threat detector
    and the call's main intent can each miss a complaint (a threat misheard, a call about
    a redemption made in anger), and a pitch then must not depend on the one that failed."""
    # A turn the intent model is as sure of as nlp.analyze needs for a model-only complaint.
    turns = analysis.intents.turns if analysis.intents is not None else ()
    if analysis.complaint_level == "low":
        sure = next((t.segment for t in turns if t.intent == IntentId.complaint and t.score >= COMPLAINT_SURE), None)
        if sure is not None and analysis.primary_intent != IntentId.complaint:
            return sure
    if analysis.complaint_level != "high" and analysis.primary_intent != IntentId.complaint:
        return None
    if analysis.complaint_risk is not None and analysis.complaint_risk.evidence:
        return analysis.complaint_risk.evidence[0].segment
    return next((t.segment for t in turns if t.intent == IntentId.complaint), 0)


def complaint_follow_up(segment: int) -> NextAction:
    """The one next action of a complaint call: follow the complaint up; no pitch. It
    carries the service-recovery steps themselves: a complaint call need not keep any
    opening (a grievance such as 收益才一点几 is none), and the agent and QA must still
    see what to say."""
    return NextAction("complaint_follow_up", "*", segment,
                      "客户在投诉：先致歉并登记投诉，按流程升级处理，在承诺时限内回电告知处理结果；本次不做产品营销",
                      "high", script="recovery.follow_up",
                      steps=tuple(s.record() for s in recovery_suggestions()))

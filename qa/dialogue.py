"""Dialogue-structure operators: who asked, who answered, in which order.

Keyword lists recognise phrasings; a check such as identity verification is better
recognised by its shape. The agent asks for something only the customer knows (a
number of their ID card, the phone number they registered, their birth date) and
the customer supplies it in their next turn. ``answered`` expresses that shape:

.. code-block:: yaml

    answered:
      ask: {keywords: [身份证, 手机号, 出生]}   # evaluated on the asker's turns
      reply: {regex: "[0-9零一二三四五六七八九幺]{3,}"}   # on the other side's answer
      by: agent                                 # who asks (default agent)
      within: 2                                 # the answer comes in the next 1..N turns of the other side
      until: {regex: "记不清|是我妈"}            # optional: a reply that ends the exchange unanswered

It hits on the asking turn (so ``window: {before: ...}`` orders it against other
events), with the answering turn as further evidence. A request nobody answered, or
answered with a refusal the ``reply`` condition does not accept, is no hit. A reply that
meets ``until`` (the customer cannot recall, or gives another holder's data) closes the
exchange: a later turn of theirs that happens to meet ``reply`` answers something else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qa.conditions import MISS, Condition, EvalState, Match, compile_condition, fields, operator


@dataclass(frozen=True, slots=True)
class Answered(Condition):
    """An ``ask`` turn of ``by`` followed, within ``within`` turns of the other side, by a
    turn of theirs that meets ``reply``."""

    ask: Condition
    reply: Condition
    by: str
    within: int
    until: Condition | None = None

    def eval(self, st: EvalState, window: tuple[int, ...]) -> Match:
        segs = st.segments
        own = tuple(i for i in window if segs[i].speaker == self.by)
        if not own:
            return MISS
        # Text operators read the rule's scope by default: the ask is the asker's words,
        # the reply the other side's, whatever the rule's scope says.
        saved = st.scope
        try:
            st.scope = self.by
            asked = self.ask.eval(st, own)
            if not asked.hit:
                return MISS
            other = "customer" if self.by == "agent" else "agent"
            st.scope = other
            hits: list[int] = []
            for i in asked.segments:
                replies = [j for j in range(i + 1, len(segs)) if segs[j].speaker == other][: self.within]
                for j in replies:
                    if self.until is not None and self.until.eval(st, (j,)).hit:
                        break
                    if self.reply.eval(st, (j,)).hit:
                        hits.extend((i, j))
                        break
        finally:
            st.scope = saved
        return Match(True, tuple(sorted(set(hits))), asked.confidence) if hits else MISS

    def rule_refs(self) -> set[str]:
        refs = self.ask.rule_refs() | self.reply.rule_refs()
        return refs | self.until.rule_refs() if self.until is not None else refs


@operator("answered")
def _answered(arg: Any, where: str) -> Condition:
    f = fields(arg, where, ("ask", "reply"), ("by", "within", "until"))
    by = f.choice("by", ("agent", "customer"), "agent") or "agent"
    within = f.integer("within", 1, low=1, high=4) or 1  # turns of the other side
    until = compile_condition(f["until"], f"{where}.until") if "until" in f else None
    return Answered(compile_condition(f["ask"], f"{where}.ask"), compile_condition(f["reply"], f"{where}.reply"),
                    by, within, until)


__all__ = ["Answered"]

"""The outside writers' calls as courtesy training units (make_corpus.py).

Hand-written calls by writers outside the team (shipped for the call-intent model, and the
retired blind rounds). Their agents explain risks, refuse, warn about fraud and calm angry
customers in words no phrase bank anticipates; trained only on the team's phrasings the model
read that register (没办法跟您保证 / 您自己挑 / 不要告诉别人) as rude. Every open writer set is
used; wI and wJ stay out (with the current blind round) as the check on writers nobody studied.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))  # run as a script from this folder (make_corpus.py)

# Units are cut as qa.classifier.TextClassifier.score_turn cuts a turn.
from qa.classifier import WINDOW_CHARS as WINDOW  # noqa: E402
from qa.classifier import WINDOW_STEP as STEP  # noqa: E402

_CALLS = ROOT / "nlp" / "corpora" / "intents" / "calls"
WRITER_CALLS = [ROOT / "data" / "eval-blind" / f"r{k}" / "dialogues.jsonl" for k in (1, 2, 3)] + [
    _CALLS / f"{w}.jsonl" for w in ("w1", "wA", "wB", "wC", "wD", "wE", "wF", "wG", "wH")]
_SENTENCE_END = "。！？!?；;…"
# A writer's note quotes the rude line of a failed call: 坐席说“您这都不懂啊”.
_QUOTE = re.compile(r"[“\"「『]([^”\"」』]{3,40})[”\"」』]")


def _rows() -> list[dict]:
    return [json.loads(x) for p in WRITER_CALLS for x in p.read_text("utf-8").splitlines() if x.strip()]


def _agent(row: dict) -> list[str]:
    return [s["text"] for s in row["segments"] if s["speaker"] == "agent"]


def _bigrams(text: str) -> set[str]:
    han = re.sub(r"[^\u4e00-\u9fff]", "", text).replace("你", "您")
    return {han[i : i + 2] for i in range(len(han) - 1)}


def courteous_units() -> list[str]:
    """The agent's sentences in every writer call whose courtesy label is pass (every agent turn
    of such a call is courteous), cut as the classifier scores a turn: by sentence, and a long
    unpunctuated stretch in overlapping windows, so a unit's length tells nothing about its label."""
    units: set[str] = set()
    for row in _rows():
        if row["labels"].get("courtesy") != "pass":
            continue
        for text in _agent(row):
            for part in re.split(f"[{_SENTENCE_END}]+", text):
                bare = part.strip()
                if len(bare) < 6:
                    continue
                if len(bare) > WINDOW + STEP and not re.search(r"[，,、]", bare):
                    compact = bare.replace(" ", "")
                    units.update(compact[i : i + WINDOW] for i in range(0, len(compact) - STEP, STEP))
                else:
                    units.add(bare)
    return sorted(units)


def rude_units() -> list[str]:
    """The rude sentences of the writers' failed calls: the agent sentence that best covers a
    line the writer's note quotes (at least 60% of its character pairs), long enough to say
    something about tone. Notes that quote nothing add nothing; the rest of such a call is
    left out (it may hold rudeness the note did not quote)."""
    units: set[str] = set()
    for row in _rows():
        if row["labels"].get("courtesy") != "fail":
            continue
        sentences = [s.strip() for t in _agent(row) for s in re.split(f"[{_SENTENCE_END}]+", t) if len(s.strip()) >= 4]
        for quote in _QUOTE.findall(row.get("notes") or ""):
            qb = _bigrams(quote)
            if len(qb) < 3 or not sentences:
                continue
            cov, best = max((len(qb & _bigrams(s)) / len(qb), s) for s in sentences)
            if cov >= 0.6 and len(_bigrams(best)) >= 6:
                units.add(best)
    return sorted(units)

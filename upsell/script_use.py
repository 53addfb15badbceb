"""Did the agent use a suggested script? (营销话术测试)

Pure. An agent rarely reads an approved script word for word, and the transcript
has ASR errors (李财 for 理财) and no punctuation, so the match is fuzzy: both sides
are reduced to phonetic strings (qa.textfeat: one code per toneless syllable, zh/z,
ch/c, sh/s and -ng/-n merged), and the score is how much of the script's content the
agent said: the share of the script's phonetic character bigrams and trigrams
found in the agent's words. Bigrams made only of function characters (您 的 可以 一下
...) carry no content and are left out, as are boilerplate sentences the library
appends to every script (the risk disclosure, product notices), which an agent says
for compliance whether or not they used the script.

The agent's following turns are tried one at a time and two adjacent at a time (a
pitch is often split by a customer's 嗯). The threshold was set on a development
set and checked on a held-out set written with other phrasings
(tests/upsell/data/script_use.yaml; precision/recall in docs/upsell.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nlp.text import normalize
from qa.textfeat import PUNCT, phonetic

__all__ = ["USE_THRESHOLD", "ScriptUse", "script_similarity", "script_use"]

USE_THRESHOLD = 0.23  # midway between the dev set's highest non-use (0.16) and lowest use (0.30)
# Characters that carry no content on their own; a bigram of two of them is noise.
_FUNCTION_CHARS = frozenset("您你我他她它们的了是在有和与就也都还要会能可以这那个一下些点吗吧呢啊呀嘛哦嗯给帮把对为让"
                            "请问好如果时候什么怎么样看说想做来去上中后前里再很比较更最又")
_DIGITS = frozenset("0123456789")


@dataclass(frozen=True, slots=True)
class ScriptUse:
    used: bool
    score: float  # 0..1: share of the script's content the best window said
    segment: int | None  # the agent segment (first of the window) that matched best; None without agent turns


def _bare(text: str) -> str:
    return "".join(c for c in normalize(text, compact=True) if c not in PUNCT)


def _content_grams(text: str, n: int) -> set[str]:
    """Phonetic n-grams of ``text`` that hold at least one content character."""
    bare = _bare(text)
    pho = phonetic(bare)
    out: set[str] = set()
    for i in range(len(bare) - n + 1):
        chars = bare[i : i + n]
        if all(c in _FUNCTION_CHARS or c in _DIGITS for c in chars):
            continue
        out.add(pho[i : i + n])
    return out


def _strip(script: str, boilerplate: Sequence[str]) -> str:
    for sentence in boilerplate:
        if sentence:
            script = script.replace(sentence, "")
    return script


def _weights(body: str, background: Sequence[str], n: int) -> dict[str, float]:
    """The script's content n-grams, each weighted down by how many other library texts
    share it: 风险测评结果匹配的前提下 is in every investment script and says little about
    which one the agent read; the words that set this script (and variant) apart count most."""
    want = _content_grams(body, n)
    df = dict.fromkeys(want, 0)
    for other in background:
        for g in want & _content_grams(other, n):
            df[g] += 1
    return {g: 1.0 / (1.0 + df[g]) for g in want}


def script_similarity(script: str, said: str, *, boilerplate: Sequence[str] = (),
                      background: Sequence[str] = ()) -> float:
    """Weighted share of the script's content n-grams (bigrams and trigrams, averaged) in ``said``."""
    body = _strip(script, boilerplate)
    scores = []
    for n in (2, 3):
        weights = _weights(body, background, n)
        total = sum(weights.values())
        if not total:
            continue
        have = _content_grams(said, n)
        scores.append(sum(w for g, w in weights.items() if g in have) / total)
    return sum(scores) / len(scores) if scores else 0.0


def script_use(script: str, agent_turns: Sequence[tuple[int, str]], *, boilerplate: Sequence[str] = (),
               background: Sequence[str] = (), threshold: float = USE_THRESHOLD) -> ScriptUse:
    """Best match of ``script`` over the agent's turns ``(segment, text)`` (in call order),
    each alone and each with the next one. ``background``: the library's other script
    texts (n-grams they share count less); ``boilerplate``: sentences to ignore."""
    singles = [script_similarity(script, text, boilerplate=boilerplate, background=background)
               for _, text in agent_turns]
    best, where = 0.0, None
    for k, score in enumerate(singles):
        if score > best:
            best, where = score, agent_turns[k][0]
    # A pitch split over two turns; it is credited to the turn that said more of it.
    for k in range(len(agent_turns) - 1):
        score = script_similarity(script, agent_turns[k][1] + agent_turns[k + 1][1], boilerplate=boilerplate,
                                  background=background)
        if score > best + 1e-9:
            best = score
            where = agent_turns[k if singles[k] >= singles[k + 1] else k + 1][0]
    return ScriptUse(best >= threshold, round(best, 3), where)

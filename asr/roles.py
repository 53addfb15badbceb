"""Who is speaking on a mono recording, from what is said.

A mono call gives Whisper segments without speakers. Agents greet and name the
institution, state a 工号, offer help and close formally; customers say what they
want. Each segment gets cue scores; a two-state hidden Markov model (turns tend to
alternate, the agent usually speaks first) combines them, and forward-backward
posteriors give both the labels and a per-call confidence: the mean posterior of the
chosen labels, so a call with no cues at all scores near 0.5, not 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

AGENT_CUES: tuple[tuple[str, float], ...] = (
    (r"您好|你好", 1.0),
    (r"这里是|欢迎致电|感谢致电|很高兴为您服务", 2.0),
    (r"银行|支行|理财中心|客服中心|证券|基金公司", 1.0),
    (r"工号|编号", 2.5),
    (r"我是.{0,6}(经理|客服|专员|顾问)", 2.5),
    (r"请问.{0,8}(帮您|为您|需要)|还有什么可以|有什么可以帮", 2.5),
    (r"为您|帮您|给您|您的|请您|麻烦您|您看|您这边", 1.2),
    (r"核实|验证|身份证.{0,4}后|预留手机", 1.2),
    (r"风险|测评|产品|收益率|业绩比较基准", 0.6),
    (r"感谢您|祝您|再见|稍等", 1.0),
)
CUSTOMER_CUES: tuple[tuple[str, float], ...] = (
    (r"我想|我要|我的|我那个|帮我|给我|我这个|我之前|我买|我存", 1.5),
    (r"能不能|可不可以|怎么办|为什么|是不是|多少钱|多久", 1.0),
    (r"你们", 1.5),
    (r"投诉|不满意|太差|搞什么", 1.5),
    (r"好的谢谢|谢谢你|行吧|那好吧", 0.8),
)
_A = [(re.compile(p), w) for p, w in AGENT_CUES]
_C = [(re.compile(p), w) for p, w in CUSTOMER_CUES]
P_SWITCH = 0.65  # consecutive Whisper segments change speaker a bit more often than not
P_AGENT_FIRST = 0.75


def cue_score(text: str) -> float:
    """Positive: sounds like the agent; negative: like the customer."""
    a = sum(w for rx, w in _A if rx.search(text))
    c = sum(w for rx, w in _C if rx.search(text))
    return a - c


def _emission(score: float) -> tuple[float, float]:
    """P(text | agent), P(text | customer) up to a common factor."""
    p_agent = 1.0 / (1.0 + math.exp(-0.9 * score))
    return p_agent, 1.0 - p_agent


def _switch_prob(gap: float | None) -> float:
    """A change of speaker usually comes with a pause; a piece that follows its
    predecessor at once (a sentence end inside one breath) is usually the same voice."""
    if gap is None:
        return P_SWITCH
    return 0.2 if gap < 0.3 else 0.7


def assign_roles(texts: Sequence[str], gaps: Sequence[float] | None = None) -> tuple[list[str], float]:
    """Speaker per segment ("agent"/"customer") and the call's role confidence.
    ``gaps[i]``: seconds between piece i-1's end and piece i's start (optional)."""
    n = len(texts)
    if n == 0:
        return [], 1.0
    em = [_emission(cue_score(t)) for t in texts]

    def trans(i: int) -> tuple[tuple[float, float], tuple[float, float]]:
        p = _switch_prob(gaps[i] if gaps is not None else None)
        return ((1 - p, p), (p, 1 - p))

    fwd: list[tuple[float, float]] = []
    prev = (P_AGENT_FIRST * em[0][0], (1 - P_AGENT_FIRST) * em[0][1])
    s = sum(prev)
    prev = (prev[0] / s, prev[1] / s)
    fwd.append(prev)
    for i in range(1, n):
        t = trans(i)
        cur = tuple(em[i][k] * (prev[0] * t[0][k] + prev[1] * t[1][k]) for k in (0, 1))
        s = sum(cur)
        prev = (cur[0] / s, cur[1] / s)
        fwd.append(prev)
    bwd: list[tuple[float, float]] = [(1.0, 1.0)] * n
    for i in range(n - 2, -1, -1):
        nxt = bwd[i + 1]
        t = trans(i + 1)
        cur = tuple(sum(t[k][j] * em[i + 1][j] * nxt[j] for j in (0, 1)) for k in (0, 1))
        s = sum(cur)
        bwd[i] = (cur[0] / s, cur[1] / s)
    labels: list[str] = []
    conf = 0.0
    for f, b in zip(fwd, bwd, strict=True):
        pa, pc = f[0] * b[0], f[1] * b[1]
        z = pa + pc
        pa /= z
        labels.append("agent" if pa >= 0.5 else "customer")
        conf += max(pa, 1 - pa)
    return labels, conf / n

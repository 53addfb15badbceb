"""The bundled sample calls end to end: what the analysis finds on the real ASR
output against what each call was written to contain, next to the same analysis on
the reference transcript (separates ASR-caused misses from rule/model misses).

    .venv/bin/python -m bench.quality_calls     (part of `python -m bench.quality`)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CALLS = REPO / "samples" / "calls"

# What each call was written to contain (samples/README.md): failed rules, complaint
# risk and the main intent(s) acceptable as primary.
EXPECTED: dict[str, tuple[set[str], str, set[str]]] = {
    # 定投怎么弄 then 我回头在手机上弄一下: asking how to start one is read as purchase too.
    "01_dingtou_inquiry": (set(), "none", {"product_inquiry", "purchase"}),
    "02_cd_recommend_disclosed": (set(), "none", {"product_inquiry", "purchase"}),
    "03_cx_recommend_no_disclosure": ({"risk_disclosure", "suitability"}, "none", {"purchase", "product_inquiry"}),
    # Written for the promise, but the agent also pitches the 理财 without any reference to
    # the customer's risk assessment: a suitability failure by the rule's own definition.
    "04_gx_guaranteed_promise": ({"forbidden_promise", "suitability"}, "none", {"purchase", "product_inquiry"}),
    "05_cx_complaint_12378": (set(), "high", {"complaint"}),
    # 我们也有新的一年期产品 pitched without the risk assessment: suitability fails here too.
    "06_gx_redemption": ({"suitability"}, "none", {"redemption"}),
    "07_cd_large_deposit": (set(), "none", {"product_inquiry", "returns_inquiry"}),
    "08_cx_risk_mismatch": (set(), "none", {"purchase", "risk_assessment", "product_inquiry"}),
}


def _failed(result: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in result["compliance"]["findings"] if f["applicable"] and not f["passed"]}


def report() -> str:
    from callsight import runtime
    from callsight.analyze import analyze_file
    from callsight.config import settings

    lines = ["## Sample calls end to end (real ASR vs reference transcript)", "",
             "| call | source | wrong rule verdicts | complaint risk | primary intent |", "|---|---|---|---|---|"]
    totals = {"audio": [0, 0], "transcript": [0, 0]}
    for name, (violations, risk, intents) in EXPECTED.items():
        audio = CALLS / f"{name}.opus"
        if not audio.exists():
            continue
        for source, path in (("audio", audio), ("transcript", audio.with_suffix(".json"))):
            result = analyze_file(path, meta={}, engine=runtime.asr_engine, analyzers=runtime.analyzers(),
                                  channel_map=runtime.channel_map, max_duration_s=settings.max_duration_s).to_json()
            failed = _failed(result)
            wrong = sorted((failed - violations) | (violations - failed))
            got_risk = result["complaint_risk"]["level"]
            got_intent = result["intents"]["primary"]
            totals[source][0] += len(wrong) + (got_risk != risk) + (got_intent not in intents)
            totals[source][1] += 1
            lines.append(f"| {name} | {source} | {', '.join(wrong) or '—'} | "
                         f"{got_risk}{'' if got_risk == risk else ' ✗ (want ' + risk + ')'} | "
                         f"{got_intent}{'' if got_intent in intents else ' ✗'} |")
    lines += ["", "Errors per call (wrong rule verdicts + wrong risk + wrong intent): "
              + ", ".join(f"{k} {v[0]}/{v[1]} calls" for k, v in totals.items())
              + ". The gap between the two rows of a call is what ASR errors cost "
              "(e.g. 恒信银行 heard as 航信银航 defeats the greeting's institution check).", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())

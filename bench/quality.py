"""Regenerate docs/quality.md: accuracy of every classifier and rule on data the
models never trained on, plus the public cross-checks.

    .venv/bin/python -m bench.quality
"""

from __future__ import annotations

import time
from pathlib import Path

from bench import (
    quality_blind,
    quality_calls,
    quality_independent,
    quality_nlp,
    quality_qa,
    quality_topics,
    quality_upsell,
)

REPO = Path(__file__).resolve().parent.parent

HEADER = """# Quality

Regenerate: `.venv/bin/python -m bench.quality` (last run {stamp}). Every figure below is
computed by that command from data in this repository (and, where present, the public data
in ../shared/eval-public, read at run time and never copied here).

How to read these numbers: the training corpora and the labelled dialogues were written for
this project by generator scripts (data/intents/make_corpus.py, data/qa/generate.py) with many
templates, colloquial variants, homophone ASR errors (李财/鸡金/定头/保笨), fillers and no
punctuation; the held-out sets are written with different phrasings. They were written by the
same team that wrote the rules, so they are optimistic. The figures to trust come first: the
newest **blind round** (data/eval-blind/: written by a writer who never saw the product, frozen
before the round's work, never read by the people who tune it; only these aggregates are
computed, with 95 % intervals), then the held-out half of two sets written blind by other
analysts (data/eval-independent/), then the cross-domain checks on public data. Known weak
spots are listed in each section.
"""


def blind_section() -> list[str]:
    """Newest blind round first: after (measured now), then before (measured on the code
    the round was frozen against, kept in the round's BASELINE.md)."""
    out: list[str] = []
    for name in reversed(quality_blind.rounds()):
        folder = quality_blind.BLIND / name
        retired = folder / "RETIRED.md"
        if retired.exists():  # a later round took its place: it has been studied since
            out += [f"## Round {name} (retired: studied since, no longer blind)", "",
                    retired.read_text(encoding="utf-8").strip(), "", "Now:", "", *quality_blind.run(name)]
        else:
            out += [f"## Blind round {name} (written blind, never read here)", "",
                    f"How it was written: data/eval-blind/{name}/README.md. Now:", "", *quality_blind.run(name)]
        base = folder / "BASELINE.md"
        if base.exists():
            out += ["Before this round's work (same scorer, code of the round's freeze):", "",
                    base.read_text(encoding="utf-8").strip(), ""]
    return out


def main() -> None:
    text = "\n".join([HEADER.format(stamp=time.strftime("%Y-%m-%d %H:%M")), *blind_section(),
                      quality_independent.report(), "",
                      quality_nlp.report(), "",
                      quality_qa.report(), "", quality_upsell.report(), "", quality_topics.report(), "",
                      quality_calls.report()])
    (REPO / "docs" / "quality.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

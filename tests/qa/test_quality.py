"""The labelled dialogues: quality bar on dev and held-out, zero false promises on hard negatives."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.quality_qa import DATA, load_jsonl, score_rows
from qa import load_pack

PACK = load_pack()


def _counts(split: str) -> dict[str, Counter[str]]:
    path = DATA / f"{split}.jsonl"
    if not path.exists():
        pytest.skip(f"{path} missing")
    counts, _ = score_rows(load_jsonl(path), PACK)
    return counts


def test_hard_negatives_have_no_false_forbidden_promise() -> None:
    c = _counts("hard")
    assert c["forbidden_promise"]["fp"] == 0
    assert c["courtesy"]["fp"] == 0


# dev: the bar. heldout (different phrasings): a regression floor below the bar,
# which it does not meet yet for every rule (see bench/quality_qa.py's report).
@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_precision_recall_bar(split: str) -> None:
    floor_p, floor_r = (0.9, 0.85) if split == "dev" else (0.75, 0.65)
    for rule, c in _counts(split).items():
        tp, fp, fn = c["tp"], c["fp"], c["fn"]
        if tp + fn:
            assert tp / (tp + fp or 1) >= floor_p, (split, rule, c)
            assert tp / (tp + fn) >= floor_r, (split, rule, c)

"""An adversarial set of personal and ordinary numbers as call transcripts carry them
(tests/nlp/data/pii_adversarial.jsonl, written for this test, not from product data):
ID cards, mobiles, cards, landlines and securities accounts read out in every form
(grouped, with fillers, spoken, full-width, split over two turns, labelled by the
agent's question), and hard negatives (amounts, rates, dates, times, 工号, ticket and
product numbers, card tails, codes, service lines). A personal number counts as shown
when all its digits are visible in one run; an ordinary one must stay readable."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from callsight.privacy import mask_result
from nlp.pii import mask_turns

ROWS = [json.loads(line) for line in
        (Path(__file__).parent / "data" / "pii_adversarial.jsonl").read_text(encoding="utf-8").splitlines()]

_NUMERALS = {**{str(i): str(i) for i in range(10)}, **{chr(0xFF10 + i): str(i) for i in range(10)},
             "零": "0", "〇": "0", "洞": "0", "一": "1", "幺": "1", "二": "2", "两": "2", "三": "3", "四": "4",
             "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
# What a reader skips between the digits of one number (a generous judge: fillers too).
_SKIPPED = set(" \u3000\t-—–_,，、.。:：;；/()（）+嗯呃额啊哦")


def shown_runs(text: str) -> list[str]:
    """The digit runs a reader sees in ``text``, normalised (X for the check character)."""
    text = text.replace("艾克斯", "X").replace("爱克斯", "X")
    out, cur = [], []
    for ch in text:
        if ch in _NUMERALS:
            cur.append(_NUMERALS[ch])
        elif ch in "Xx叉Ｘｘ":
            cur.append("X")
        elif ch not in _SKIPPED and cur:
            out.append("".join(cur))
            cur = []
    return [*out, "".join(cur)] if cur else out


def leaks(row: dict[str, Any], texts: list[str], others: tuple[str, ...] = ()) -> list[str]:
    """The row's personal numbers visible in its masked turns (each turn, and each
    speaker's turns read on together) or in any other shown text."""
    runs = [r for t in [*texts, *others] for r in shown_runs(t)]
    for speaker in {t["speaker"] for t in row["turns"]}:
        runs += shown_runs(" ".join(t for t, turn in zip(texts, row["turns"], strict=True)
                                    if turn["speaker"] == speaker))
    return [p for p in row["pii"] if any(p.upper() in r for r in runs)]


def over_masked(row: dict[str, Any], texts: list[str]) -> bool:
    runs = [r for t in texts for r in shown_runs(t)]
    if not row["pii"] and not row["keep"]:
        return texts != [t["text"] for t in row["turns"]]
    return any(not any(k in r for r in runs) for k in row["keep"])


def test_set_is_large_and_adversarial_enough() -> None:
    assert len(ROWS) >= 80
    assert sum(1 for r in ROWS if not r["pii"]) >= 30
    assert {r["form"] for r in ROWS} == {"clean", "asr"}


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['id']}-{r['note']}" for r in ROWS])
def test_masked_turns_show_no_personal_number_and_keep_ordinary_ones(row: dict[str, Any]) -> None:
    texts = mask_turns([(t["speaker"], t["text"]) for t in row["turns"]])
    assert leaks(row, texts) == []
    assert not over_masked(row, texts), texts
    assert [len(t) for t in texts] == [len(t["text"]) for t in row["turns"]]


def test_numbers_quoted_without_their_label_are_masked_in_every_field() -> None:
    """A keyword or a summary's clause quotes the number without the label (in the turn,
    or in the agent's question before it) that made it one: masked all the same."""
    doc = {"call": "c1",
           "segments": [{"speaker": "agent", "start": 0.0, "end": 1.0, "text": "资金账号报一下"},
                        {"speaker": "customer", "start": 1.0, "end": 3.0, "text": "66012345，对"},
                        {"speaker": "customer", "start": 3.0, "end": 5.0, "text": "证券账户是 A123456789"}],
           "keywords": ["a123456789", "六六零幺二三四五"],
           "summary": "客户报了账号：“66012345”。",
           "findings": [{"evidence": "123456789"}]}
    shown = mask_result(doc)
    assert shown["keywords"][0] == "a*****6789"
    for text in [*shown["keywords"], shown["summary"], shown["findings"][0]["evidence"],
                 *(s["text"] for s in shown["segments"])]:
        assert not any(n in r for r in shown_runs(text) for n in ("66012345", "123456789")), text
    assert shown["call"] == "c1"


# The whole set through analyze_file + mask_result (the real path, every field of the
# result) is bench work, not a unit test: under the test settings it takes minutes.

"""Hesitation fillers go; words that look like them stay (pure functions, no services)."""

from __future__ import annotations

import pytest

from nlp.text import normalize, strip_fillers


@pytest.mark.parametrize(("raw", "compact"), [
    ("都唔知点安排", "都唔知点安排"),  # Cantonese 唔 = 不: "don't know", not "know"
    ("呢只产品唔会蚀嘅", "呢只产品唔会蚀嘅"),
    ("唔该晒", "唔该晒"),
    ("唔，我想问下", ",我想问下"),  # a hesitation before a pause
    ("唔唔 好", "好"),
    ("保呃本", "保本"),
    ("嗯嗯对", "对"),
])
def test_compact_form_drops_hesitations_not_cantonese_negation(raw: str, compact: str) -> None:
    assert normalize(raw, compact=True) == compact


def test_strip_fillers_keeps_cantonese_negation() -> None:
    assert strip_fillers("嗯 我都唔知点安排") == "我都唔知点安排"
    assert strip_fillers("唔 我想问下") == "我想问下"

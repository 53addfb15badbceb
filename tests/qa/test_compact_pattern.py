"""Rule regexes written with full-width punctuation read the compact text (， → ,  ？ → ?).

normalize(compact=True) applies NFKC, so the text a rule regex runs on holds ASCII , ? ! ;
where the pattern's author wrote ，？！；. qa.textfeat.compact_pattern rewrites the pattern
once, where rules are compiled.
"""

from __future__ import annotations

import re

import pytest

from nlp.text import normalize
from qa.textfeat import compact_pattern, phonetic, phonetic_pattern
from tests.qa.helpers import call
from tests.qa.test_operators import hit

WINDOW = "[^，。！？]{0,6}"


def test_window_stops_at_a_compact_question_or_exclamation_mark() -> None:
    text = normalize("这个产品稳吗？到期保证还本", compact=True)
    assert "?" in text  # the premise: NFKC turned ？ into ?
    assert re.search("产品" + WINDOW + "到期", text) is not None  # the defect: runs across the sentence end
    assert re.search(compact_pattern("产品" + WINDOW + "到期"), text) is None
    assert re.search(compact_pattern("保证" + WINDOW + "还本"), text) is not None  # one clause still matches
    assert re.search(compact_pattern("太好了！" + WINDOW), normalize("太好了！", compact=True)) is not None


def test_window_stops_at_the_comma_it_names() -> None:
    # A window written with ， stays within its clause in the compact text as well.
    text = normalize("这只很稳的，和定期差不多", compact=True)
    assert re.search(compact_pattern("稳" + WINDOW + "和定期"), text) is None
    # a window meant to run over two clauses leaves the comma out of its class
    assert re.search(compact_pattern("稳[^。！？]{0,6}和定期"), text) is not None


def test_literal_fullwidth_marks_match_compact_text() -> None:
    text = normalize("您好，请问是陈女士吗？", compact=True)
    assert re.search("您好，请问", text) is None
    assert re.search(compact_pattern("您好，请问"), text) is not None
    assert re.search(compact_pattern("女士吗？$"), text) is not None
    # ？ outside a class becomes an escaped ?, not a quantifier
    assert re.fullmatch(compact_pattern("吗？"), "吗") is None


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("[^，。！？]", "[^，。！？!,\\?]"),  # a window stops at the comma too
        ("[，。！]", "[，。！!,]"),
        ("a，b", "a,b"),
        ("（注）", "\\(注\\)"),
        ("[，,\\s]*", "[，,\\s]*"),  # already holds the ASCII form
        ("(?<=[，。])x", "(?<=[，。,])x"),  # lookbehind keeps its width
        ("\\，", ","),
        ("。、“", "。、“"),  # marks NFKC keeps are left alone
        ("[！-～]", "[！-～!\\~]"),  # a range stays whole; its ends' ASCII forms go at the end
    ],
)
def test_rewrite(pattern: str, expected: str) -> None:
    assert compact_pattern(pattern) == expected
    assert compact_pattern(expected) == expected  # idempotent
    re.compile(expected)


def test_unterminated_class_left_for_re_to_report() -> None:
    assert compact_pattern("a[，") == "a[，"


def test_phonetic_pattern_rewrites_punctuation_too() -> None:
    text = phonetic(normalize("利息高吗？保本", compact=True))
    assert re.search(phonetic_pattern("利息" + WINDOW + "保本"), text) is None
    assert re.search(phonetic_pattern("高吗？保本"), text) is not None


def test_rule_regex_operator_reads_compact_punctuation() -> None:
    spread = call(("agent", "收益挺高的！保证不亏"))
    assert not hit('regex: "收益[^，。！？]{0,6}保证"', spread)
    assert hit('regex: "的！保证"', spread)
    assert hit('regex: {pattern: "高的！保证", phonetic: true}', spread)
    assert hit('regex: "高的，保证"', call(("agent", "收益挺高的，保证不亏")))


def test_rule_exclude_reads_compact_punctuation() -> None:
    t = call(("agent", "不是我说的，保本理财"))
    assert not hit('regex: {pattern: "保本", exclude: "说的，"}', t)
    # an exclude window stays in its sentence: 不是 in the question before does not reach 保本
    assert hit('regex: {pattern: "保本", exclude: "不是[^？。]{0,3}保本"}', call(("agent", "不是吗？保本理财")))

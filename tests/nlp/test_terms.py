"""The sound-based term corrector (nlp/terms.py): misheard terms read back, ordinary
words left alone, offsets kept. Sentences are written for these tests; most misspellings
here appear in no corpus and no table, so they pass only if matching by sound works."""

from __future__ import annotations

import pytest

from core.types import Segment, Transcript
from nlp.terms import TermCorrector, default_corrector, syllable_key
from nlp.text import fix_asr_terms
from nlp.view import TextView


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("我那个李财下个月到其了", "我那个理财下个月到期了"),
        ("理才", "理财"),
        ("营航的鸡金风显大不大", "银行的基金风险大不大"),
        # Misspellings nobody listed: every confusion the brief names, by sound alone.
        ("这款铲品的额渡是多少", "这款产品的额度是多少"),  # c/ch
        ("七日连化收益是多少", "七日年化收益是多少"),  # n/l
        ("这个脏户冻结了", "这个账户冻结了"),  # z/zh
        ("今年有没有痕红", "今年有没有分红"),  # f/h
        ("存款利率多少 定其三年的", "存款利率多少 定期三年的"),  # the whole of a short term
        ("手机云航上能买吗", "手机银行上能买吗"),  # a near syllable inside a long term
        ("我要头诉你们", "我要投诉你们"),
    ],
)
def test_misheard_terms_are_read_back(heard: str, meant: str) -> None:
    out = default_corrector().correct(heard)
    assert out == meant
    assert len(out) == len(heard)  # same length: spans found in the result index the input


@pytest.mark.parametrize(
    "text",
    [
        "我想转到其他银行",  # 到其 cuts 其他: no 到期
        "整理才发现少了一笔",  # 理才 cuts 整理
        "我们一行人去网点",  # 一行 is a word
        "受益人写的是我女儿",  # 受益 is a word, not 收益
        "鲍先生您好",  # 鲍先 cuts 先生
        "一般五到七个工作日到账",  # 到七 cuts 七个
        "书回收站里找找",
        "您好，我是鑫泰银行理财经理，这款理财产品有风险，过往业绩不代表未来表现。",
        "航",  # one syllable is never a term
        "APP上查R3",
    ],
)
def test_ordinary_words_stay(text: str) -> None:
    assert default_corrector().correct(text) == text


def test_deployment_vocabulary() -> None:
    heard = "您好 这里是新泰营航信用卡中心"
    assert default_corrector().correct(heard) == "您好 这里是新泰银行信用卡中心"
    assert TermCorrector(["鑫泰银行"]).correct(heard) == "您好 这里是鑫泰银行信用卡中心"
    # A term that is not all Chinese, or a single character, is not a term to correct into.
    assert TermCorrector(["R3", "卡"]).terms == default_corrector().terms


def test_corrections_report_spans_of_the_original() -> None:
    text = "那个鸡金风显大不大"
    fixes = default_corrector().corrections(text)
    assert [(c.heard, c.term) for c in fixes] == [("鸡金", "基金"), ("风显", "风险")]
    assert all(text[c.start:c.end] == c.heard for c in fixes)


def test_confusions_fold_only_what_the_brief_names() -> None:
    assert syllable_key("shi") == syllable_key("si")
    assert syllable_key("ying") == syllable_key("yin")
    assert syllable_key("nian") == syllable_key("lian")
    assert syllable_key("fen") == syllable_key("hen")
    assert syllable_key("ji") != syllable_key("qi")
    assert syllable_key("yun") != syllable_key("yin")


def test_variant_spellings() -> None:
    assert fix_asr_terms("我的帐户和身分证") == "我的账户和身份证"


def test_view_reads_corrected_text_and_keeps_the_original() -> None:
    said = "您好 新泰营航 您的李财到其了"
    transcript = Transcript((Segment("agent", 0.0, 3.0, said),), 3.0, 1)
    seg = TextView.of(transcript, TermCorrector(["鑫泰银行"]))[0]
    assert seg.text == said
    assert seg.fixed == "您好 鑫泰银行 您的理财到期了"
    assert "鑫泰银行" in seg.normalised and "理财" in seg.clean
    # Without the deployment's vocabulary only the built-in lexicon applies.
    assert TextView.of(transcript)[0].fixed == "您好 新泰银行 您的理财到期了"


def test_a_configured_name_keeps_its_characters() -> None:
    # 蜀汇 sounds like 赎回; once the deployment lists its institution 蜀汇基金, the name is
    # a correctly spelt term whose characters stay, while a real misspelling is still read back.
    heard = "这里是蜀汇基金直销客服 您要书回多少"
    assert TermCorrector(["蜀汇基金"]).correct(heard) == "这里是蜀汇基金直销客服 您要赎回多少"

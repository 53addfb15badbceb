"""Operators one by one, through tiny single-rule packs compiled from YAML text."""

from __future__ import annotations

import pytest

from core.result import CallAnalysis, Intents
from nlp.text import normalize
from qa import evaluate, load_rules_text
from qa.negation import is_hypothetical, is_negated, is_question
from tests.qa.helpers import call, timed

HEAD = "rules:\n  - id: r\n    title: 测试\n    mode: must_not\n    scope: {scope}\n    condition:\n"


def hit(cond_yaml: str, transcript, scope: str = "agent", **kw) -> bool:  # type: ignore[no-untyped-def]
    body = "\n".join("      " + line for line in cond_yaml.strip().splitlines())
    pack = load_rules_text(HEAD.format(scope=scope) + body)
    return not evaluate(transcript, pack, **kw).finding("r").passed


def test_keywords_match_homophone_asr_errors() -> None:
    assert hit("keywords: [理财, 基金定投]", call(("agent", "我给您推荐一款李财产品")))
    assert hit("keywords: [基金定投]", call(("agent", "可以做个鸡金定头")))
    assert not hit("keywords: [基金定投]", call(("agent", "可以做个定期存款")))


def test_keywords_plain_characters_when_phonetic_off() -> None:
    assert not hit("keywords: {terms: [理财], phonetic: false}", call(("agent", "李财产品")))
    assert hit("keywords: {terms: [理财], phonetic: false}", call(("agent", "理財產品")))  # Traditional → Simplified


def test_scope_agent_ignores_customer() -> None:
    t = call(("customer", "这个保本吗"), ("agent", "您好"))
    assert not hit("keywords: [保本]", t)
    assert hit("keywords: [保本]", t, scope="customer")


def test_word_mode_needs_jieba_boundaries() -> None:
    assert hit("keywords: {terms: [本金], word: true}", call(("agent", "本金会有损失")))
    assert not hit("keywords: {terms: [金会], word: true}", call(("agent", "本金会有损失")))


def test_near_proximity() -> None:
    cond = "keywords: {terms: [身份证], near: [后四位], within: 4}"
    assert hit(cond, call(("agent", "请报一下身份证号码后四位")))
    assert not hit(cond, call(("agent", "身份证带了吗，我们这边需要您说一下最近的交易金额后四位")))


def test_phrase_ordered() -> None:
    cond = "phrase: {groups: [[推荐], [基金]], within: 10, ordered: true}"
    assert hit(cond, call(("agent", "给您推荐一只债券基金")))
    assert not hit(cond, call(("agent", "这只基金我不推荐")))


def test_regex_with_exclude() -> None:
    cond = 'regex: {pattern: "保本", exclude: "存款|存单"}'
    assert hit(cond, call(("agent", "这个理财是保本的")))
    assert not hit(cond, call(("agent", "大额存单是保本的")))


def test_negation_filter() -> None:
    cond = "keywords: {terms: [保本, 保证收益, 不会亏], negation: exclude}"
    assert hit(cond, call(("agent", "这个产品保本的")))
    assert hit(cond, call(("agent", "您放心绝对不会亏")))
    negated = ["这个产品不保本", "我们不能保证收益", "不能保证不会亏", "保本这个我们不能承诺",
               "不保笨的", "没有保本的了"]
    for text in negated:
        assert not hit(cond, call(("agent", text))), text


def test_hypothesis_and_question_filters() -> None:
    cond = "keywords: {terms: [保本], hypothesis: exclude, question: exclude}"
    assert not hit(cond, call(("agent", "如果您想要保本的话建议存定期")))
    assert not hit(cond, call(("agent", "您是想找保本的吗")))
    assert hit(cond, call(("agent", "如果您有闲钱的话这款产品保本")))  # the conditional closed before the term


def test_negation_helpers_direct() -> None:
    t = normalize("这个产品不保本", compact=True)
    i = t.index("保本")
    assert is_negated(t, i, i + 2)
    t = normalize("您不用担心肯定保本", compact=True)
    i = t.index("保本")
    assert not is_negated(t, i, i + 2)
    t = "您说的保本啊"
    assert is_hypothetical(t, 3, 5)
    t = "这个保本吗"
    assert is_question(t, 2, 4)


def test_similar_sentence_robust_to_homophones_and_no_punctuation() -> None:
    cond = "similar: {examples: [理财非存款产品有风险投资须谨慎], threshold: 0.7}"
    assert hit(cond, call(("agent", "嗯那个李财非村款产品有疯险投资须谨慎啊")))
    assert not hit(cond, call(("agent", "这个产品收益挺高的您考虑一下")))


def test_window_first_last_turns_and_anchor() -> None:
    t = call(("agent", "您好"), ("customer", "喂"), ("agent", "再见"))
    assert hit("window: {first_turns: 1, of: {keywords: [您好]}}", t)
    assert not hit("window: {first_turns: 1, of: {keywords: [再见]}}", t)
    assert hit("window: {last_turns: 1, of: {keywords: [再见]}}", t)
    assert hit("window: {first_seconds: 1, of: {keywords: [您好]}}", t)
    assert hit("window: {before: {keywords: [再见]}, of: {keywords: [您好]}}", t)
    assert not hit("window: {after: {keywords: [再见]}, of: {keywords: [您好]}, inclusive: false}", t)


def test_occurrence_nth() -> None:
    t = call(("agent", "稍等"), ("customer", "好"), ("agent", "稍等"), ("agent", "稍等一下"))
    assert hit("occurrence: {n: 3, of: {keywords: [稍等]}}", t)
    assert not hit("occurrence: {n: 4, of: {keywords: [稍等]}}", t)


def test_and_or_not() -> None:
    t = call(("agent", "推荐一款基金"))
    assert hit("all: [{keywords: [推荐]}, {keywords: [基金]}]", t)
    assert not hit("all: [{keywords: [推荐]}, {keywords: [保险]}]", t)
    assert hit("any: [{keywords: [保险]}, {keywords: [基金]}]", t)
    assert hit("not: {keywords: [保险]}", t)


def test_silence_overtalk_speech_rate_duration() -> None:
    t = timed(("customer", 0, 3, "我想问一下"), ("agent", 15, 18, "您好"), channels=2)
    assert hit("silence: {min_s: 10, before: agent}", t)
    assert not hit("silence: {min_s: 10, before: customer}", t)
    held = timed(("agent", 0, 2, "请您稍等我帮您查一下"), ("agent", 20, 22, "查到了"))
    assert not hit('silence: {min_s: 10, unless_announced: "稍等"}', held)
    over = timed(("customer", 0, 6, "我跟你说这个事情"), ("agent", 2, 8, "你听我说"))
    assert hit("overtalk: {min_s: 2}", over)
    assert not hit("overtalk: {min_s: 5}", over)
    fast = timed(*[("agent", i * 10.0, i * 10.0 + 5, "这" * 40) for i in range(5)])  # 480 chars/min
    assert hit("speech_rate: {above: 320, min_speech_s: 20}", fast)
    assert not hit("speech_rate: {above: 500, below: 100, min_speech_s: 20}", fast)
    assert hit("duration: {min_s: 30}", fast)


def test_metadata_operators() -> None:
    t = call(("agent", "您好"))
    assert hit("direction: outbound", t, meta={"direction": "外呼"})
    assert not hit("direction: outbound", t, meta={"direction": "inbound"})
    assert not hit("direction: outbound", t)
    complaint = CallAnalysis(intents=Intents("complaint", ("complaint",), ()))
    assert hit("intent: [complaint]", t, analysis=complaint)
    assert not hit("intent: [purchase]", t, analysis=complaint)
    assert hit("product_recommended: true", t, meta={"product_recommended": True})
    assert hit("meta: {path: meta.branch, equals: 城东支行}", t, meta={"branch": "城东支行"})


def test_risk_mismatch_from_meta_and_text() -> None:
    t = call(("agent", "这款是R4的产品收益高一些"))
    assert hit("risk_mismatch: true", t, meta={"customer_risk_level": "C2"})
    assert not hit("risk_mismatch: true", t, meta={"customer_risk_level": "C5"})
    assert not hit("risk_mismatch: true", t)  # customer level unknown
    t2 = call(("agent", "您的风险等级是C2"), ("agent", "这个高疯险的产品您也可以买"))
    assert hit("risk_mismatch: true", t2)
    t3 = call(("agent", "您的风险等级是C2，这个R4的产品不适合您"))
    assert not hit("risk_mismatch: true", t3)


@pytest.mark.parametrize("text", ["这个产品保本", "稳赚不赔"])
def test_inputs_not_mutated(text: str) -> None:
    t = call(("agent", text))
    before = repr(t)
    hit("keywords: [保本, 稳赚不赔]", t)
    assert repr(t) == before


def test_window_turns_as_runs_of_one_speaker() -> None:
    t = call(("agent", "您好"), ("agent", "东城银行"), ("customer", "嗯"), ("agent", "再见"))
    assert hit("window: {first_turns: 1, runs: true, of: {keywords: [东城银行]}}", t)
    assert not hit("window: {first_turns: 1, of: {keywords: [东城银行]}}", t)
    assert not hit("window: {first_turns: 1, runs: true, of: {keywords: [再见]}}", t)
    assert hit("window: {last_turns: 1, runs: true, of: {keywords: [再见]}}", t)

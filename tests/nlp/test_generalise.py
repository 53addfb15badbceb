"""Generalisation of the intent model and the sentiment model: the separate
held-out template pools, follow-up questions, plain phrasings, homophone ASR
errors no training sentence shows, acknowledgements, and the fast paths."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.jsonio import to_json
from core.types import Segment, Transcript
from nlp.analyze import analyze_conversation
from nlp.intents import IntentModel, clean_for_intent, evaluate_intents, load_corpus, train_intents
from nlp.sentiment import (
    LABELS,
    default_sentiment_model,
    load_sentiment_corpus,
    sentiment_of,
    train_sentiment,
)
from tests.nlp.conftest import REPO, TRAIN

HELDOUT = REPO / "data" / "intents" / "heldout"
SENT_HELDOUT = REPO / "data" / "sentiment" / "heldout"

# ----------------------------------------------------------------------------- intents


def test_heldout_pool_macro_f1(intent_model: IntentModel) -> None:
    scores = evaluate_intents(intent_model, HELDOUT)
    assert scores.n >= 1500
    assert scores.macro_f1 >= 0.88, scores.per_class
    assert all(f1 >= 0.8 for _, _, f1, n in scores.per_class.values() if n), scores.per_class


def test_pools_share_no_sentence() -> None:
    train, _, _ = load_corpus(TRAIN)
    held, _, _ = load_corpus(HELDOUT)
    clean_train = {clean_for_intent(t) for t in train}
    overlap = [t for t in held if clean_for_intent(t) in clean_train]
    # Only bare short acknowledgements may coincide (嗯 好); no request sentence does.
    assert len(overlap) <= len(held) * 0.01, overlap[:20]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # The failures: plain phrasings and follow-ups in an inquiry.
        ("我想问一下基金定投怎么弄", "purchase"),
        ("那最少要投多少钱啊", "product_inquiry"),
        ("那个我年纪大了亏钱的我可不要", "product_inquiry"),
        ("嗯那个可以提前取吗", "product_inquiry"),
        ("俺想把存的钱取出来 家里急用", "redemption"),
        ("收益咋算的啊", "returns_inquiry"),
        ("我那个鸡金现在赚了多少", "returns_inquiry"),
    ],
)
def test_follow_ups_and_plain_phrasings(intent_model: IntentModel, text: str, intent: str) -> None:
    assert intent_model.predict([text])[0][0] == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        # Homophones the training corpus never spells this way (pinyin view: same syllables).
        ("我想买点稳健的李才产品", "purchase"),
        ("鸡今定偷每个月扣多少", "purchase"),
        ("我的风险平估过期了", "risk_assessment"),
        ("村丹能提前只取吗", "product_inquiry"),
    ],
)
def test_unseen_homophones(intent_model: IntentModel, text: str, intent: str) -> None:
    assert intent_model.predict([text])[0][0] == intent


@pytest.mark.parametrize("text", ["好的", "嗯嗯好", "对对对", "行", "可以", "是的", "中", "好嘞", "知道了",
                                  "我姓张", "幺三八零零幺三八零零零", "对我是本人", "喂你好"])
def test_acknowledgements_names_digits_are_other(intent_model: IntentModel, text: str) -> None:
    intent, score = intent_model.predict([text])[0]
    assert intent == "other" and score >= 0.8, (text, intent, score)


def test_fast_path_equals_sklearn(intent_model: IntentModel) -> None:
    texts, _, _ = load_corpus(HELDOUT)
    cleaned = [clean_for_intent(t) for t in texts[::7]]
    ref = intent_model.pipeline.predict_proba(cleaned)
    fast = intent_model._proba(cleaned)
    assert np.abs(ref - fast).max() < 1e-5


def test_follow_up_call_keeps_the_opening_intent(intent_model: IntentModel) -> None:
    segs = [("agent", "您好请问有什么可以帮您"), ("customer", "我想了解一下大额存单"),
            ("agent", "我们有三年期的"), ("customer", "那最少要投多少钱啊"), ("agent", "二十万起"),
            ("customer", "嗯那个可以提前取吗"), ("agent", "可以转让"), ("customer", "好的我考虑一下")]
    tr = Transcript(tuple(Segment(s, float(i), i + 0.9, t) for i, (s, t) in enumerate(segs)),  # type: ignore[arg-type]
                    float(len(segs)), 0)
    assert analyze_conversation(tr, intent_model).primary_intent == "product_inquiry"


# ----------------------------------------------------------------------------- sentiment


def test_sentiment_heldout_pool() -> None:
    rows = load_sentiment_corpus(SENT_HELDOUT)
    model = default_sentiment_model()
    gold = [g for g, _ in rows]
    pred = [model.predict(t).label for _, t in rows]
    f1s = []
    for c in LABELS:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == c)
        prec, rec = tp / max(1, pred.count(c)), tp / max(1, gold.count(c))
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    assert sum(f1s) / 3 >= 0.72, f1s
    assert min(f1s) >= 0.6, f1s


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("说实话我挺失望的", "negative"),  # polite complaint
        ("这样处理不太合适吧", "negative"),
        ("你们效率可真高 一个月都没办好", "negative"),  # sarcasm-light
        ("等了半个月了还没弄好", "negative"),
        ("没什么不满意的", "neutral"),  # negated negative
        ("我不是要投诉 就问问", "neutral"),
        ("亏了会怎么样", "neutral"),  # hypothetical
        ("那我就放心了", "positive"),
        ("你讲得真清楚 帮了大忙", "positive"),
        ("", "neutral"),
    ],
)
def test_sentiment_model_cases(text: str, label: str) -> None:
    assert sentiment_of(text).label == label


def test_sentiment_cues_and_score_sign() -> None:
    neg = sentiment_of("你们服务太差了")
    assert neg.label == "negative" and neg.score < 0 and "太差" in neg.cues
    pos = sentiment_of("你们这个经理很专业 非常满意")
    assert pos.label == "positive" and pos.score > 0 and pos.cues
    # Decided by the model without a lexicon word: the strongest n-grams are the cues.
    sarcasm = sentiment_of("你们效率可真高 一个月都没办好")
    assert sarcasm.cues and all(len(c) >= 2 for c in sarcasm.cues)
    assert set(to_json(sentiment_of("我想问下收益").record(0))) == {"segment", "label", "score", "cues"}


def test_sentiment_training_is_deterministic_and_extensible(tmp_path: Path) -> None:
    corpus = tmp_path / "s"
    corpus.mkdir()
    (corpus / "a.tsv").write_text(
        "".join(f"negative\t第{i}次了太慢了\n" for i in range(20))
        + "".join(f"positive\t第{i}次很顺利\n" for i in range(20))
        + "".join(f"neutral\t第{i}个问题\n" for i in range(20)), encoding="utf-8")
    a, b = train_sentiment(corpus), train_sentiment(corpus, extra=[("negative", "第一百次了太慢了")])
    assert a.predict("又慢了").label == train_sentiment(corpus).predict("又慢了").label
    assert np.array_equal(a.coef, train_sentiment(corpus).coef)
    assert b.coef.shape[0] == 3
    (corpus / "bad.tsv").write_text("angry\t气死了\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv:1"):
        train_sentiment(corpus)


def test_sentiment_training_is_deterministic_on_corpus() -> None:
    m1, m2 = train_sentiment(), train_sentiment()
    assert np.array_equal(m1.coef, m2.coef) and m1.vocab == m2.vocab


def test_intent_training_still_deterministic_with_pinyin(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.tsv").write_text("".join(f"purchase\t我要买{i}号鸡金\n" for i in range(30))
                                  + "".join(f"redemption\t把{i}号基金赎回\n" for i in range(30)), encoding="utf-8")
    a, b = train_intents(corpus, seed=0), train_intents(corpus, seed=0)
    probe = ["买基金", "赎回鸡今"]
    assert a.predict(probe) == b.predict(probe)

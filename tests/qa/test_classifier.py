"""qa/classifier.py (the trained courtesy model and its operator), the ``across`` operator,
and the pack-1.2 families built on them (own sentences, not copied from any eval set)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qa import evaluate, load_pack
from qa.classifier import CORPUS_ROOT, MODEL_FILE, features, load_corpus, load_model, train
from qa.conditions import RuleError
from qa.pack import load_rules_text
from tests.qa.helpers import call

PACK = load_pack()
GREET = ("agent", "您好，这里是招商银行城东支行，我是理财经理小王")
CLOSE = ("agent", "好的，感谢您的来电，再见")
COURTESY = CORPUS_ROOT / "courtesy"
# The held-out split is evaluation data: it stays in the repository, not in the package.
COURTESY_HELDOUT = Path(__file__).resolve().parents[2] / "data" / "qa" / "courtesy"


def _finding(rule: str, *turns: tuple[str, str]) -> tuple[bool, bool]:
    f = evaluate(call(GREET, *turns, CLOSE), PACK).finding(rule)
    return f.applicable, f.passed


def test_features_read_homophones_and_both_pronouns_alike() -> None:
    assert set(f for f in features("您自己没看") if f.startswith("p")) == \
        set(f for f in features("你自己没看") if f.startswith("p"))
    assert {f for f in features("李财") if f.startswith("p")} == {f for f in features("理财") if f.startswith("p")}


def test_model_separates_its_own_held_out_phrasings() -> None:
    """Cores in heldout.tsv were never trained on: precision at the pack's threshold stays high."""
    model = load_model(COURTESY)
    texts, labels = load_corpus(COURTESY_HELDOUT, "heldout")
    hits = [(lab == "rude") for t, lab in zip(texts, labels, strict=True) if model.score_turn(t) >= 0.97]
    assert len(hits) > 100
    assert sum(hits) / len(hits) >= 0.95


def test_training_is_deterministic_and_cache_matches(tmp_path: Path) -> None:
    corpus = tmp_path / "courtesy"
    corpus.mkdir()
    shutil.copy(COURTESY / "train.tsv", corpus / "train.tsv")
    fresh = load_model(corpus)
    saved = json.loads((corpus / MODEL_FILE).read_text("utf-8"))
    assert saved["corpus_sha"] == fresh.corpus_sha and saved["format"] == 1
    texts, labels = load_corpus(corpus)
    again = train(texts, labels, "rude")
    for text in ("您自己不会看说明吗", "好的，我帮您查一下"):
        assert abs(again.proba(text) - fresh.proba(text)) < 1e-4
    # A changed corpus gets a different digest, so the saved model is not reused.
    (corpus / "train.tsv").write_text("rude\t你烦不烦\nok\t您好\n" * 10, encoding="utf-8")
    retrained = load_model(corpus)
    assert retrained.corpus_sha != fresh.corpus_sha
    assert json.loads((corpus / MODEL_FILE).read_text("utf-8"))["corpus_sha"] == retrained.corpus_sha


def test_bad_corpus_and_bad_arguments_are_named(tmp_path: Path) -> None:
    (tmp_path / "train.tsv").write_text("rude 没有制表符\n", encoding="utf-8")
    with pytest.raises(RuleError, match="label<TAB>text"):
        load_model(tmp_path)
    for spec, msg in (("{model: courtesy, threshold: 1.5}", "threshold"),
                      ("{model: Bad-Name, threshold: 0.5}", "model"),
                      ("{model: nosuch, threshold: 0.5}", "not found"), ("{model: courtesy}", "threshold")):
        with pytest.raises(RuleError, match=msg):
            load_rules_text(f"rules:\n  - id: x\n    title: t\n    condition:\n      classifier: {spec}\n")


@pytest.mark.parametrize("text", [
    "您这个操作都搞不定那我也帮不了您",          # condescension + dismissal, no keyword written for it
    "我都给您讲了半天了您怎么还是不明白",
    "您赶紧想好了再打过来别占着线",
])
def test_courtesy_classifier_catches_unlisted_wording(text: str) -> None:
    assert _finding("courtesy", ("customer", "这个怎么弄"), ("agent", text)) == (True, False)


@pytest.mark.parametrize("text", [
    "非常抱歉让您多跑了一趟，这次我一定帮您处理好",
    "这个不是您的问题，是系统在升级",
    "按规定这个需要本人到柜台办理，给您添麻烦了",
    "我再跟您重复一遍：到期后本金和收益两个工作日内到账",
    "请问这笔是您本人操作的吗",
])
def test_courtesy_classifier_leaves_polite_look_alikes(text: str) -> None:
    assert _finding("courtesy", ("customer", "这个怎么弄"), ("agent", text)) == (True, True)


def test_across_joins_agent_turns_for_a_multi_turn_offer() -> None:
    turns = (("customer", "有什么适合我的吗"), ("agent", "我们有一只稳健债基，R2的，近一年表现不错"),
             ("customer", "听起来还行"), ("agent", "那我现在帮您下单，买五万"))
    assert _finding("risk_disclosure", *turns) == (True, False)
    # The same two turns about a fund the customer already holds: no offer.
    held = (("customer", "我那个债基怎么样了"), ("agent", "您持有的那只债基，R2的，近一年表现不错"),
            ("customer", "好的"), ("agent", "那您继续持有就行"))
    assert _finding("risk_disclosure", *held)[0] is False


def test_customer_named_product_confirmed_by_agent_is_a_sale() -> None:
    turns = (("customer", "我想买你们那个R3的混合基金"), ("agent", "好的，我帮您办"))
    assert _finding("risk_disclosure", *turns) == (True, False)
    redeem = (("customer", "我想把买的基金赎回"), ("agent", "好的，我帮您办"))
    assert _finding("risk_disclosure", *redeem)[0] is False


def test_coached_questionnaire_fails_suitability() -> None:
    turns = (("customer", "我想买那只R4的基金"), ("agent", "您测评是C2，第三题选能接受较大亏损，就能到C4"),
             ("agent", "理财非存款，产品有风险，投资须谨慎"))
    assert _finding("suitability", *turns) == (True, False)


def test_holding_named_without_figures_needs_verification() -> None:
    turns = (("customer", "我想问一下"), ("agent", "您上次买的那只基金现在是跌的"))
    assert _finding("identity_verification", *turns) == (True, False)


def test_customer_mentions_holding_and_agent_answers_generally_is_not_account_talk() -> None:
    turns = (("customer", "银行会不会出事，那我买的理财呢"), ("agent", "您放心，我们是正规银行，理财都是独立托管的"))
    assert _finding("identity_verification", *turns)[0] is False
    looked_up = (("customer", "我买的理财怎么样了"), ("agent", "我帮您查一下，您这笔理财下周到期"))
    assert _finding("identity_verification", *looked_up) == (True, False)


def test_across_rejects_bad_arguments() -> None:
    for spec, msg in (("{turns: 1, of: {keywords: [a]}}", "turns"), ("{turns: 3, speaker: bot, of: {keywords: [a]}}",
                                                                        "speaker")):
        with pytest.raises(RuleError, match=msg):
            load_rules_text(f"rules:\n  - id: x\n    title: t\n    condition:\n      across: {spec}\n")

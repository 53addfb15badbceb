"""qa/classifier.py (the trained courtesy model and its operator), the ``across`` operator,
and the pack-1.2 families built on them (own sentences, not copied from any eval set)."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from nlp.artifact import load_or_train, read_artifact
from qa import evaluate, load_pack
from qa.classifier import (
    CLASSIFIER_SPEC,
    CORPUS_ROOT,
    ClassifierCorpus,
    ClassifierSource,
    features,
    load_corpus,
    load_model,
    model_file,
    train,
)
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
    hits = [(lab == "rude") for t, lab in zip(texts, labels, strict=True) if model.score_turn(t) >= 0.85]
    assert len(hits) > 100
    # At the pack's threshold (0.85, qa/rules/default/15_courtesy.yaml); these template
    # phrasings score 0.94 there (0.98 at 0.97), the model before the writers' sentences 0.94.
    assert sum(hits) / len(hits) >= 0.93


def _header(path: Path) -> dict[str, object]:
    with path.open("rb") as fh:
        fh.read(len(CLASSIFIER_SPEC.magic))
        header = pickle.load(fh)
    assert isinstance(header, dict)
    return header


def test_training_is_deterministic_and_cache_matches(tmp_path: Path) -> None:
    corpus = tmp_path / "courtesy"
    corpus.mkdir()
    shutil.copy(COURTESY / "train.tsv", corpus / "train.tsv")
    models = tmp_path / "models"
    fresh = load_model(corpus, models_dir=models)
    saved = models / "classifier_courtesy_rude.pkl"
    assert _header(saved)["corpus_sha"] == fresh.corpus_sha and _header(saved)["format"] == 2
    assert sorted(p.name for p in corpus.iterdir()) == ["train.tsv"]  # nothing beside the corpus
    loaded = read_artifact(saved, CLASSIFIER_SPEC, fresh.corpus_sha)
    texts, labels = load_corpus(corpus)
    again = train(texts, labels, "rude")
    for text in ("您自己不会看说明吗", "好的，我帮您查一下"):
        assert abs(again.proba(text) - fresh.proba(text)) < 1e-4
        assert loaded.proba(text) == fresh.proba(text)  # the saved model scores exactly as the fresh one
    # A changed corpus gets a different digest, so the saved model is not reused.
    (corpus / "train.tsv").write_text("rude\t你烦不烦\nok\t您好\n" * 10, encoding="utf-8")
    retrained = load_model(corpus, models_dir=models)
    assert retrained.corpus_sha != fresh.corpus_sha
    assert _header(saved)["corpus_sha"] == retrained.corpus_sha


def test_training_from_a_read_only_corpus_writes_nothing_beside_it(tmp_path: Path) -> None:
    """Models go to the models folder only: a read-only copy of the corpus stays as it was,
    and so does the packaged corpus folder, also when no models folder is given."""
    root = tmp_path / "corpora"
    corpus = root / "courtesy"
    corpus.mkdir(parents=True)
    shutil.copy(COURTESY / "train.tsv", corpus / "train.tsv")
    corpus.chmod(0o555)
    root.chmod(0o555)
    packaged = sorted(p.name for p in COURTESY.iterdir())
    try:
        source = ClassifierSource((root,), tmp_path / "models")
        pack = load_rules_text("rules:\n  - id: x\n    title: t\n    condition:\n"
                               "      classifier: {model: courtesy, threshold: 0.9}\n", classifiers=source)
        assert pack.get("x") is not None
        in_memory = load_or_train(CLASSIFIER_SPEC, ClassifierCorpus("courtesy", corpus), None)
        assert in_memory.score_turn("您自己不会看说明吗") > 0.5
    finally:
        root.chmod(0o755)
        corpus.chmod(0o755)
    assert sorted(p.name for p in corpus.iterdir()) == ["train.tsv"]
    assert sorted(p.name for p in root.iterdir()) == ["courtesy"]
    assert sorted(p.name for p in COURTESY.iterdir()) == packaged
    assert [p.name for p in (tmp_path / "models").iterdir()] == ["classifier_courtesy_rude.pkl"]


def test_corpus_is_named_never_a_path(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "branch_tone").mkdir(parents=True)
    (site / "branch_tone" / "train.tsv").write_text("rude\t你烦不烦啊真是的\nok\t您好请问有什么可以帮您\n" * 10,
                                                    encoding="utf-8")
    source = ClassifierSource((site,), None)
    assert source.resolve("branch_tone").path == site / "branch_tone"
    assert source.resolve("courtesy").path == COURTESY  # the packaged corpora stay reachable
    assert source.names() == ["branch_tone", "courtesy"]
    rule = "rules:\n  - id: x\n    title: t\n    condition:\n      classifier: {spec}\n"
    ok = load_rules_text(rule.format(spec="{model: tone, corpus: branch_tone, threshold: 0.5}"), classifiers=source)
    assert ok.get("x") is not None
    for spec, msg in (("{model: courtesy, corpus: /etc, threshold: 0.5}", r"corpus: expected the name"),
                      ("{model: courtesy, corpus: ../qa/courtesy, threshold: 0.5}", r"corpus: expected the name"),
                      (f"{{model: courtesy, corpus: '{COURTESY}', threshold: 0.5}}", r"paths are not accepted"),
                      ("{model: courtesy, corpus: nosuch, threshold: 0.5}", r"corpus: unknown classifier corpus"),
                      ("{model: nosuch, threshold: 0.5}", r"model: unknown classifier corpus 'nosuch'; known"),
                      ("{model: courtesy, positive: ../x, threshold: 0.5}", r"expected a label")):
        with pytest.raises(RuleError, match=msg):
            load_rules_text(rule.format(spec=spec), classifiers=source)
    # Without the configured folder the site corpus is unknown.
    with pytest.raises(RuleError, match="unknown classifier corpus 'branch_tone'; known: courtesy"):
        load_rules_text(rule.format(spec="{model: branch_tone, threshold: 0.5}"))
    assert model_file(tmp_path, source.resolve("courtesy")).name == "classifier_courtesy_rude.pkl"


def test_bad_corpus_and_bad_arguments_are_named(tmp_path: Path) -> None:
    (tmp_path / "train.tsv").write_text("rude 没有制表符\n", encoding="utf-8")
    with pytest.raises(RuleError, match="label<TAB>text"):
        load_model(tmp_path)
    for spec, msg in (("{model: courtesy, threshold: 1.5}", "threshold"),
                      ("{model: Bad-Name, threshold: 0.5}", "model"),
                      ("{model: nosuch, threshold: 0.5}", "unknown classifier corpus"),
                      ("{model: courtesy}", "threshold")):
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

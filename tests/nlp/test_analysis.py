"""Intent model, sentiment, complaint risk, entities and the conversation
analysis on the held-out set and on hand-written calls."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.jsonio import to_json
from core.types import Segment, Transcript
from nlp.analyze import analyze_conversation
from nlp.entities import cn_number, find_entities
from nlp.intents import IntentModel, ModelVersionError, evaluate_intents, train_intents
from nlp.sentiment import sentiment_of
from tests.nlp.conftest import DATA, TEST

# ----------------------------------------------------------------------------- intents


def test_held_out_macro_f1(intent_model: IntentModel) -> None:
    scores = evaluate_intents(intent_model, TEST)
    assert scores.n > 200
    assert scores.macro_f1 >= 0.88, scores.per_class
    assert all(f1 >= 0.75 for _, _, f1, n in scores.per_class.values() if n), scores.per_class


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("嗯那个我想问一下李财产品有没有保本的", "product_inquiry"),
        ("帮我把鸡金全部赎会", "redemption"),
        ("我要开一个定头每个月扣两千", "purchase"),
        ("我的风险策评过期了", "risk_assessment"),
        ("再不处理我就去银宝监会头诉你们", "complaint"),
        ("好的好的", "other"),
    ],
)
def test_asr_noisy_utterances(intent_model: IntentModel, text: str, intent: str) -> None:
    assert intent_model.predict([text])[0][0] == intent


def test_predict_shapes(intent_model: IntentModel) -> None:
    out = intent_model.predict(["嗯", "", "我要买理财"])
    assert out[0] == ("other", 1.0) and out[1] == ("other", 1.0)
    assert 0.0 < out[2][1] <= 1.0
    dist = intent_model.predict_proba(["我要买理财"])[0]
    assert abs(sum(dist.values()) - 1.0) < 1e-6 and set(dist) == set(intent_model.intents)


def test_save_load_roundtrip_and_version_check(intent_model: IntentModel, tmp_path: Path) -> None:
    path = tmp_path / "m" / "intents.bin"
    intent_model.save(path)
    loaded = IntentModel.load(path)
    texts = ["我想赎回", "收益多少"]
    assert loaded.predict(texts) == intent_model.predict(texts)
    assert not list(path.parent.glob("*.tmp"))
    # A file stamped with another scikit-learn version is refused before unpickling the model.
    raw = path.read_bytes().replace(intent_model.sklearn_version.encode(), b"0.0.0"[: len(intent_model.sklearn_version)]
                                    .ljust(len(intent_model.sklearn_version), b"0"))
    path.write_bytes(raw)
    with pytest.raises(ModelVersionError):
        IntentModel.load(path)
    (tmp_path / "junk").write_bytes(b"not a model")
    with pytest.raises(ModelVersionError):
        IntentModel.load(tmp_path / "junk")


def test_training_is_deterministic_and_extensible(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.tsv").write_text("".join(f"purchase\t我要买{i}号理财\n" for i in range(30))
                                  + "".join(f"redemption\t把{i}号理财赎回\n" for i in range(30)), encoding="utf-8")
    # A deployment's own intent, named in labels.tsv.
    (corpus / "extra.tsv").write_text("".join(f"referral\t我朋友{i}也想来开户\n" for i in range(30)), encoding="utf-8")
    (corpus / "labels.tsv").write_text("referral\t转介绍\n", encoding="utf-8")
    a, b = train_intents(corpus, seed=1), train_intents(corpus, seed=1)
    probe = ["我同事也想在你们这开户", "买理财", "赎回"]
    assert a.predict(probe) == b.predict(probe)
    assert "referral" in a.intents and a.label("referral") == "转介绍"
    assert a.predict(["我朋友也想来开户"])[0][0] == "referral"


# ----------------------------------------------------------------------------- sentiment


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("你们服务太差了", "negative"),
        ("我对结果很不满意", "negative"),
        ("你们这个经理很专业 非常满意", "positive"),
        ("不错不错", "positive"),
        ("我想问下收益", "neutral"),
        ("好的谢谢", "neutral"),  # ritual thanks
        ("一点也不麻烦", "neutral"),
        ("不太专业啊", "negative"),
    ],
)
def test_sentiment(text: str, label: str) -> None:
    assert sentiment_of(text).label == label


# ----------------------------------------------------------------------------- complaint risk


def _call(spec: str) -> Transcript:
    segs = []
    for i, turn in enumerate(spec.split(" || ")):
        agent = turn.startswith("A:")
        segs.append(Segment("agent" if agent else "customer", float(i), i + 0.9, turn.removeprefix("A:")))
    return Transcript(tuple(segs), float(len(segs)), 0)


def _risk_cases() -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / "complaint_risk.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            level, spec = line.split("\t")
            rows.append((level, spec))
    return rows


def test_complaint_risk_labelled_set() -> None:
    cases = _risk_cases()
    wrong = [(lv, spec, analyze_conversation(_call(spec), None).complaint_risk) for lv, spec in cases]
    wrong = [w for w in wrong if w[0] != w[2]]
    assert len(cases) >= 30
    assert len(wrong) <= 1, wrong


def test_negated_and_hypothetical_complaints() -> None:
    assert analyze_conversation(_call("我不是要投诉 就问问"), None).complaint_risk == "none"
    assert analyze_conversation(_call("你们有没有被投诉过"), None).complaint_risk == "none"
    high = analyze_conversation(_call("如果再不处理我就打12378"), None)
    assert high.complaint_risk == "high"
    assert high.evidence[0].segment == 0 and "12378" in high.evidence[0].text
    # The agent reading out the hotline is no threat.
    assert analyze_conversation(_call("A:您可以拨打12378反映 || 好的"), None).complaint_risk == "none"


# ----------------------------------------------------------------------------- entities


def test_cn_numbers() -> None:
    assert [cn_number(s) for s in ["十五", "五十", "两千五", "一百万", "3.5"]] == [15, 50, 2500, 1_000_000, 3.5]


def test_entities() -> None:
    text = "五十万元买大额存单三年期的 下个月15号到期 我是C3能买R4的吗 20w也行"
    ents = {(e.type, e.text): e for e in find_entities(text)}
    assert ents[("amount", "五十万元")].value == 500_000
    assert ents[("amount", "20w")].value == 200_000
    assert ents[("product", "大额存单")].value == "large_cd"
    assert ents[("duration", "三年期")].value == {"n": 3.0, "unit": "year"}
    assert ents[("date", "下个月15号到期")].value == {"month_offset": 1, "day": 15, "maturity": True}
    assert ents[("risk_level", "C3")].value == "C3" and ents[("risk_level", "R4")].value == "R4"
    staff = find_entities("我的工号是幺二三四五")
    assert [(e.type, e.value) for e in staff] == [("staff_id", "12345")]
    text = "李财五万"
    (p, a) = find_entities(text)
    assert (p.type, text[p.start : p.end], a.value) == ("product", "李财", 50_000)


# ----------------------------------------------------------------------------- the call


def test_analyze_conversation_json(intent_model: IntentModel) -> None:
    tr = _call("A:您好这里是理财中心工号幺二三四五 || 喂你好我那个李财下个月15号到期了 || A:您需要续投吗 || "
               "我想赎回 转到卡上 || 收益太低了我很不满意 || 我手机是13812345678 || A:好的我帮您登记 || 好的谢谢")
    before = tr.segments
    out = to_json(analyze_conversation(tr, intent_model).record())
    assert tr.segments is before
    assert out["intents"]["primary"] == "redemption"  # type: ignore[index]
    turns = out["intents"]["turns"]  # type: ignore[index]
    assert [t["segment"] for t in turns] == [1, 3, 4, 5, 7]
    assert out["complaint_risk"]["level"] == "low"  # type: ignore[index]
    assert out["sentiment"]["call"] == "negative"  # type: ignore[index]
    assert out["pii"] == [{"type": "mobile", "segment": 5, "start": 4, "end": 15}]
    assert "13812345678" not in str(out)
    assert any(e["type"] == "amount" or e["type"] == "date" for e in out["entities"])  # type: ignore[attr-defined]
    assert "赎回" in out["summary"] and "13812345678" not in out["summary"]  # type: ignore[operator]
    assert out["keywords"]
    assert "intents" not in to_json(analyze_conversation(tr, None).record())
    empty = to_json(analyze_conversation(Transcript((), 0.0, 0), intent_model).record())
    assert empty["complaint_risk"] == {"level": "none", "evidence": []}


@pytest.mark.parametrize(("spec", "level"), [
    ("好，再打我就投诉了。", "high"),  # conditional filing
    ("喂 我昨天打电话你们有个客服态度特别差我要投诉她", "high"),  # 特别 holds no negator
    ("你说得轻巧！我要头诉你！", "high"),  # ASR spelling, matched by sound
    ("我要找你们行长", "high"),
    ("那个商家怎么投诉啊", "not high"),  # a third party, asked how
    ("我朋友说他投诉过你们", "not high"),  # reported
    ("我想撤销投诉", "not high"),  # withdrawn
    ("我不是要投诉，就是反映一下", "low"),
    ("再不处理我就去营保监会告你们", "high"),  # 营保监 heard for 银保监
    ("我要去金荣监管总局反映", "high"),
    ("你们的保管箱怎么收费", "none"),  # 保管 sounds like 曝光: short names are not matched by sound
    ("对那我问下帮我把定投赎回", "not high"),  # 投赎 folds to the sound of 投诉, but is not it
    ("额我不想要这个了能退不我不是要投诉", "not high"),  # 不 before 我 ends the question
    ("我家里有人在报社工作，你们要是不解决，这事就上报纸。", "high"),  # conditional: the speaker's threat
    ("你们这活动要是搞虚假宣传肯定有人去曝光的，首刷礼是啥？", "not high"),  # someone else, hypothetical
    ("我在手机上点了好几次申购都提示失败，你们系统到底行不行？", "low"),  # exasperation
    ("这个到底是不是保本的", "none"),  # 到底 alone only asks
])
def test_filing_a_complaint_is_high_for_the_call(spec: str, level: str) -> None:
    got = analyze_conversation(_call(spec), None).complaint_risk
    assert got != "high" if level == "not high" else got == level


def test_filing_stays_low_per_turn() -> None:
    from nlp.analyze import turn_risk

    text = "我要投诉你们那个客户经理"
    assert turn_risk(0, text, sentiment_of(text)) == "low"  # the turn taxonomy: no threat outside the bank

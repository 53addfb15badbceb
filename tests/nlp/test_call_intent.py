"""The learned call-level intent model (nlp/call_intent.py): training on small
hand-written calls, prediction through analyze_conversation, the model file's
lifecycle (atomic save, stale files refused, retrained when the corpus changes)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from callsight import runtime
from callsight.config import settings
from core.jsonio import to_json
from core.types import Segment, Speaker, Transcript
from nlp import call_intent
from nlp.analyze import analyze_conversation
from nlp.call_intent import (
    CallFeatures,
    CallIntentModel,
    CallModelVersionError,
    load_calls,
    train_call_intents,
)
from nlp.intents import IntentModel

# Small calls of three intents, worded differently in each; the rules' verdict is
# deliberately uninformative ("other") so the words must carry the decision.
_CALLS: dict[str, list[tuple[str, ...]]] = {
    "redemption": [("我想把理财赎回", "赎回多久到账"), ("那个基金我要赎回了", "急用钱"),
                   ("帮我把钱取出来赎回", "全部赎回"), ("我要赎回定投的那只", "手续费多少")],
    "complaint": [("我要投诉你们经理", "太过分了"), ("你们服务太差了我要投诉", "找你们领导"),
                  ("我要去监管局投诉", "乱扣费"), ("投诉那个客户经理", "骗我买的")],
    "returns_inquiry": [("我那个理财收益多少", "年化多少"), ("查一下收益到账没有", "收益怎么这么低"),
                        ("上个月收益是多少", "净值多少"), ("这期收益什么时候到", "收益率多少")],
}


def _feats(turns: tuple[str, ...], rule: str = "other", direction: str | None = "inbound") -> CallFeatures:
    return CallFeatures(turns, ("您好请问有什么可以帮您", "好的"), tuple({} for _ in turns), rule, direction)


def _train() -> CallIntentModel:
    feats = [_feats(t) for calls in _CALLS.values() for t in calls]
    labels = [k for k, calls in _CALLS.items() for _ in calls]
    return train_call_intents(feats, labels, "test")


def test_learns_the_customer_s_words() -> None:
    model = _train()
    assert model.predict(_feats(("我想赎回那个理财产品",)))[0] == "redemption"
    assert model.predict(_feats(("我要投诉", "你们太差了")))[0] == "complaint"
    intent, conf = model.predict(_feats(("收益多少啊",)))
    assert intent == "returns_inquiry"
    assert 1 / 3 < conf <= 1.0


def test_homophones_collide_in_pinyin(monkeypatch: pytest.MonkeyPatch) -> None:
    # 投宿 (a misheard 投诉) is a word of its own, so the text layer's term corrector
    # (nlp/terms.py) leaves it as heard; it shares the pinyin (tou su) with the training
    # words' 投诉: the pinyin view makes the model surer it is a complaint. (A misspelling
    # that is no word, 头素, is read back as 投诉 before the model sees it.)
    call = _feats(("我要投宿",))
    with_pinyin = _train().predict(call)
    monkeypatch.setitem(call_intent._WEIGHTS, "pinyin", 0.0)
    without = _train().predict(call)
    assert with_pinyin[0] == "complaint"
    assert with_pinyin[1] > without[1] + 0.05


def test_needs_two_intents() -> None:
    with pytest.raises(ValueError, match="two intents"):
        train_call_intents([_feats(("赎回",))], ["redemption"])


def test_save_load_round_trip_and_stale_file(tmp_path: Path) -> None:
    model = _train()
    path = tmp_path / "m" / "call_intents.pkl"
    model.save(path)
    assert [p.name for p in path.parent.iterdir()] == ["call_intents.pkl"]  # no temp file left behind
    loaded = CallIntentModel.load(path)
    f = _feats(("我要投诉",))
    assert loaded.predict(f) == model.predict(f)
    # A file written by another format version is refused before its model is unpickled.
    raw = path.read_bytes()
    magic = b"callsight-call-intents\n"
    header = pickle.loads(raw[len(magic):])
    stale = magic + pickle.dumps({**header, "format": -1}) + b"not a pickle"
    path.write_bytes(stale)
    with pytest.raises(CallModelVersionError, match="format -1"):
        CallIntentModel.load(path)
    path.write_bytes(b"garbage")
    with pytest.raises(CallModelVersionError, match="not a call-intent model"):
        CallIntentModel.load(path)


def test_load_calls_names_the_bad_line(tmp_path: Path) -> None:
    p = tmp_path / "w.jsonl"
    p.write_text('{"segments": [], "intent": "other"}\n{oops\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"w\.jsonl:2: not JSON"):
        load_calls([p])
    p.write_text('{"segments": []}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"w\.jsonl:1: expected"):
        load_calls([p])


def _call(*turns: tuple[Speaker, str]) -> Transcript:
    segs = tuple(Segment(sp, float(i), i + 0.9, t) for i, (sp, t) in enumerate(turns))
    return Transcript(segs, float(len(turns)), 2)


def test_analyze_conversation_uses_the_call_model(intent_model: IntentModel) -> None:
    model = _train()
    tr = _call(("agent", "您好请问有什么可以帮您"), ("customer", "我要赎回理财"), ("agent", "好的"))
    before = tr.segments
    rules = analyze_conversation(tr, intent_model)
    learned = analyze_conversation(tr, intent_model, model, "inbound")
    assert tr.segments == before  # input untouched
    assert rules.confidence is None and "confidence" not in to_json(rules.record())["intents"]
    out = to_json(learned.record())["intents"]
    assert isinstance(out, dict)
    assert out["primary"] == "redemption" and 0 < out["confidence"] <= 1
    assert learned.call_features is not None
    assert learned.call_features.customer == ("我要赎回理财",)
    assert learned.call_features.rule_primary == rules.primary_intent
    assert len(learned.call_features.turn_dists) == 1
    assert learned.call_features.direction == "inbound"


def test_call_features_carry_the_risk_and_the_agent_s_purpose(intent_model: IntentModel) -> None:
    reminder = _call(("agent", "您好张先生，您的风险测评下周到期了，需要重新做一下测评"), ("customer", "是我"),
                     ("agent", "我现在帮您在线更新"), ("customer", "好的"))
    threat = _call(("agent", "您好请问有什么可以帮您"), ("customer", "你们乱扣我的钱，我要去银保监会投诉你们"))
    a = analyze_conversation(reminder, intent_model, None, "outbound").call_features
    b = analyze_conversation(threat, intent_model, None, "inbound").call_features
    assert a is not None and b is not None
    assert a.agent_purpose == "risk_assessment" and a.risk == "none"
    assert b.agent_purpose is None and b.risk == "high"


def test_model_reads_the_agent_s_stated_purpose() -> None:
    # Same customer words in every call; only the purpose the agent stated tells them apart.
    def call(purpose: str) -> CallFeatures:
        return CallFeatures(("是我", "好的"), ("您好",), ({}, {}), "other", "outbound", agent_purpose=purpose)

    purposes = ["risk_assessment", "promotion"] * 6
    model = train_call_intents([call(p) for p in purposes], purposes)
    assert model.predict(call("risk_assessment"))[0] == "risk_assessment"
    assert model.predict(call("promotion"))[0] == "promotion"


def test_runtime_trains_saves_and_retrains_on_corpus_change(
        intent_model: IntentModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "calls"
    corpus.mkdir()
    rows = [{"id": f"t-{n}", "meta": {"direction": "inbound"}, "intent": k,
             "segments": [{"speaker": "agent", "start": 0, "end": 1, "text": "您好"}]
             + [{"speaker": "customer", "start": 1 + i, "end": 2 + i, "text": t} for i, t in enumerate(turns)]}
            for n, (k, turns) in enumerate((k, t) for k, calls in _CALLS.items() for t in calls)]
    (corpus / "w1.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    path = tmp_path / "models" / "call_intents.pkl"
    monkeypatch.setattr(settings, "call_intent_corpus_dir", corpus)
    monkeypatch.setattr(settings, "call_intent_model_path", path)
    first = runtime.load_call_intent_model(intent_model)
    assert first is not None and path.exists()
    mtime = path.stat().st_mtime_ns
    again = runtime.load_call_intent_model(intent_model)
    assert again is not None and again.corpus_sha == first.corpus_sha
    assert path.stat().st_mtime_ns == mtime  # unchanged corpus: loaded, not retrained
    (corpus / "w2.jsonl").write_text(json.dumps(rows[0], ensure_ascii=False) + "\n", "utf-8")
    retrained = runtime.load_call_intent_model(intent_model)
    assert retrained is not None and retrained.corpus_sha != first.corpus_sha
    monkeypatch.setattr(settings, "call_intent_enabled", False)
    assert runtime.load_call_intent_model(intent_model) is None


def test_agent_opening_reaches_the_purpose_after_the_identity_check() -> None:
    # An outbound agent greets, checks identity, and only then says why they call: the
    # opening view must reach that turn (the fourth here), and stop before the pitch's details.
    agent = ("您好请问是王先生吗", "我是银行客户经理小李", "先核对一下您身份证后四位", "您的风险测评下个月到期了",
             "重新测评可以在手机银行做", "还有其他需要吗", "再见")
    feats = CallFeatures(("是我", "什么事", "3017", "好的"), agent, ({}, {}, {}, {}), "other", "outbound")
    opening = call_intent._agent_opening(feats)
    assert "风险测评下个月到期" in opening
    assert "还有其他需要" not in opening


def test_dense_features_read_an_outbound_risk_test_reminder() -> None:
    # The reminder is the outbound call's purpose: one column, set on the outbound call only.
    agent = ("您好请问是王先生吗", "先核对一下您身份证后四位", "您的风险侧评下个月到期了，麻烦您重新做一下", "再见")
    turns = ("是我", "3017", "好的我晚上弄")
    out = call_intent._dense(CallFeatures(turns, agent, ({}, {}, {}), "other", "outbound"))
    inbound = call_intent._dense(CallFeatures(turns, agent, ({}, {}, {}), "other", "inbound"))
    assert out[-1] == call_intent._REMINDER_WEIGHT
    assert inbound[-1] == 0.0

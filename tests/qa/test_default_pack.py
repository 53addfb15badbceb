"""Each default rule on a positive and a negative dialogue; result JSON; scorecards; rescore."""

from __future__ import annotations

from core.jsonio import to_json
from qa import evaluate, load_pack, rescore
from tests.qa.helpers import call, timed

PACK = load_pack()
GREET = ("agent", "您好，这里是招商银行城东支行，我是理财经理小王")
CLOSE = ("agent", "好的，感谢您的来电，再见")


def finding(t, rule: str, **kw):  # type: ignore[no-untyped-def]
    return evaluate(t, PACK, **kw).finding(rule)


def test_greeting() -> None:
    assert finding(call(GREET, CLOSE), "greeting").passed
    assert finding(call(("agent", "您好宁好，建设银行客服中心，公号4521为您服务"), CLOSE), "greeting").passed
    assert not finding(call(("agent", "喂，说吧什么事"), CLOSE), "greeting").passed
    assert not finding(call(("agent", "您好，招商银行客服中心"), CLOSE), "greeting").passed  # no name / 工号


def test_identity_verification_only_when_the_account_is_discussed() -> None:
    general = call(GREET, ("customer", "你们网点周六开门吗"), ("agent", "周六正常营业"), CLOSE)
    assert not finding(general, "identity_verification").applicable
    ok = call(GREET, ("customer", "帮我查一下我的账户余额"), ("agent", "好的先核实一下您的身份，请报一下身份证后四位"),
              ("customer", "三五七九"), ("agent", "查到您账户余额是三万元"), CLOSE)
    f = finding(ok, "identity_verification")
    assert f.applicable and f.passed
    late = call(GREET, ("customer", "帮我查一下我的账户余额"), ("agent", "查到您账户余额是三万元"),
                ("agent", "麻烦报一下身份证后四位核实一下"), CLOSE)
    assert not finding(late, "identity_verification").passed
    none = call(GREET, ("customer", "我买的理财到期了吗"), ("agent", "系统显示您名下那笔已经到期了"), CLOSE)
    assert not finding(none, "identity_verification").passed


def test_risk_disclosure_and_suitability_when_recommending() -> None:
    rec = ("agent", "我给您推荐一款净值型理财产品，业绩比较基准年化百分之三点五")
    assert not finding(call(GREET, ("agent", "周六正常营业"), CLOSE), "risk_disclosure").applicable
    assert not finding(call(GREET, rec, CLOSE), "risk_disclosure").passed
    disclosed = call(GREET, rec, ("agent", "理财非存款，产品有风险，投资须谨慎"), CLOSE)
    assert finding(disclosed, "risk_disclosure").passed
    assert finding(call(GREET, rec, ("agent", "不过这个李财不保笨的净值会波动"), CLOSE), "risk_disclosure").passed
    assert not finding(disclosed, "suitability").passed  # no reference to the risk assessment
    assessed = call(GREET, ("agent", "您的风险测评结果是平衡型"), rec, CLOSE)
    assert finding(assessed, "suitability").passed
    too_risky = call(GREET, ("agent", "您的风险等级是C2"), ("agent", "推荐您买这个R4的基金"), CLOSE)
    f = finding(too_risky, "suitability")
    assert not f.passed and f.evidence[0].segment == 2
    crm = call(GREET, ("agent", "您做过风险测评的，给您推荐这个R4的基金"), CLOSE)
    assert not finding(crm, "suitability", meta={"customer_risk_level": 2}).passed
    assert finding(crm, "suitability", meta={"customer_risk_level": "C4"}).passed


def test_forbidden_promise_agent_only_and_negation_aware() -> None:
    for text in ["您放心这个产品是保本的", "这个收益有保证稳赚不赔", "本金一分都不会少", "绝对不会亏", "这个产品保笨"]:
        f = finding(call(GREET, ("agent", text), CLOSE), "forbidden_promise")
        assert not f.passed, text
        assert f.evidence and f.evidence[0].text == text
    for text in ["这个产品不保本", "我们不能保证收益", "如果您想要保本的话建议存定期", "大额存单是保本的",
                 "您说的保本我们没法承诺", "稳赚不赔的产品是不存在的"]:
        assert finding(call(GREET, ("agent", text), CLOSE), "forbidden_promise").passed, text
    assert finding(call(GREET, ("customer", "我就要保本的稳赚不赔的"), CLOSE), "forbidden_promise").passed


def test_closing_and_courtesy() -> None:
    assert finding(call(GREET, ("customer", "好"), CLOSE), "closing").passed
    assert not finding(call(GREET, ("customer", "好"), ("agent", "嗯")), "closing").passed
    assert not finding(call(GREET, ("agent", "我都说了多少遍了你怎么还听不懂"), CLOSE), "courtesy").passed
    assert finding(call(GREET, ("agent", "不好意思，这个不是您的问题"), CLOSE), "courtesy").passed


def test_acoustic_rules() -> None:
    t = timed(("agent", 0, 4, "您好招商银行我是小王"), ("customer", 5, 8, "我想问一下"), ("agent", 20, 23, "您说"),
              ("customer", 23.5, 30, "我想了解一下理财产品有哪些"), ("agent", 26, 31, "我们有很多产品"))
    res = evaluate(t, PACK)
    assert not res.finding("long_silence").passed
    assert [e.segment for e in res.finding("long_silence").evidence] == [1, 2]
    assert not res.finding("overtalk").passed
    mono = timed(("agent", 0, 4, "您好"), ("customer", 3, 8, "喂"), channels=1)
    assert not evaluate(mono, PACK).finding("overtalk").applicable


def test_result_json_shape_and_scores() -> None:
    t = call(GREET, ("agent", "给您推荐一款基金，这个是保本的"), CLOSE)
    res = evaluate(t, PACK)
    doc = to_json(res.record())
    assert set(doc) == {"rule_pack", "findings", "scores", "fatal"}
    assert doc["rule_pack"] == PACK.version
    f = doc["findings"][0]
    assert set(f) == {"rule", "title", "severity", "passed", "applicable", "evidence", "confidence"}
    assert [x["rule"] for x in doc["findings"]] == list(PACK.rule_ids)
    assert doc["fatal"] == ["forbidden_promise"]
    assert doc["scores"]["marketing"] == 0.0  # 一票否决
    # The service card is vetoed too (any_fatal): a call with a fatal promise never reads 100 (issue 14).
    assert doc["scores"]["service"] == 0.0
    # The review workflow dismisses the promise finding: marketing is re-scored without the fatal item.
    verdicts = [(x, "dismissed" if x["rule"] == "forbidden_promise" else None) for x in doc["findings"]]
    after = rescore(PACK, verdicts)
    assert after.fatal == ()
    assert after.scores["marketing"] > 0
    assert after.scores["service"] > 0  # the veto lifts with the dismissed fatal item
    confirmed = rescore(PACK, [(x, "confirmed") for x in res.findings])
    assert confirmed.to_json() == {"scores": doc["scores"], "fatal": doc["fatal"]}


def test_works_without_meta_or_analysis_and_with_low_role_confidence() -> None:
    from dataclasses import replace

    t = call(GREET, ("agent", "这个产品是保本的"), CLOSE)
    sure = evaluate(t, PACK).finding("forbidden_promise").confidence
    unsure = evaluate(replace(t, role_confidence=0.6), PACK).finding("forbidden_promise").confidence
    assert unsure < sure

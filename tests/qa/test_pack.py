"""Loading packs: versions, overrides by id, clear errors naming file and rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa import DEFAULT_PACK_DIR, RuleError, evaluate, load_pack, load_rules_text
from tests.qa.helpers import call

FIXED = ("greeting", "identity_verification", "risk_disclosure", "suitability", "forbidden_promise", "closing",
         "courtesy", "long_silence", "overtalk", "speech_rate")


def write(d: Path, name: str, text: str) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(text, encoding="utf-8")
    return d


def test_default_pack_has_the_fixed_rule_ids_and_chinese_titles() -> None:
    pack = load_pack()
    assert pack.version == "default-1.5"
    assert set(FIXED) <= set(pack.rule_ids)
    for rid in FIXED:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in pack.get(rid).title), rid
    assert {c.id for c in pack.scorecards} == {"service", "marketing"}


def test_override_merges_fields_and_adds_rules(tmp_path: Path) -> None:
    site = write(tmp_path / "acme", "pack.yaml", "version: acme-3\n")
    write(site, "rules.yaml", """
rules:
  - id: greeting
    severity: major
    weight: 40
  - id: speech_rate
    enabled: false
  - id: no_wechat
    title: 禁止引导客户加微信
    severity: major
    scorecard: service
    mode: must_not
    condition: {keywords: [加我微信, 加个微信]}
""")
    pack = load_pack(DEFAULT_PACK_DIR, site)
    assert pack.version == "default-1.5+acme-3"
    g = pack.get("greeting")
    assert (g.severity, g.weight, g.scope) == ("major", 40.0, "agent")  # untouched fields kept
    assert "speech_rate" not in pack.rule_ids
    res = evaluate(call(("agent", "您好这里是招商银行我是小王"), ("agent", "您加我微信吧")), pack)
    assert not res.finding("no_wechat").passed


def test_override_can_replace_condition(tmp_path: Path) -> None:
    site = write(tmp_path / "s", "x.yaml", "rules:\n  - id: closing\n    condition: {keywords: [祝您发财]}\n")
    pack = load_pack(DEFAULT_PACK_DIR, site)
    t = call(("agent", "您好"), ("agent", "好的祝您发财"))
    assert evaluate(t, pack).finding("closing").passed


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("rules:\n  - id: a\n    title: t\n    condition: {keyword: [x]}\n", "unknown operator 'keyword'"),
        ("rules:\n  - id: a\n    title: t\n    condition: {keywords: [x]\n", "invalid YAML"),
        ("rules:\n  - id: a\n    title: t\n    severity: huge\n    condition: {keywords: [xx]}\n", "severity"),
        ("rules:\n  - id: a\n    title: t\n    condition: {regex: '(['}\n", "invalid regular expression"),
        ("rules:\n  - id: a\n    title: t\n    condition: {rule_hit: nope}\n", "unknown or disabled rule 'nope'"),
        ("rules:\n  - id: a\n    condition: {keywords: [xx]}\n", "missing required field 'title'"),
        ("rules:\n  - id: a\n    title: t\n    condition: {keywords: {terms: [xx], negation: maybe}}\n", "negation"),
        ("rules:\n  - id: a\n    title: t\n    condition: {silence: {min_s: -1}}\n", "min_s"),
        ("rules:\n  - id: a\n    title: t\n    colour: red\n    condition: {keywords: [xx]}\n", "unknown field"),
    ],
)
def test_bad_rules_name_file_and_rule(tmp_path: Path, text: str, needle: str) -> None:
    d = write(tmp_path / "bad", "broken.yaml", text)
    with pytest.raises(RuleError) as err:
        load_pack(d)
    msg = str(err.value)
    assert needle in msg
    assert "broken.yaml" in msg
    if "invalid YAML" not in msg:
        assert "'a'" in msg


def test_cycle_is_reported(tmp_path: Path) -> None:
    d = write(tmp_path / "c", "c.yaml", """
rules:
  - {id: a, title: t, condition: {rule_hit: b}}
  - {id: b, title: t, condition: {rule_hit: a}}
""")
    with pytest.raises(RuleError, match="circular reference"):
        load_pack(d)


def test_missing_dir_and_unknown_scorecard(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="not found"):
        load_pack(tmp_path / "nope")
    rule = "rules:\n  - {id: a, title: t, scorecard: sales, condition: {keywords: [xx]}}\n"
    d = write(tmp_path / "s", "a.yaml", rule)
    with pytest.raises(RuleError, match="unknown scorecard 'sales'"):
        load_pack(d)


def test_draft_rule_on_top_of_published_pack() -> None:
    base = load_pack()
    draft = load_rules_text("rules:\n  - {id: greeting, title: 草稿, condition: {keywords: [喂]}}\n", base=base)
    assert draft.version == "default-1.5+draft"
    assert evaluate(call(("agent", "喂")), draft).finding("greeting").passed
    assert not evaluate(call(("agent", "喂")), base).finding("greeting").passed

"""Draft validation: every bad draft gets a 422 that names the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from callsight.config import settings
from callsight.errors import InvalidInput
from callsight.services.rules import base_pack, compile_draft
from tests.api.conftest import Keys
from tests.factories import auth

GOOD = """rules:
  - id: forbidden_promise
    title: 禁止承诺（草稿）
    severity: fatal
    scorecard: marketing
    weight: 30
    scope: agent
    mode: must_not
    condition:
      keywords:
        terms: [保本, 稳赚不赔, 闭眼买]
        negation: exclude
"""


def _problem(text: str) -> dict[str, object]:
    with pytest.raises(InvalidInput) as err:
        compile_draft(text, base_pack())
    assert err.value.code == "invalid_rule"
    (detail,) = err.value.details
    assert detail["problem"] in err.value.message
    return dict(detail)


def test_valid_draft_compiles_on_top_of_the_pack() -> None:
    draft = compile_draft(GOOD, base_pack())
    assert draft.rule_id == "forbidden_promise" and draft.rule.title == "禁止承诺（草稿）"
    # The rest of the pack is untouched and still there for references.
    assert draft.pack.get("greeting") == base_pack().get("greeting")


def test_bad_yaml_names_the_line() -> None:
    d = _problem("rules:\n  - id: x\n    title: [unclosed\n    condition: {keywords: [a]}\n")
    assert "invalid YAML" in str(d["problem"]) and d["line"] == 4


def test_unknown_operator_names_field_and_line() -> None:
    text = GOOD.replace("      keywords:\n", "      keywordz:\n")
    d = _problem(text)
    assert "unknown operator 'keywordz'" in str(d["problem"])
    assert d["field"] == "condition" and d["line"] == 10


def test_nested_error_points_at_the_nested_line() -> None:
    text = GOOD.replace("        negation: exclude\n", "        negation: sometimes\n")
    d = _problem(text)
    assert d["field"] == "condition.keywords.negation" and d["line"] == 12
    assert "sometimes" in str(d["problem"])


def test_bad_regex_is_named() -> None:
    text = GOOD.replace("      keywords:\n        terms: [保本, 稳赚不赔, 闭眼买]\n        negation: exclude\n",
                        "      regex: '保本(('\n")
    d = _problem(text)
    assert "invalid regular expression" in str(d["problem"]) and d["line"] == 10


def test_duplicate_rule_id_is_rejected() -> None:
    second = GOOD.split("rules:\n", 1)[1]
    d = _problem(GOOD + second)
    assert "duplicate id 'forbidden_promise'" in str(d["problem"])


def test_duplicate_key_is_not_silently_dropped() -> None:
    d = _problem(GOOD + "    condition:\n      keywords: [别的]\n")
    assert "duplicate key 'condition'" in str(d["problem"]) and d["line"] == 13


@pytest.mark.parametrize(("text", "field", "needle"), [
    (GOOD.replace("severity: fatal", "severity: deadly"), "severity", "deadly"),
    (GOOD.replace("    title: 禁止承诺（草稿）\n", ""), "title", "title"),
    (GOOD.replace("    weight: 30\n", "    weight: 30\n    colour: red\n"), "rule", "colour"),
    (GOOD.replace("scorecard: marketing", "scorecard: sales"), "scorecard", "sales"),
    (GOOD.replace("        negation: exclude\n", "        negation: exclude\n    applies_when: {rule_hit: _nope}\n"),
     "rule", "_nope"),
    (GOOD.replace("id: forbidden_promise", "id: 9lives"), "id", "9lives"),
    (GOOD.replace("    mode: must_not\n", "    mode: must_not\n    enabled: false\n"), "enabled", "enabled"),
    ("", "(document)", "empty"),
    ("id: x\ntitle: y\n", "(document)", "rules"),
])
def test_field_errors(text: str, field: str, needle: str) -> None:
    d = _problem(text)
    assert d["field"] == field and needle in str(d["problem"])


def test_api_returns_422_with_the_problem(client: TestClient, keys: Keys) -> None:
    r = client.post("/v1/rules/drafts", json={"yaml": GOOD.replace("keywords:", "keywordz:")}, headers=auth(keys.qa))
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_rule" and "keywordz" in err["message"] and "line 10" in err["message"]
    r = client.post("/v1/rules/drafts", json={"yaml": "rules: [\n"}, headers=auth(keys.qa))
    assert r.status_code == 422 and "invalid YAML" in r.json()["error"]["message"]
    # Nothing was stored by the failed attempts.
    assert client.get("/v1/rules/forbidden_promise/versions", headers=auth(keys.qa)).json() == []


def test_drafts_get_version_numbers_and_can_be_edited(client: TestClient, keys: Keys) -> None:
    r1 = client.post("/v1/rules/drafts", json={"yaml": GOOD, "comment": "加闭眼买"}, headers=auth(keys.qa))
    r2 = client.post("/v1/rules/drafts", json={"yaml": GOOD}, headers=auth(keys.admin))
    assert r1.status_code == r2.status_code == 201, r1.text
    assert (r1.json()["version"], r2.json()["version"]) == (1, 2)
    assert r1.json()["status"] == "draft" and r1.json()["comment"] == "加闭眼买"
    vid = r1.json()["id"]
    edited = GOOD.replace("闭眼买", "闭着眼睛买")
    r = client.put(f"/v1/rules/drafts/{vid}", json={"yaml": edited}, headers=auth(keys.qa))
    assert r.status_code == 200 and "闭着眼睛买" in r.json()["yaml_text"]
    r = client.put(f"/v1/rules/drafts/{vid}", json={"yaml": edited.replace("id: forbidden_promise", "id: other")},
                   headers=auth(keys.qa))
    assert r.status_code == 422 and "forbidden_promise" in r.json()["error"]["message"]
    listed = client.get("/v1/rules/forbidden_promise/versions", headers=auth(keys.qa)).json()
    assert [v["version"] for v in listed] == [2, 1]
    assert client.get("/v1/rules/no_such_rule/versions", headers=auth(keys.qa)).status_code == 404


CLASSIFIER_DRAFT = """rules:
  - id: rude_tone
    title: 服务态度（草稿）
    severity: major
    scope: agent
    mode: must_not
    condition:
      classifier: {model: tone, corpus: CORPUS, threshold: 0.9}
"""


@pytest.mark.parametrize(("corpus", "needle"), [
    ("/etc", "expected the name of a classifier corpus"),
    ("../../qa/courtesy", "paths are not accepted"),
    ("nosuch", "unknown classifier corpus 'nosuch'; known: courtesy"),
])
def test_api_refuses_a_classifier_corpus_path_or_unknown_name(
        client: TestClient, keys: Keys, corpus: str, needle: str) -> None:
    r = client.post("/v1/rules/drafts", json={"yaml": CLASSIFIER_DRAFT.replace("CORPUS", f"'{corpus}'")},
                    headers=auth(keys.qa))
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_rule" and needle in err["message"] and "line 8" in err["message"]
    assert err["details"][0]["field"] == "condition.classifier.corpus"
    assert client.get("/v1/rules/rude_tone/versions", headers=auth(keys.qa)).status_code == 404  # nothing stored


def test_api_accepts_a_corpus_from_a_configured_directory(
        client: TestClient, keys: Keys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tone = tmp_path / "corpora" / "branch_tone"
    tone.mkdir(parents=True)
    (tone / "train.tsv").write_text("rude\t你烦不烦啊真是的\nok\t您好请问有什么可以帮您\n" * 10, encoding="utf-8")
    monkeypatch.setattr(settings, "classifier_corpus_dirs", [tmp_path / "corpora"])
    monkeypatch.setattr(settings, "data_dir", tmp_path / "data")
    r = client.post("/v1/rules/drafts", json={"yaml": CLASSIFIER_DRAFT.replace("CORPUS", "branch_tone")},
                    headers=auth(keys.qa))
    assert r.status_code == 201, r.text
    # The model went to the data dir's models folder, nothing beside the corpus.
    assert [p.name for p in (tmp_path / "data" / "models").iterdir()] == ["classifier_branch_tone_rude.pkl"]
    assert [p.name for p in tone.iterdir()] == ["train.tsv"]

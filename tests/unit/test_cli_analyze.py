"""`callsight analyze`: transcripts and recordings in-process, JSON (Lines) out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callsight.cli import main
from tests.audio_helpers import silence, two_speaker_call, write_wav
from tests.conftest import ASR_SAMPLES, require_dir
from tests.factories import DIALOGUE, transcript_doc


def _write(tmp_path: Path, name: str, doc: object) -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return p


def test_transcript_file_single_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = transcript_doc()
    doc["extra_top_level"] = {"ignored": True}
    path = _write(tmp_path, "t.json", doc)
    assert main(["analyze", str(path), "--json", "--meta", "agent=A9999"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["schema_version"] == "1.3"
    assert result["call"]["source"] == "transcript" and result["call"]["channels"] == 0
    assert result["call"]["meta"]["agent"] == "A9999"  # --meta overrides the file's meta
    assert result["call"]["meta"]["branch"] == "城东支行"
    assert [s["speaker"] for s in result["segments"]] == [s for s, _ in DIALOGUE]
    assert result["segments"][0]["text"] == DIALOGUE[0][1]
    assert "13812345678" not in json.dumps(result, ensure_ascii=False)
    assert result["pii_masked"] is True


def test_show_pii_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "t.json", transcript_doc())
    assert main(["analyze", str(path), "--json", "--show-pii"]) == 0
    assert "13812345678" in capsys.readouterr().out


def test_several_inputs_give_json_lines_and_errors_per_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path, "good.json", transcript_doc())
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    missing = _write(tmp_path, "missing.json", {"meta": {}})
    rc = main(["analyze", str(good), str(bad), str(missing), str(tmp_path / "nope.wav"), "--json"])
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert rc == 1 and len(lines) == 4
    assert lines[0]["call"]["source"] == "transcript"
    assert lines[1]["error"]["code"] == "bad_json"
    assert lines[2]["error"]["code"] == "invalid_transcript" and "turns" in lines[2]["error"]["message"]
    assert lines[3]["error"]["code"] == "not_found"
    assert "bad.json" in captured.err


def test_bad_meta_argument(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "t.json", transcript_doc())
    assert main(["analyze", str(path), "--meta", "nokeyvalue"]) == 1
    assert "key=value" in capsys.readouterr().err
    assert main(["analyze", str(path), "--json", "--meta", "started_at=notadate"]) == 1


def test_text_file_renamed_wav(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "fake.wav"
    fake.write_text("hello, not audio\n" * 20)
    assert main(["analyze", str(fake), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["error"]["code"] and "fake.wav" in out["error"]["message"]


@pytest.mark.asr
def test_audio_two_channel_and_silence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    samples = require_dir(ASR_SAMPLES, "shared ASR samples")
    call = two_speaker_call(tmp_path / "call.wav", samples / "rapidasr_asr_example_zh.wav",
                            samples / "speechio_CCTV_104.wav")
    quiet = write_wav(tmp_path / "quiet.wav", [silence(3.0), silence(3.0)])
    assert main(["analyze", str(call), str(quiet), "--json"]) == 0
    first, second = (json.loads(x) for x in capsys.readouterr().out.splitlines())
    assert first["call"]["source"] == "audio" and first["call"]["channels"] == 2
    assert first["call"]["asr"]["model"] and first["call"]["asr"]["compute_type"] == "int8"
    assert [s["speaker"] for s in first["segments"]] == ["agent", "customer"]
    assert "春节" in first["segments"][1]["text"]
    assert first["role_confidence"] == 1.0
    assert second["segments"] == [] and second["call"]["duration_s"] == pytest.approx(3.0, abs=0.1)


def test_result_carries_analysis_and_compliance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = {"meta": {"branch": "城东支行", "direction": "outbound"}, "turns": [
        {"speaker": "agent", "text": "您好这里是恒信银行城东支行我是理财经理王芳工号A1023"},
        {"speaker": "customer", "text": "嗯你好我那个李财快到期了想问问有啥好的"},
        {"speaker": "agent", "text": "给您推荐这款理财产品保本保收益稳赚不赔"},
        {"speaker": "customer", "text": "要是亏了我就打12378投诉你们"},
        {"speaker": "agent", "text": "好的请问还有什么可以帮您"},
    ]}
    path = tmp_path / "t.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["analyze", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert "complaint" in result["intents"]["all"]  # the threat
    assert set(result["intents"]["all"]) & {"product_inquiry", "purchase", "returns_inquiry"}  # the maturity question
    assert result["complaint_risk"]["level"] == "high"
    findings = {f["rule"]: f for f in result["compliance"]["findings"]}
    promise = findings["forbidden_promise"]
    assert promise["applicable"] and not promise["passed"]
    assert promise["evidence"][0]["segment"] == 2
    assert "forbidden_promise" in result["compliance"]["fatal"]
    assert result["compliance"]["scores"]["marketing"] == 0


def test_single_input_json_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "t.json", transcript_doc())
    assert main(["analyze", str(path), "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1  # JSON Lines for one input too, so `jq -c`/line readers never see pretty JSON
    assert json.loads(lines[0])["call"]["source"] == "transcript"


def test_without_json_prints_a_readable_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = {"meta": {"branch": "城东支行"}, "turns": [
        {"speaker": "agent", "text": "您好这里是恒信银行城东支行我是理财经理王芳工号A1023"},
        {"speaker": "customer", "text": "我的理财快到期了想问问有啥好的"},
        {"speaker": "agent", "text": "给您推荐这款理财产品保本保收益稳赚不赔"},
        {"speaker": "customer", "text": "要是亏了我就打12378投诉你们"},
    ]}
    path = _write(tmp_path, "t.json", doc)
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    assert not out.lstrip().startswith("{")
    assert "投诉风险: 高" in out and "主要意图:" in out and "服务分:" in out
    assert "未通过的质检项" in out and "稳赚不赔" in out  # the failed rule with its words
    assert "forbidden_promise" not in out  # titles, not rule ids
    assert "营销机会:" in out and "产品/存款到期" in out
    assert "转写:" in out and "坐席: 您好这里是" in out

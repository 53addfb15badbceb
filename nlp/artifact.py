"""One file format for every trained model of nlp/: a magic line, a pickled header
(format version, scikit-learn version, corpus hash) and the pickled model, written to a
temporary file then renamed, so a reader never sees half a file. A model whose header
names another format or scikit-learn version is refused; the caller retrains it.

Only files this system wrote may be loaded: the body is a pickle.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["read_artifact", "write_artifact"]


def write_artifact(path: str | Path, magic: bytes, header: dict[str, Any], model: object) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(magic)
            pickle.dump(header, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_artifact(path: str | Path, magic: bytes, format_version: int, what: str) -> object:
    """The model in ``path``; ``ValueError`` naming the problem when the file is not such
    a model or another format / scikit-learn version wrote it (callers re-raise it as their
    own version error, which makes them retrain)."""
    import sklearn

    with open(path, "rb") as fh:
        if fh.read(len(magic)) != magic:
            raise ValueError(f"{path}: not {what} file")
        header = pickle.load(fh)
        if header.get("format") != format_version or header.get("sklearn") != sklearn.__version__:
            raise ValueError(
                f"{path}: format {header.get('format')} / scikit-learn {header.get('sklearn')}, "
                f"this build needs format {format_version} / scikit-learn {sklearn.__version__}"
            )
        return pickle.load(fh)

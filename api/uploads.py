"""Upload housekeeping: a client's file name made safe to keep, and the temp files
of uploads that never finished (the API process was killed mid-copy)."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

from callsight.services.calls import AUDIO_EXTENSIONS

log = logging.getLogger(__name__)

UPLOAD_PREFIX = "upload-"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_filename(raw: str | None) -> str:
    """The client's file name as shown back in messages and stored on the call: the
    last path component, control characters (NUL included) removed, at most 200 chars."""
    name = _CONTROL.sub("", Path((raw or "").replace("\\", "/")).name).strip()
    return name[:200] or "upload.bin"


def temp_suffix(filename: str) -> str:
    """A temp file keeps a known audio extension (FFmpeg probes by content anyway);
    anything else, e.g. a 300-character "extension", is not used in a path."""
    suffix = Path(filename).suffix.lower()
    return suffix if suffix in AUDIO_EXTENSIONS else ""


def sweep_stale_uploads(audio_dir: Path, older_than_s: float = 3600.0) -> int:
    """Delete ``upload-*`` temp files older than ``older_than_s``: an upload in
    progress rewrites its file continuously; one untouched for an hour was orphaned
    by a process that died before its ``finally`` ran. Returns how many were removed."""
    if not audio_dir.is_dir():
        return 0
    cutoff = time.time() - older_than_s
    removed = 0
    for path in audio_dir.glob(f"{UPLOAD_PREFIX}*"):
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # another API process swept it first
    if removed:
        log.info("removed %d orphaned upload temp file(s) from %s", removed, audio_dir)
    return removed

"""A FLAC whose STREAMINFO lies about its length: the trick that slipped a long
recording past a limit checked against the header."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.audio_helpers import encode


def lying_flac(path: Path, *, real_s: float, stated_s: float, rate: int = 8000) -> Path:
    """Encode ``real_s`` seconds of quiet noise (FLAC squeezes it small) and rewrite
    STREAMINFO's total-samples field to say ``stated_s``."""
    rng = np.random.default_rng(7)
    audio = (rng.standard_normal(int(real_s * rate)) * 0.001).astype(np.float32)
    encode(path, [audio], rate, "flac")
    data = bytearray(path.read_bytes())
    assert data[:4] == b"fLaC" and data[4] & 0x7F == 0, "STREAMINFO must be the first block"
    # STREAMINFO starts at byte 8; bytes 10..17 of it pack sample rate (20 bits),
    # channels-1 (3), bits-1 (5) and total samples (36).
    start = 8 + 10
    packed = int.from_bytes(data[start:start + 8], "big")
    packed = (packed & ~((1 << 36) - 1)) | int(stated_s * rate)
    data[start:start + 8] = packed.to_bytes(8, "big")
    path.write_bytes(bytes(data))
    return path

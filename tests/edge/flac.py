"""A FLAC whose STREAMINFO lies about its length: the trick that slipped a long
recording past a limit checked against the header."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np


def lying_flac(path: Path, *, real_s: float, stated_s: float, rate: int = 8000, noise: float = 0.001) -> Path:
    """Encode ``real_s`` seconds of quiet noise (``noise=0``: silence, which FLAC
    squeezes to almost nothing) block by block, then rewrite STREAMINFO's
    total-samples field to say ``stated_s``."""
    rng = np.random.default_rng(7)
    total = int(real_s * rate)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("flac", rate=rate, layout="mono")  # type: ignore[call-overload]
        block = 4608
        for pos in range(0, total, block):
            n = min(block, total - pos)
            samples = (rng.standard_normal(n) * noise * 32767).astype(np.int16) if noise else np.zeros(n, np.int16)
            frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
            frame.sample_rate = rate
            frame.pts = pos
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
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

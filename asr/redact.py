"""A bleeped copy of a recording: the given time spans replaced by a 1 kHz tone on
every channel (where personal numbers were spoken; nlp.pii_audio.pii_time_spans finds them).

The copy is written at the recording's own sample rate and channel count as FLAC
(lossless, so nothing outside the spans changes beyond decoding), to a temporary
file renamed into place.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import av
import numpy as np

from asr.audio import load_channels, probe

BEEP_HZ = 1000.0
BEEP_LEVEL = 0.2


def bleep(source: str | Path, spans: Sequence[tuple[float, float]], target: str | Path) -> int:
    """Write ``target`` (FLAC) with ``spans`` (seconds) bleeped; returns how many spans."""
    info = probe(source)
    rate = info.sample_rate
    channels = load_channels(source, sample_rate=rate)
    out = np.stack(channels).astype(np.float32, copy=True)
    n = out.shape[1]
    done = 0
    for start, end in spans:
        a, b = max(0, int(start * rate)), min(n, int(np.ceil(end * rate)))
        if b <= a:
            continue
        t = np.arange(b - a) / rate
        out[:, a:b] = (BEEP_LEVEL * np.sin(2 * np.pi * BEEP_HZ * t)).astype(np.float32)
        done += 1
    target = Path(target)
    tmp = target.with_name(f".{target.name}.part")
    layout = {1: "mono", 2: "stereo"}.get(out.shape[0], f"{out.shape[0]}c")
    try:
        with av.open(str(tmp), "w", format="flac") as container:
            stream = container.add_stream("flac", rate=rate, layout=layout)
            pcm = (np.clip(out, -1.0, 1.0) * 32767).astype(np.int16)
            step = 4096
            for pos in range(0, n, step):
                block = np.ascontiguousarray(pcm[:, pos : pos + step].T).reshape(1, -1)
                frame = av.AudioFrame.from_ndarray(block, format="s16", layout=layout)
                frame.sample_rate = rate
                frame.pts = pos
                for packet in stream.encode(frame):
                    container.mux(packet)
            for packet in stream.encode(None):
                container.mux(packet)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return done

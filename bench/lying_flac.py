"""How fast a recording that lies about its length is stopped (issue 15).

    .venv/bin/python -m bench.lying_flac                 # 6 h of audio under a header saying 60 s, 4 h limit
    .venv/bin/python -m bench.lying_flac --real-h 0.5 --limit-h 0.25

Writes a FLAC of near-silence (8 kHz mono), rewrites STREAMINFO to state 60 s, then
times the upload check (``probe``: reads the packets, decodes nothing) and the worker's
decoding (``iter_chunks`` with the limit: stops once past it).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from asr.audio import AudioTooLongError, iter_chunks, probe


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real-h", type=float, default=6.0)
    parser.add_argument("--limit-h", type=float, default=4.0)
    args = parser.parse_args()
    from tests.edge.flac import lying_flac

    limit = args.limit_h * 3600
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = lying_flac(Path(tmp) / "liar.flac", real_s=args.real_h * 3600, stated_s=60, noise=0)
        made = time.perf_counter() - t0
        print(f"file: {args.real_h:g} h of audio stated as 60 s, {path.stat().st_size / 1e6:.1f} MB "
              f"(written in {made:.1f} s); limit {args.limit_h:g} h")
        t0 = time.perf_counter()
        try:
            info = probe(path, max_duration_s=limit)
            print(f"probe: ACCEPTED as {info.duration_s:.0f} s in {time.perf_counter() - t0:.2f} s")
        except AudioTooLongError as exc:
            print(f"probe: refused in {time.perf_counter() - t0:.2f} s: {exc}")
        t0 = time.perf_counter()
        decoded = 0.0
        try:
            for offset, channels in iter_chunks(path, chunk_s=600, max_duration_s=limit):
                decoded = offset + len(channels[0]) / 16000
            print(f"decode: completed {decoded:.0f} s in {time.perf_counter() - t0:.1f} s")
        except AudioTooLongError as exc:
            print(f"decode: stopped after {decoded / 3600:.2f} h handed out, "
                  f"{time.perf_counter() - t0:.1f} s: {exc}")


if __name__ == "__main__":
    main()

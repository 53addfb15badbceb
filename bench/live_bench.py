"""Latency of live suggestions (WS /v1/live, audio mode) on real two-channel calls
streamed in real time.

    python -m bench.live_bench [--calls 07 04 02] [--speed 1.0]

Each sample call is decoded (8 kHz, two channels), sent as 100 ms frames of
interleaved 16-bit PCM paced to the clock through the real API (TestClient over a
throw-away SQLite database), and for every utterance the server transcribes we
measure, on the client, the time from sending the frame that holds the end of the
words to receiving its ``transcript`` message, and likewise for ``suggestion``
messages (which follow the transcript of the customer's opening). The end of the
words is the server's VAD end of the utterance; the pause that closes an utterance
(``CALLSIGHT_LIVE_PAUSE_S``, 0.5 s) is part of every figure. Prints p50/p95/max.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("CALLSIGHT_DATA_DIR", tempfile.mkdtemp(prefix="callsight-live-bench-"))
REPO = Path(__file__).resolve().parent.parent
os.environ.setdefault("CALLSIGHT_ASR_CACHE_DIR", str(REPO / "var" / "models"))

import numpy as np  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from asr.audio import load_channels  # noqa: E402

RATE = 8000
FRAME_S = 0.1


def frames_of(path: Path) -> list[bytes]:
    agent, customer = load_channels(path, sample_rate=RATE)[:2]
    inter = np.empty(2 * len(agent), dtype="<i2")
    inter[0::2] = np.clip(agent * 32767, -32768, 32767).astype("<i2")
    inter[1::2] = np.clip(customer * 32767, -32768, 32767).astype("<i2")
    step = int(FRAME_S * RATE) * 2
    return [inter[i : i + step].tobytes() for i in range(0, len(inter), step)]


def stream(client: TestClient, key: str, path: Path, speed: float) -> list[tuple[str, str, float, dict[str, Any]]]:
    """(kind, speaker, client latency s, message) for every transcript and suggestion."""
    frames = frames_of(path)
    sent: list[float] = []
    got: list[tuple[float, dict[str, Any]]] = []
    with client.websocket_connect(f"/v1/live?key={key}") as ws:
        ws.receive_json()
        ws.send_json({"type": "start", "sample_rate": RATE, "channels": 2, "layout": "agent,customer",
                      "meta": {"customer_risk_level": "C3", "call_id": path.stem}})
        ws.receive_json()

        def reader() -> None:
            while True:
                msg = ws.receive_json()
                got.append((time.perf_counter(), msg))
                if msg["type"] == "ended":
                    return

        th = threading.Thread(target=reader, daemon=True)
        th.start()
        t0 = time.perf_counter()
        for k, frame in enumerate(frames):
            time.sleep(max(0.0, t0 + k * FRAME_S / speed - time.perf_counter()))
            ws.send_bytes(frame)
            sent.append(time.perf_counter())
        ws.send_json({"type": "end"})
        th.join(timeout=120)
    out = []
    last_end: dict[str, float] = {}
    for at, msg in got:
        if msg["type"] == "transcript":
            last_end[msg["speaker"]] = msg["end"]
            k = min(len(sent) - 1, int(msg["end"] / FRAME_S))
            out.append(("transcript", msg["speaker"], at - sent[k], msg))
        elif msg["type"] == "suggestion":
            k = min(len(sent) - 1, int(last_end.get("customer", 0.0) / FRAME_S))
            out.append(("suggestion", "customer", at - sent[k], msg))
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description="live suggestion latency on real calls streamed in real time")
    ap.add_argument("--calls", nargs="+", default=["07", "04", "02"], help="sample call number prefixes")
    ap.add_argument("--speed", type=float, default=1.0, help="1.0 = real time")
    args = ap.parse_args()

    from api.app import app
    from callsight import runtime
    from callsight.auth import create_user
    from callsight.db.migrate import upgrade
    from callsight.db.session import get_engine, new_session
    from callsight.live import warm_up

    upgrade(get_engine())
    with new_session() as s:
        _, key = create_user(s, name="bench-agent", role="agent", agent_code="B0001")
        s.commit()
    warm_up()
    engine = runtime.asr_engine()
    print(f"ASR: {engine.model_ref.label} on {engine.device}/{engine.compute_type}, beam {engine.beam_size}; "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
    rows: list[tuple[str, str, float, dict[str, Any]]] = []
    with TestClient(app) as client:
        for prefix in args.calls:
            path = next((REPO / "samples" / "calls").glob(f"{prefix}*.opus"))
            got = stream(client, key, path, args.speed)
            sugs = [m["opening"]["type"] for kind, _, _, m in got if kind == "suggestion"]
            print(f"{path.name}: {sum(1 for g in got if g[0] == 'transcript')} utterances, suggestions {sugs}")
            rows += got
    for label, sel in (("customer utterance -> transcript", [r for r in rows if r[:2] == ("transcript", "customer")]),
                       ("agent utterance -> transcript", [r for r in rows if r[:2] == ("transcript", "agent")]),
                       ("customer words -> suggestion", [r for r in rows if r[0] == "suggestion"])):
        lat = [r[2] for r in sel]
        if lat:
            print(f"{label:34s} n={len(lat):3d}  p50 {statistics.median(lat):.2f} s  p95 {pct(lat, 0.95):.2f} s  "
                  f"max {max(lat):.2f} s")
    asr = [r[3]["timing_ms"]["asr_end"] - r[3]["timing_ms"]["asr_start"] for r in rows if r[0] == "transcript"]
    if asr:
        print(f"{'ASR decode per utterance':34s} n={len(asr):3d}  p50 {statistics.median(asr) / 1000:.2f} s  "
              f"p95 {pct([a / 1000 for a in asr], 0.95):.2f} s")


if __name__ == "__main__":
    main()

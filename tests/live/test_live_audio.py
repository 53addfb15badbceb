"""WS /v1/live, audio mode, with a real recorded two-channel call streamed in real time.

samples/calls/07_cd_large_deposit.opus: at 39.68–44.71 s the customer says
就是说我孩子明年上大学，到时候可能要用一笔钱 (an education opening; the .json beside it is
the script). The test streams 38 s .. 58 s in 100 ms frames of interleaved 16-bit PCM
paced to the clock, and measures the time from sending the frame that holds the end
of those words to receiving the suggestion. Only a generous sanity bound is asserted
(the figure depends on the machine); bench/live_bench.py reports the distribution.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import numpy as np
from fastapi.testclient import TestClient

from asr.audio import load_channels
from tests.api.conftest import Keys
from tests.conftest import SAMPLE_CALLS

RATE = 8000
FRAME_S = 0.1
CALL = SAMPLE_CALLS / "07_cd_large_deposit"
FROM_S, TO_S = 38.0, 58.0


def pcm_frames(path: str, start_s: float, end_s: float) -> list[bytes]:
    """The recording as 100 ms frames of interleaved little-endian 16-bit PCM at 8 kHz."""
    agent, customer = load_channels(path, sample_rate=RATE)
    a, b = (ch[int(start_s * RATE) : int(end_s * RATE)] for ch in (agent, customer))
    inter = np.empty(2 * len(a), dtype="<i2")
    inter[0::2] = np.clip(a * 32767, -32768, 32767).astype("<i2")
    inter[1::2] = np.clip(b * 32767, -32768, 32767).astype("<i2")
    step = int(FRAME_S * RATE) * 2
    return [inter[i : i + step].tobytes() for i in range(0, len(inter), step)]


def test_streamed_call_gets_an_education_suggestion(client: TestClient, keys: Keys, asr_engine: Any,
                                                    record_property: Any) -> None:
    turns = json.loads(CALL.with_suffix(".json").read_text(encoding="utf-8"))["turns"]
    opening = next(t for t in turns if "上大学" in t["text"])
    frames = pcm_frames(str(CALL.with_suffix(".opus")), FROM_S, TO_S)
    end_frame = int((opening["end"] - FROM_S) / FRAME_S)  # the frame holding the end of the words
    received: list[tuple[float, dict[str, Any]]] = []
    with client.websocket_connect("/v1/live") as ws:
        ws.send_json({"type": "auth", "key": keys.agent_1023})
        assert ws.receive_json()["type"] == "ready"
        ws.send_json({"type": "start", "sample_rate": RATE, "channels": 2, "layout": "agent,customer"})
        assert ws.receive_json()["type"] == "started"

        def receive() -> None:
            while True:
                msg = ws.receive_json()
                received.append((time.perf_counter(), msg))
                if msg["type"] in ("ended", "error"):
                    return

        reader = threading.Thread(target=receive, daemon=True)
        reader.start()
        t0 = time.perf_counter()
        sent_end = 0.0
        for k, frame in enumerate(frames):
            time.sleep(max(0.0, t0 + k * FRAME_S - time.perf_counter()))  # real time
            ws.send_bytes(frame)
            if k == end_frame:
                sent_end = time.perf_counter()
        ws.send_json({"type": "end"})
        reader.join(timeout=60)
    kinds = [m["type"] for _, m in received]
    assert "error" not in kinds, received
    customer = [m for _, m in received if m["type"] == "transcript" and m["speaker"] == "customer"]
    assert any("大学" in m["text"] for m in customer), customer
    sugs = [(t, m) for t, m in received if m["type"] == "suggestion"]
    assert [m["opening"]["type"] for _, m in sugs] == ["education"], sugs
    at, msg = sugs[0]
    latency = at - sent_end
    record_property("live_suggestion_latency_s", round(latency, 3))
    record_property("server_latency_ms", msg["latency_ms"])
    print(f"\nlive suggestion latency: {latency:.2f} s after the end of the customer's words "
          f"(server-measured {msg['latency_ms']} ms)")
    assert msg["scripts"], msg
    assert 0 < latency < 30.0  # a hang, not a speed bar: latency is measured in bench/live_bench.py

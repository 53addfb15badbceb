"""Hotword probe clips: the issue's sentence (您好，这里是招商银行理财中心，我是理财经理小王)
spoken in each agent voice of the sample calls, at telephone quality, mono 8 kHz.
The base model tends to write 李财 for 理财 here; bench/asr_bench.py counts how often
with and without the hotword list.

    /tmp/ttsenv/bin/python tools/make_probes.py      # needs the TTS venv (tools/README.md)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_samples import AGENT_VOICES, RATE, Synth, band_limit, to_phone

SENTENCE = "您好，这里是招商银行理财中心，我是理财经理小王"
OUT = Path(__file__).resolve().parent.parent / "samples" / "probes"


def write_mono_opus(path: Path, x: np.ndarray) -> None:
    import av

    with av.open(str(path), "w", format="ogg", options={"fflags": "+bitexact"}) as out:
        stream = out.add_stream("libopus", rate=RATE, layout="mono")
        stream.bit_rate = 24000
        stream.codec_context.flags |= av.codec.context.Flags.bitexact
        for i in range(0, len(x), RATE):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(x[i : i + RATE]).reshape(1, -1),
                                               format="flt", layout="mono")
            frame.rate = RATE
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    synth = Synth(Path("/tmp/callsight-samples-cache/tts"))
    rng = np.random.default_rng(7)
    for agent, voice in AGENT_VOICES.items():
        speech = to_phone(synth.say(SENTENCE, voice), voice.shift)
        speech *= 0.12 / (np.sqrt(np.mean(speech**2)) + 1e-9)
        pad = np.zeros(int(0.5 * RATE), np.float32)
        x = np.concatenate([pad, speech, pad])
        x = band_limit(x + rng.normal(0, 0.003, len(x)).astype(np.float32), RATE, 300, 3400)
        write_mono_opus(OUT / f"licai_{agent}.opus", np.clip(x, -0.98, 0.98).astype(np.float32))
    (OUT / "README.md").write_text(
        "# Hotword probes\n\nThe sentence `" + SENTENCE + "` in each sample-call agent voice, mono 8 kHz "
        "telephone quality, made by `tools/make_probes.py`. `bench/asr_bench.py` counts 理财 vs 李财 "
        "with and without the hotword list.\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

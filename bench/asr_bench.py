"""ASR speed and accuracy, measured in one run on this machine; regenerates
docs/benchmarks.md.

    .venv/bin/python -m bench.asr_bench            # all sample calls, writes docs/benchmarks.md
    .venv/bin/python -m bench.asr_bench --calls 3 --no-write

Speed: on the same two-channel sample calls, bare faster-whisper (decode, split the
channels, one transcribe per channel, same model settings) against the full
``callsight analyze`` path (probe, ASR with hotwords, Simplified conversion, turn
merge, conversation analysis, compliance rules, result JSON, PII masking). The
pipeline is also run with hotwords off, to separate our overhead from the cost of a
longer decoder prompt. Calls alternate the order of the variants to spread noise.

Accuracy: CER on the shared real Mandarin clips (adult speech; the child reading is
kept out), original and simulated-telephone versions, for bare faster-whisper and
for the pipeline (hotwords + Simplified + cleaning). Punctuation removed before scoring.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples" / "calls"
# A git worktree sits one level deeper than the main checkout: the same variable as the tests.
SHARED = Path(os.environ.get("CALLSIGHT_TEST_SHARED_DIR") or REPO.parent / "shared") / "asr-samples"
CHILD = {"cosyvoice_fork_wzy_read_poet_27s.wav"}
THREADS = int(os.environ.get("BENCH_THREADS", "2"))


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import ctranslate2
    import faster_whisper

    return (f"{cpu}, {os.cpu_count()} cores visible, Python {platform.python_version()}, "
            f"faster-whisper {faster_whisper.__version__}, ctranslate2 {ctranslate2.__version__}")


def _bare_model() -> Any:
    from faster_whisper import WhisperModel

    from asr.model import resolve_model
    from callsight.config import settings

    ref = resolve_model(settings.asr_model or None, settings.model_cache_dir)
    return WhisperModel(ref.path, device="cpu", compute_type="int8", cpu_threads=THREADS)


def _bare_transcribe(model: Any, audio: Any) -> str:
    segments, _ = model.transcribe(audio, language="zh", beam_size=5, vad_filter=True, word_timestamps=True)
    return "".join(s.text for s in segments)


def bare_call(model: Any, path: Path) -> float:
    from faster_whisper import decode_audio

    t0 = time.perf_counter()
    left, right = decode_audio(str(path), split_stereo=True)
    _bare_transcribe(model, left)
    _bare_transcribe(model, right)
    return time.perf_counter() - t0


def pipeline_call(path: Path, *, hotwords: bool) -> tuple[float, dict[str, Any]]:
    from callsight import privacy, runtime
    from callsight.analyze import analyze_file
    from callsight.config import settings

    engine = runtime.asr_engine()

    def eng() -> Any:
        return engine if hotwords else _NoHotwords(engine)

    t0 = time.perf_counter()
    result = analyze_file(path, meta={}, engine=eng, analyzers=runtime.analyzers(),
                          channel_map=runtime.channel_map, max_duration_s=settings.max_duration_s).to_json()
    result = privacy.mask_result(result)
    return time.perf_counter() - t0, result


class _NoHotwords:
    """The same engine with hotwords off (separates prompt cost from our overhead)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def transcribe(self, path: Any, **kw: Any) -> Any:
        return self.engine.transcribe(path, use_hotwords=False, **kw)


def speed(calls: list[Path]) -> list[str]:
    from asr.audio import probe
    from callsight import runtime

    bare_model = _bare_model()
    runtime.asr_engine()
    runtime.analyzers()
    # Warm both paths once (first-call allocations, VAD model load).
    bare_call(bare_model, calls[0])
    pipeline_call(calls[0], hotwords=True)
    audio = bare = pipe = pipe_nohw = analysis = 0.0
    texts: dict[str, list[tuple[Path, dict[str, Any]]]] = {"nohw": [], "pipe": []}
    for i, path in enumerate(calls):
        audio += probe(path).duration_s
        order = ["bare", "nohw", "pipe"] if i % 2 == 0 else ["pipe", "nohw", "bare"]
        for kind in order:
            if kind == "bare":
                bare += bare_call(bare_model, path)
            elif kind == "nohw":
                wall, result = pipeline_call(path, hotwords=False)
                pipe_nohw += wall
                texts["nohw"].append((path, result))
            else:
                wall, result = pipeline_call(path, hotwords=True)
                pipe += wall
                analysis += wall - result["call"]["asr"]["seconds"]
                texts["pipe"].append((path, result))
        print(f"  {path.name}: done", flush=True)
    return [
        f"Calls: {len(calls)} bundled two-channel 8 kHz sample calls, {audio:.0f} s of audio in all; "
        f"whisper-base int8, beam 5, VAD, word timestamps, {THREADS} threads.",
        "",
        "| path | wall s | audio s per wall s | vs bare |",
        "|---|---:|---:|---:|",
        f"| bare faster-whisper (per channel) | {bare:.1f} | {audio / bare:.1f} | 1.00 |",
        f"| callsight analyze, hotwords off | {pipe_nohw:.1f} | {audio / pipe_nohw:.1f} | {pipe_nohw / bare:.2f} |",
        f"| callsight analyze (default: hotwords on) | {pipe:.1f} | {audio / pipe:.1f} | {pipe / bare:.2f} |",
        "",
        f"Pipeline overhead beyond ASR with the same decoder settings (hotwords off): "
        f"**{(pipe_nohw - bare) / bare * 100:+.1f} %** of the bare ASR time. "
        f"Text analysis + rules + result JSON + masking, measured inside the default run: "
        f"{analysis:.2f} s for {len(calls)} calls ({analysis / len(calls) * 1000:.0f} ms per call). "
        f"The rest of the difference between the default and bare is the hotword prompt, a longer decoder "
        f"prompt in every 30 s window.",
        "",
        "### Domain vocabulary on the sample calls (hotwords off vs on)",
        "",
        *vocabulary(texts),
    ]


TERMS = ("理财", "基金", "定投", "风险", "测评", "大额存单", "工号", "赎回", "收益", "存款")


def vocabulary(texts: dict[str, list[tuple[Path, dict[str, Any]]]]) -> list[str]:
    """CER against the sample calls' scripts and recall of finance terms, per variant."""
    import json

    from asr.metrics import edit_distance, strip_punct

    out = ["| variant | CER (agent+customer) | finance-term recall | 李财 written |", "|---|---:|---:|---:|"]
    for kind, label in (("nohw", "hotwords off"), ("pipe", "hotwords on (default)")):
        edits = chars = hit = want = licai = 0
        for path, result in texts[kind]:
            ref = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            for speaker in ("agent", "customer"):
                gold = strip_punct("".join(t["text"] for t in ref["turns"] if t["speaker"] == speaker))
                hyp = strip_punct("".join(s["text"] for s in result["segments"] if s["speaker"] == speaker))
                edits += edit_distance(gold, hyp)
                chars += len(gold)
                for term in TERMS:
                    want += gold.count(term)
                    hit += min(gold.count(term), hyp.count(term))
                licai += hyp.count("李财")
        out.append(f"| {label} | {edits / chars:.1%} | {hit}/{want} = {hit / max(want, 1):.1%} | {licai} |")
    out += ["", f"Terms counted: {'、'.join(TERMS)}. References: the scripts the sample calls were voiced from "
            "(samples/calls/*.json); digits in the scripts vs spoken numerals in the ASR count as errors."]
    return out


def probes() -> list[str]:
    """The issue's sentence in six TTS voices (samples/probes): how often 李财 appears."""
    from callsight import runtime

    clips = sorted((REPO / "samples" / "probes").glob("*.opus"))
    if not clips:
        return []
    engine = runtime.asr_engine()
    counts = {}
    for hw in (False, True):
        texts = ["".join(s.text for s in engine.transcribe(c, channel_map=("agent",), use_hotwords=hw).segments)
                 for c in clips]
        counts[hw] = (sum("理财" in t for t in texts), sum("李财" in t for t in texts), texts[0])
    return ["", "### Hotword probe: 您好，这里是招商银行理财中心，我是理财经理小王", "",
            f"{len(clips)} TTS voices (samples/probes). Hotwords off: 理财 in {counts[False][0]}, 李财 in "
            f"{counts[False][1]}; on: 理财 in {counts[True][0]}, 李财 in {counts[True][1]}. "
            f"Example (on): {counts[True][2]}"]


def accuracy() -> list[str]:
    from asr.metrics import edit_distance, strip_punct
    from asr.text import to_simplified
    from callsight import runtime

    if not (SHARED / "manifest.tsv").exists():
        return [f"(skipped: {SHARED} not found)"]
    rows = [line.split("\t") for line in (SHARED / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    clips = [(name, ref) for name, ref, *_ in rows if name not in CHILD]
    bare_model = _bare_model()
    engine = runtime.asr_engine()
    out = ["| audio | clips | ref chars | bare | bare + Simplified | pipeline |", "|---|---:|---:|---:|---:|---:|"]
    variants = (("original", SHARED, ""), ("telephone 8 kHz (simulated)", SHARED / "tel8k", "_tel8k"))
    for label, folder, suffix in variants:
        n_ref = e_bare = e_simp = e_pipe = 0
        used = 0
        for name, ref in clips:
            path = folder / (Path(name).stem + suffix + ".wav")
            if not path.exists():
                continue
            used += 1
            ref_n = strip_punct(ref)
            hyp_bare = strip_punct(_bare_transcribe(bare_model, str(path)))
            hyp_pipe = strip_punct("".join(s.text for s in engine.transcribe(path, channel_map=("agent",)).segments))
            n_ref += len(ref_n)
            e_bare += edit_distance(ref_n, hyp_bare)
            e_simp += edit_distance(ref_n, strip_punct(to_simplified(hyp_bare)))
            e_pipe += edit_distance(ref_n, hyp_pipe)
        if used:
            out.append(f"| {label} | {used} | {n_ref} | {e_bare / n_ref:.1%} | {e_simp / n_ref:.1%} | "
                       f"{e_pipe / n_ref:.1%} |")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--calls", type=int, default=0, help="use only the first N sample calls")
    ap.add_argument("--no-write", action="store_true", help="print, do not rewrite docs/benchmarks.md")
    args = ap.parse_args()
    calls = sorted(SAMPLES.glob("*.opus"))
    if args.calls:
        calls = calls[: args.calls]
    stamp = time.strftime("%Y-%m-%d %H:%M")
    lines = ["# Benchmarks", "", f"Regenerate: `.venv/bin/python -m bench.asr_bench` (last run {stamp}).", "",
             f"Machine: {_machine()}. The machine is shared and noisy: compare figures within one run only.", ""]
    lines += ["## Speed: bare faster-whisper vs the full `callsight analyze` path", ""]
    lines += speed(calls)
    lines += probes()
    lines += ["", "## Accuracy: CER on real Mandarin clips (../shared/asr-samples, adult speech)", ""]
    lines += accuracy()
    lines += ["", "Bare: faster-whisper's output as is (about half comes out in Traditional characters). "
              "Pipeline: hotwords, Traditional→Simplified, junk-token and hallucination cleaning.", ""]
    lines += ["", "## Text analysis and rules on pre-transcribed calls (one core)", ""]
    for module in ("bench.nlp_bench", "bench.qa_bench"):
        # Each pins itself to one core; run them as their own processes.
        proc = subprocess.run([sys.executable, "-m", module], capture_output=True, text=True, cwd=REPO, check=False)
        lines += [f"`python -m {module}`:", "", "```", (proc.stdout or proc.stderr).strip(), "```", ""]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        doc = REPO / "docs" / "benchmarks.md"
        # Sections measured by other benches (reports at scale, backtests, live latency)
        # sit between BEGIN/END markers and are kept as they are.
        kept = re.findall(r"<!-- BEGIN .*?<!-- END [^>]*-->", doc.read_text(encoding="utf-8"), re.S) \
            if doc.exists() else []
        doc.write_text(text + "".join(f"\n{block}\n" for block in kept), encoding="utf-8")


if __name__ == "__main__":
    main()

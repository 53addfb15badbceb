"""Worker reliability under SIGKILL (issue 15): the production shape on this machine.

A scratch PostgreSQL database, a Redis server of its own, `callsight serve` and
`callsight worker --concurrency N --beat`, all as separate processes. It uploads
``--calls`` short recordings (cut from samples/calls), and while each call is being
transcribed for the first time it SIGKILLs the pool child holding the call's claim
(each kill forces a replacement child forked from the worker's main process). Then
it waits for every call to end and prints a Markdown table: faults injected, calls
done / failed / stuck, attempts, how often a call was stored ("processed once"),
concurrent attempts of one call, and DuplicatePreparedStatement errors in the logs.

    .venv/bin/python -m bench.reliability_worker --calls 10 --concurrency 2

Needs PostgreSQL at 127.0.0.1:5432 (trust, database `test`) and redis-server.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import wave
from pathlib import Path

import httpx
import numpy as np
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
RATE = 8000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clip(out: Path, sample: Path, start_s: float, seconds: float) -> Path:
    """A two-channel 8 kHz WAV cut from one of the bundled sample calls."""
    from asr.audio import load_channels

    chans = load_channels(sample, sample_rate=RATE)[:2]
    a, b = (int(start_s * RATE), int((start_s + seconds) * RATE))
    data = np.stack([c[a:b] for c in chans], axis=1)
    with wave.open(str(out), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(np.clip(data * 32767, -32768, 32767).astype(np.int16).tobytes())
    return out


def wait(pred, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {what}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=12.0, help="length of each recording")
    ap.add_argument("--concurrency", type=int, default=2)
    ap.add_argument("--lease", type=int, default=8, help="CALLSIGHT_LEASE_S for the worker")
    ap.add_argument("--no-kill", action="store_true", help="baseline: inject no fault")
    ap.add_argument("--max-tasks-per-child", type=int, default=200,
                    help="1: every task runs in a freshly forked child (recycling)")
    ap.add_argument("--timeout", type=float, default=900)
    args = ap.parse_args()

    from callsight.auth import create_user
    from callsight.db.migrate import upgrade
    from callsight.db.models import Branch, Call, CallEvent
    from callsight.db.session import make_engine

    name = f"callsight_relbench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    tmp = Path(tempfile.mkdtemp(prefix="callsight-relbench-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        upgrade(engine)
        from sqlalchemy.orm import Session

        with Session(engine) as s:
            s.add(Branch(name="城东支行", code="CD01"))
            _, key = create_user(s, name="bench-admin", role="admin")
            s.commit()
        rport, aport = free_port(), free_port()
        redis_exe = shutil.which("redis-server") or "redis-server"
        procs.append(subprocess.Popen([redis_exe, "--port", str(rport), "--bind", "127.0.0.1", "--save", "",
                                       "--appendonly", "no", "--dir", str(tmp)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        env = {**os.environ, "CALLSIGHT_DATABASE_URL": url, "CALLSIGHT_BROKER_URL": f"redis://127.0.0.1:{rport}/0",
               "CALLSIGHT_DATA_DIR": str(tmp / "data"), "CALLSIGHT_LEASE_S": str(args.lease),
               "CALLSIGHT_LEASE_HEARTBEAT_S": "1",
               "CALLSIGHT_WORKER_MAX_TASKS_PER_CHILD": str(args.max_tasks_per_child), "CALLSIGHT_SWEEP_INTERVAL_S": "3",
               "CALLSIGHT_REQUEUE_AFTER_S": "5", "PYTHONUNBUFFERED": "1",
               # The models are built once into the repository's var/, not per run.
               "CALLSIGHT_ASR_CACHE_DIR": os.environ.get("CALLSIGHT_ASR_CACHE_DIR", str(REPO / "var" / "models")),
               "CALLSIGHT_INTENT_MODEL_PATH": os.environ.get("CALLSIGHT_INTENT_MODEL_PATH",
                                                             str(REPO / "var" / "models" / "intents.pkl"))}
        api_url = f"http://127.0.0.1:{aport}"
        procs.append(subprocess.Popen([str(BIN / "callsight"), "serve", "--port", str(aport)], env=env, cwd=tmp,
                                      stdout=(tmp / "api.log").open("wb"), stderr=subprocess.STDOUT,
                                      start_new_session=True))
        worker = subprocess.Popen([str(BIN / "callsight"), "worker", "--concurrency", str(args.concurrency), "--beat"],
                                  env=env, cwd=tmp, stdout=(tmp / "worker.log").open("wb"),
                                  stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(worker)
        wait(lambda: _up(api_url), 120, "the API")

        samples = sorted((REPO / "samples" / "calls").glob("*.opus"))
        ids: list[str] = []
        with httpx.Client(base_url=api_url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as c:
            for i in range(args.calls):
                path = clip(tmp / f"call{i}.wav", samples[i % len(samples)], 5.0 * (i // len(samples)), args.seconds)
                with path.open("rb") as fh:
                    resp = c.post("/v1/calls", files={"file": (path.name, fh, "audio/wav")},
                              data={"branch": "城东支行", "agent": f"A{1000 + i}"})
                resp.raise_for_status()
                ids.append(str(resp.json()["id"]))
        t0 = time.monotonic()
        faults = 0
        killed: set[str] = set()

        def rows() -> list[Call]:
            with Session(engine) as s:
                return list(s.scalars(select(Call).where(Call.id.in_(ids))))

        while time.monotonic() - t0 < args.timeout:
            current = rows()
            if all(r.status in ("done", "failed") for r in current):
                break
            if not args.no_kill:
                for r in current:
                    if r.id in killed or r.status != "transcribing" or not r.claimed_by:
                        continue
                    pid = int(r.claimed_by.rsplit(":", 1)[1])
                    if pid == worker.pid:
                        continue
                    time.sleep(0.5)  # inside the transcription
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        continue
                    killed.add(r.id)
                    faults += 1
            time.sleep(0.2)
        wall = time.monotonic() - t0

        final = rows()
        with Session(engine) as s:
            def count(cid: str, kind: str) -> int:
                return int(s.scalar(select(func.count()).select_from(CallEvent)
                                    .where(CallEvent.call_id == cid, CallEvent.kind == kind)) or 0)
            stored = {r.id: count(r.id, "done") for r in final}
            started = {r.id: count(r.id, "started") for r in final}
        log = (tmp / "worker.log").read_text(errors="replace")
        done = sum(r.status == "done" for r in final)
        failed = [r for r in final if r.status == "failed"]
        stuck = [r for r in final if r.status not in ("done", "failed")]
        attempts = [r.attempts for r in final]
        spread = f"{min(attempts)}/{sum(attempts) / len(attempts):.1f}/{max(attempts)}"
        overlaps = log.count("lost its claim")
        print("| calls | worker | faults injected (SIGKILL of the child transcribing) | done | failed "
              "| stuck (lost) | stored more than once | concurrent attempts of one call | attempts min/mean/max "
              "| DuplicatePreparedStatement in logs | wall s |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        shape = (f"--concurrency {args.concurrency} --beat, lease {args.lease} s, "
                 f"{args.max_tasks_per_child} task(s)/child")
        print(f"| {len(ids)} | {shape} | {faults} | {done} "
              f"| {len(failed)} | {len(stuck)} | {sum(v > 1 for v in stored.values())} "
              f"| {overlaps} | {spread} "
              f"| {log.count('DuplicatePreparedStatement')} | {wall:.0f} |")
        for r in failed:
            print(f"failed: {r.id} {r.error_code}: {r.error}")
        for r in stuck:
            print(f"stuck: {r.id} {r.status} attempts={r.attempts} claimed_by={r.claimed_by}")
        assert all(started[r.id] == r.attempts for r in final), "an attempt without its claim event"
        return 0 if done == len(ids) and all(v == 1 for v in stored.values()) else 1
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(20)
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        shutil.rmtree(tmp, ignore_errors=True)


def _up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/v1/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


if __name__ == "__main__":
    raise SystemExit(main())

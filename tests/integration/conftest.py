"""Real parts: PostgreSQL, a Redis server of our own (so it can be restarted), the
API served by uvicorn and `callsight worker` (Celery) as separate processes."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from callsight.auth import create_user
from callsight.db.migrate import upgrade
from callsight.db.models import Branch
from callsight.db.session import make_engine
from tests.conftest import REPO, _require_pg, create_pg_database, drop_pg_database
from tests.contract import validate_result_responses

pytestmark = pytest.mark.integration
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate: Callable[[], bool], timeout: float, what: str, interval: float = 0.25) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@dataclass
class RedisServer:
    port: int
    workdir: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        exe = shutil.which("redis-server")
        if exe is None:
            pytest.fail("redis-server is not installed")
        self.proc = subprocess.Popen(
            [exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(self._ping, 10, "redis to start")

    def _ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None


@dataclass
class Stack:
    db_url: str
    engine: Engine
    redis: RedisServer
    env: dict[str, str]
    logs: Path
    api_url: str = ""
    api: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    admin_key: str = ""

    def start_worker(self, concurrency: int = 1, beat: bool = False) -> subprocess.Popen[bytes]:
        log = (self.logs / f"worker-{len(self.workers)}.log").open("wb")
        argv = [str(BIN / "callsight"), "worker", "--concurrency", str(concurrency), *(["--beat"] if beat else [])]
        proc = subprocess.Popen(argv, env=self.env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=REPO)
        self.workers.append(proc)
        return proc

    def kill_worker(self, proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        # The whole process group: the Celery main process and its pool child.
        os.killpg(proc.pid, sig)
        proc.wait(20)

    def client(self) -> httpx.Client:
        return validate_result_responses(httpx.Client(
            base_url=self.api_url, headers={"Authorization": f"Bearer {self.admin_key}"}, timeout=30))

    def worker_log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(self.logs.glob("worker-*.log")))


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    _require_pg()
    tmp = tmp_path_factory.mktemp("stack")
    db_url = create_pg_database("callsight_it")
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(Branch.__table__.insert().values(name="城东支行", code="CD01"))
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        _, key = create_user(s, name="it-admin", role="admin")
        s.commit()
    # The text models (call intent, opening filter, sentiment, classifiers) are trained once in
    # this process and copied into every stack's data dir: a worker training them itself takes
    # minutes on a loaded 2-core machine (the call-intent corpus grows every round), longer than
    # a test waits for its first call.
    from callsight import runtime
    from callsight.config import settings

    runtime.analyzers()
    shutil.copytree(settings.models_dir, tmp / "data" / "models", dirs_exist_ok=True)
    redis = RedisServer(free_port(), tmp)
    redis.start()
    env = {
        **os.environ,
        "CALLSIGHT_DATABASE_URL": db_url,
        "CALLSIGHT_BROKER_URL": redis.url,
        "CALLSIGHT_DATA_DIR": str(tmp / "data"),
        "CALLSIGHT_BROKER_VISIBILITY_TIMEOUT_S": "6",
        "CALLSIGHT_REQUEUE_AFTER_S": "2",
        # Short claims: a dead worker's call is taken back within seconds (callsight/services/claims.py).
        "CALLSIGHT_LEASE_S": "8",
        "CALLSIGHT_LEASE_HEARTBEAT_S": "1",
        "CALLSIGHT_SWEEP_INTERVAL_S": "3",
        # Trained once into the repository's var/ (ignored by git), not in every stack's worker.
        "CALLSIGHT_INTENT_MODEL_PATH": str(REPO / "var" / "models" / "intents.pkl"),
        "CALLSIGHT_EMBEDDED_RUNNER": "thread",
        "PYTHONUNBUFFERED": "1",
    }
    st = Stack(db_url=db_url, engine=engine, redis=redis, env=env, logs=tmp, admin_key=key)
    port = free_port()
    st.api_url = f"http://127.0.0.1:{port}"
    st.api = subprocess.Popen([str(BIN / "callsight"), "serve", "--port", str(port)], env=env, cwd=REPO,
                              stdout=(tmp / "api.log").open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    wait_for(lambda: _up(st.api_url), 60, "the API to start")
    try:
        yield st
    finally:
        for proc in [*st.workers, st.api]:
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(20)
        redis.stop()
        engine.dispose()
        drop_pg_database(db_url)


def _up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/v1/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False

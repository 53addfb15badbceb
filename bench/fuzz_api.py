"""Fuzz the running API with schemathesis, driven by the API's own /openapi.json.

    .venv/bin/python -m bench.fuzz_api                        # 30 examples/operation -> docs/reliability/edge.md
    .venv/bin/python -m bench.fuzz_api --examples 2 --no-write  # about what the test suite runs

Starts ``callsight serve`` (embedded: SQLite, in-process runner) on a fresh data
dir, registers a branch and an admin, ingests one transcript call whose id is used
where an operation takes a ``call_id``, then runs ``schemathesis run`` against it,
authenticated as the admin, with a fixed seed. A failure is a 5xx, a status the
schema does not document, a 405 without ``Allow``, a wrong content type, a response
that does not match its schema, or a request the schema calls invalid that was
accepted. Prints a table of requests and failures per check; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "reliability" / "edge.md"
CHECKS = ["not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance", "negative_data_rejection", "unsupported_method",
          "allow_header_conformance", "missing_required_header"]
BIN = Path(sys.executable).parent


@dataclass
class Api:
    url: str
    key: str
    call_id: str
    data_dir: Path
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(env: dict[str, str], *args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "callsight.cli", *args], env=env, check=True,
                         capture_output=True, text=True, cwd=REPO)
    return out.stdout


@contextmanager
def running_api(workdir: Path) -> Iterator[Api]:
    """``callsight serve`` on a fresh SQLite data dir, with an admin key and one call."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLSIGHT_")}
    # The intent model is trained once and kept under the repository's var/ (ignored by
    # git), so that a run does not spend its first minute training it again.
    env.update(CALLSIGHT_DATA_DIR=str(workdir / "data"), CALLSIGHT_EMBEDDED_RUNNER="thread",
               CALLSIGHT_LOG_LEVEL="WARNING", CALLSIGHT_MAX_UPLOAD_MB="5",
               CALLSIGHT_INTENT_MODEL_PATH=str(REPO / "var" / "models" / "intents.pkl"),
               CALLSIGHT_ASR_CACHE_DIR=str(REPO / "var" / "models"),
               # The fuzzer is one key sending thousands of requests, many of them invalid on
               # purpose: with the shipped rate limit and lockout most would be answered 429
               # before reaching their operation. Those are measured in bench.security_bench.
               CALLSIGHT_RATE_LIMIT_PER_MINUTE="0", CALLSIGHT_AUTH_MAX_FAILURES_PER_IP="1000000",
               CALLSIGHT_AUTH_MAX_FAILURES_PER_USER="1000000")
    _cli(env, "migrate")
    _cli(env, "branches", "add", "城东支行", "--code", "CD01")
    found = re.search(r"API key \(shown once\): (\S+)", _cli(env, "users", "create", "--name", "fuzz-admin",
                                                              "--role", "admin"))
    assert found, "no API key printed"
    port = _free_port()
    log = workdir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "callsight.cli", "serve", "--port", str(port)],
                                env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the API did not start: {log.read_text()[-2000:]}")
            time.sleep(0.3)
        key = found.group(1)
        doc = {"meta": {"branch": "城东支行", "agent": "A1023", "customer": "C20231"},
               "turns": [{"speaker": "agent", "text": "您好，这里是城东支行理财中心，请问有什么可以帮您"},
                         {"speaker": "customer", "text": "我想问问大额存单到期以后买什么理财"}]}
        r = httpx.post(f"{url}/v1/calls/transcript", json=doc, headers={"Authorization": f"Bearer {key}"},
                       timeout=300)
        r.raise_for_status()
        yield Api(url=url, key=key, call_id=r.json()["id"], data_dir=workdir / "data", log=log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class FuzzResult:
    exit_code: int
    operations: int = 0
    requests: int = 0
    failures: dict[str, int] = field(default_factory=dict)  # check -> unique failures
    server_errors: int = 0
    seconds: float = 0.0
    output: str = ""
    found: list[str] = field(default_factory=list)  # one line per unique failure

    @property
    def total_failures(self) -> int:
        return sum(self.failures.values())


def fuzz(api: Api, workdir: Path, *, examples: int, seed: int, max_time: float | None = None,
         phases: str = "examples,coverage,fuzzing") -> FuzzResult:
    config = workdir / "schemathesis.toml"
    # Operations that take a call id get the real one: the call's own checks run
    # instead of a 404 for every example.
    config.write_text(f'[parameters]\n"path.call_id" = "{api.call_id}"\n')
    ndjson = workdir / "events.ndjson"
    cmd = [str(BIN / "schemathesis"), "--config-file", str(config), "run", f"{api.url}/openapi.json",
           "-H", f"Authorization: Bearer {api.key}", "--checks", ",".join(CHECKS),
           "--max-examples", str(examples), "--seed", str(seed), "--workers", "1",
           "--phases", phases, "--generation-database", "none", "--no-color",
           "--request-timeout", "60", "--report", "ndjson", "--report-ndjson-path", str(ndjson),
           "--suppress-health-check", "all", "--continue-on-failure"]
    if max_time:
        cmd += ["--max-time", str(int(max_time))]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=workdir, env={**os.environ, "NO_COLOR": "1"})
    result = FuzzResult(exit_code=proc.returncode, seconds=time.perf_counter() - t0,
                        output=proc.stdout + proc.stderr)
    _summarise(ndjson, result)
    return result


def _summarise(ndjson: Path, result: FuzzResult) -> None:
    """Count requests and unique failures per check from the events report."""
    if not ndjson.exists():
        return
    seen: set[tuple[str, str, str]] = set()
    operations: set[str] = set()
    for line in ndjson.read_text().splitlines():
        event = json.loads(line)
        body = event.get("ScenarioFinished") or {}
        recorder = body.get("recorder")
        if not recorder:
            continue
        operations.add(recorder.get("label", ""))
        result.requests += sum(len(v) if isinstance(v, list) else 1
                               for v in (recorder.get("interactions") or {}).values())
        for case_checks in (recorder.get("checks") or {}).values():
            for check in case_checks:
                if str(check.get("status")).lower() != "failure":
                    continue
                failure = check.get("failure_info") or {}
                detail = failure.get("failure") or {}
                title = str(detail.get("title") or detail.get("message") or "")
                key = (check.get("name", "?"), recorder.get("label", ""), re.sub(r"\d+", "N", title)[:120])
                if key in seen:
                    continue
                seen.add(key)
                first = str(detail.get("message") or "").strip().splitlines()[:1]
                result.found.append(f"{key[0]} | {key[1]} | {title} | {first[0][:160] if first else ''}")
                result.failures[key[0]] = result.failures.get(key[0], 0) + 1
                if key[0] == "not_a_server_error":
                    result.server_errors += 1
    result.operations = len(operations)


def _table(result: FuzzResult, examples: int, seed: int) -> str:
    rows = [f"| {check} | {result.failures.get(check, 0)} |" for check in CHECKS]
    return "\n".join([
        f"- operations fuzzed: {result.operations}; requests sent: {result.requests}; "
        f"wall time: {result.seconds:.0f} s (examples per operation: {examples}, seed {seed})",
        f"- unique failures: {result.total_failures} (server errors: {result.server_errors}); "
        f"schemathesis exit code: {result.exit_code}",
        "",
        "| check | unique failures |",
        "|---|---|",
        *rows,
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=30, help="examples per operation (default 30)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--max-time", type=float, default=None, help="time budget in seconds")
    parser.add_argument("--no-write", action="store_true", help="print only; do not rewrite the doc")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="callsight-fuzz-") as tmp, running_api(Path(tmp)) as api:
        result = fuzz(api, Path(tmp), examples=args.examples, seed=args.seed, max_time=args.max_time)
        log_tail = api.log.read_text(errors="replace")[-3000:]
    table = _table(result, args.examples, args.seed)
    print(table)
    if result.total_failures or result.exit_code:
        print("\n".join(sorted(result.found)))
        print(result.output[-6000:])
        print("server log tail:\n" + log_tail)
    if not args.no_write:
        _write_doc(table, args)
    return 0 if result.exit_code == 0 and not result.total_failures else 1


def _write_doc(table: str, args: argparse.Namespace) -> None:
    text = DOC.read_text() if DOC.exists() else ""
    start, end = "<!-- fuzz:start -->", "<!-- fuzz:end -->"
    block = (f"{start}\nMeasured {time.strftime('%Y-%m-%d')} with "
             f"`.venv/bin/python -m bench.fuzz_api --examples {args.examples} --seed {args.seed}`:\n\n"
             f"{table}\n{end}")
    if start in text and end in text:
        text = text[:text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text + ("\n" if text else "") + block + "\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text)


if __name__ == "__main__":
    sys.exit(main())

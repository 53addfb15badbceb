"""Shared fixtures.

The environment is set before any callsight module is imported, so the one
Settings object sees the test configuration. Database tests run on SQLite and on
PostgreSQL (a fresh database per test session, migrated with Alembic); each test
runs inside a transaction that is rolled back. Set CALLSIGHT_TEST_REQUIRE_PG=1 (CI
does) to fail instead of skipping when PostgreSQL is unreachable.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="callsight-tests-"))
os.environ.setdefault("CALLSIGHT_DATA_DIR", str(_TMP / "data"))
os.environ["CALLSIGHT_BROKER_URL"] = ""
os.environ["CALLSIGHT_EMBEDDED_RUNNER"] = "inline"
os.environ.setdefault("CALLSIGHT_MAX_UPLOAD_MB", "5")
# Every TestClient request comes from one address; the suite's many deliberate 401s must
# not lock it out. tests/security sets the thresholds it tests (the shipped defaults too).
os.environ.setdefault("CALLSIGHT_AUTH_MAX_FAILURES_PER_IP", "1000000")
os.environ.setdefault("CALLSIGHT_AUTH_MAX_FAILURES_PER_USER", "1000000")
os.environ.setdefault("CALLSIGHT_RATE_LIMIT_PER_MINUTE", "0")
# In-process tests share one connection between threads: no lease heartbeat thread there
# (the integration tests give their worker processes short leases and a heartbeat).
os.environ.setdefault("CALLSIGHT_LEASE_HEARTBEAT_S", "0")
os.environ.setdefault("CALLSIGHT_ASR_CACHE_DIR", str(Path(__file__).resolve().parent.parent / "var" / "models"))

PG_ADMIN_URL = os.environ.get("CALLSIGHT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REPO = Path(__file__).resolve().parent.parent
# The dev workspace keeps shared data beside the repository; a clone elsewhere can point at it.
SHARED = Path(os.environ.get("CALLSIGHT_TEST_SHARED_DIR") or REPO.parent / "shared")
ASR_SAMPLES = SHARED / "asr-samples"
SAMPLE_CALLS = REPO / "samples" / "calls"

from sqlalchemy import Engine, create_engine, event, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from callsight.db import session as dbsession  # noqa: E402
from callsight.db.migrate import upgrade  # noqa: E402
from callsight.db.session import make_engine  # noqa: E402


def pg_available() -> bool:
    try:
        eng = create_engine(PG_ADMIN_URL)
        with eng.connect():
            pass
        eng.dispose()
        return True
    except Exception:
        return False


def create_pg_database(prefix: str) -> str:
    """A new, empty PostgreSQL database; returns its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    name = make_url(url).database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _require_pg() -> None:
    if not pg_available():
        if os.environ.get("CALLSIGHT_TEST_REQUIRE_PG") == "1":
            pytest.fail(f"PostgreSQL is required but unreachable at {PG_ADMIN_URL}")
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN_URL}")


def _sqlite_real_savepoints(engine: Engine) -> None:
    """pysqlite defers BEGIN until the first write, so the outer test transaction
    would not exist and a commit in the code under test would persist. SQLAlchemy's
    documented recipe: let SQLAlchemy emit BEGIN itself (tests only; the app keeps
    the driver's default, which keeps reads outside write transactions)."""

    @event.listens_for(engine, "connect")
    def _no_driver_tx(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{_TMP / f'test-{uuid.uuid4().hex[:6]}.db'}")
        _sqlite_real_savepoints(engine)
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    _require_pg()
    url = create_pg_database("callsight_test")
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()
    drop_pg_database(url)


@pytest.fixture
def db(db_engine: Engine) -> Iterator[Session]:
    """A session inside a transaction rolled back after the test. Code under test
    that commits (routes, the job runner) only releases savepoints."""
    conn = db_engine.connect()
    outer = conn.begin()
    maker = sessionmaker(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    dbsession.use_sessionmaker(maker)
    session = maker()
    try:
        yield session
    finally:
        session.close()
        dbsession.use_sessionmaker(None)
        outer.rollback()
        conn.close()


@pytest.fixture(scope="session", autouse=True)
def _results_follow_the_contract() -> Iterator[None]:
    """Every result JSON a test makes (pipeline, CLI, worker, API) is checked against the
    published schema as it is written: CallResult.to_json is the one writer, so a test
    cannot forget the check. The real writer still runs and its output is returned."""
    from core.result import CallResult
    from tests.contract import assert_valid_result

    write = CallResult.to_json

    def checked(self: CallResult) -> dict[str, Any]:
        doc = write(self)
        assert_valid_result(doc)
        return doc

    CallResult.to_json = checked  # type: ignore[method-assign]
    yield
    CallResult.to_json = write  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def asr_engine():  # type: ignore[no-untyped-def]
    """The real bundled Whisper base model, loaded once for the whole run."""
    from callsight import runtime

    return runtime.asr_engine()


def require_dir(path: Path, what: str) -> Path:
    if not path.is_dir():
        pytest.skip(f"{what} not found at {path} (it sits beside the repository in the dev workspace)")
    return path

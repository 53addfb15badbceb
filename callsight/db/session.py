"""Engine and session factory, created lazily from settings (never at import)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker

from callsight.config import settings


def make_engine(url: str) -> Engine:
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        # The API's worker threads and the embedded task thread share the file.
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **kwargs)
    _guard_fork(engine)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            # Deleted rows are overwritten with zeros, not left in free pages: a customer's
            # deletion (callsight/services/retention.py) must not survive in the file.
            cur.execute("PRAGMA secure_delete=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

    return engine


def _guard_fork(engine: Engine) -> None:
    """SQLAlchemy's recipe for forked processes: a pooled connection opened by another
    process (the Celery worker's parent) is never handed out here; the pool opens a
    fresh one instead of sharing the parent's socket."""

    @event.listens_for(engine, "connect")
    def _remember_pid(_dbapi_conn: Any, record: Any) -> None:
        record.info["pid"] = os.getpid()

    @event.listens_for(engine, "checkout")
    def _check_pid(_dbapi_conn: Any, record: Any, proxy: Any) -> None:
        pid = os.getpid()
        if record.info.get("pid", pid) != pid:
            record.dbapi_connection = proxy.dbapi_connection = None
            raise exc.DisconnectionError(f"connection opened by process {record.info['pid']}, now in {pid}")


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    if settings.resolved_database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.resolved_database_url)


@lru_cache(maxsize=1)
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


def use_sessionmaker(maker: sessionmaker[Session] | None) -> None:
    """Point every session_scope() at another factory (tests bind it to one
    connection whose outer transaction is rolled back); None restores the default."""
    global _override
    _override = maker


_override: sessionmaker[Session] | None = None


def new_session() -> Session:
    return (_override or get_sessionmaker())()


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session owned by the caller (a task or a CLI command): commit is explicit."""
    session = new_session()
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()

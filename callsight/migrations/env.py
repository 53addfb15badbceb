"""Alembic environment: the URL comes from settings, never from alembic.ini."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from callsight.db.models import Base
from callsight.db.session import get_engine

target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode copies the table.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    with get_engine().connect() as conn:
        run_with(conn)


if context.is_offline_mode():
    raise SystemExit("offline SQL generation is not supported; run `callsight migrate`")
run_migrations_online()

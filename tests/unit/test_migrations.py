"""The Alembic history matches the ORM models, on SQLite and PostgreSQL: a model
change without its migration (or the reverse) fails here, not in production."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from callsight.db.migrate import alembic_config
from callsight.db.models import Base


def test_one_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_models_match_migrations(db_engine: Engine) -> None:
    with db_engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(ctx, Base.metadata)
    # Declared only in migrations on purpose: the PostgreSQL full-text index is an
    # expression index the ORM cannot describe portably.
    migration_only = {"ix_segments_fts"}
    relevant = [d for d in diff
                if not (isinstance(d, tuple) and d[0] == "remove_index" and d[1].name in migration_only)]
    assert relevant == [], relevant

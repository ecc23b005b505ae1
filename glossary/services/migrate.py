"""Run the Alembic migrations in migrations/ against an engine."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


# full-text search objects migrations 0008 and 0015 keep outside the models (FTS5 tables and their
# shadow tables on SQLite; GIN expression indexes on PostgreSQL): autogenerate leaves them alone
UNMODELLED = ("search_key_fts", "ix_search_keys_fts", "search_key_trigrams", "ix_search_keys_trigrams")


def modelled(name: str | None, _type: str, _parents: object) -> bool:
    """Alembic's include_name: whether autogenerate compares this object with the models."""
    return not (name or "").startswith(UNMODELLED)


def alembic_config(engine: sa.Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head(engine: sa.Engine) -> str:
    current = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert current is not None  # migrations/versions holds the revisions
    return current


def current(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine) -> bool:
    """Migrate to head; returns whether anything was applied."""
    before = current(engine)
    command.upgrade(alembic_config(engine), "head")
    return before != current(engine)

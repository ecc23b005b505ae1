"""Migration 0012 (the annotation version) on SQLite and, when the test database is PostgreSQL,
on a scratch database of the same server: an existing glossary's row starts at its glossary
version, and downgrade removes only the column."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from glossary.services import migrate


def test_0012_starts_the_annotation_version_at_the_glossary_version(scratch_engine: sa.Engine) -> None:
    engine = scratch_engine
    cfg = migrate.alembic_config(engine)
    command.upgrade(cfg, "0011")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO glossary_state (id, version, updated) VALUES (1, 41, CURRENT_TIMESTAMP)"))
    command.upgrade(cfg, "0012")
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT version, annotation_version FROM glossary_state")).all() == [(41, 41)]
        conn.execute(sa.text("INSERT INTO glossary_state (id, version, updated) VALUES (2, 1, CURRENT_TIMESTAMP)"))
        assert conn.execute(sa.text("SELECT annotation_version FROM glossary_state WHERE id = 2")).scalar() == 0
    command.downgrade(cfg, "0011")
    columns = {c["name"] for c in sa.inspect(engine).get_columns("glossary_state")}
    assert columns == {"id", "version", "updated"}
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT id, version FROM glossary_state ORDER BY id")).all() == [(1, 41), (2, 1)]
    command.upgrade(cfg, "head")
    assert migrate.current(engine) == migrate.head(engine)

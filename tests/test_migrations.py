"""Migrations: head matches the models (no autogenerate drift) and downgrade/upgrade work."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import PG_URL

from glossary.extensions import make_engine
from glossary.models import Base
from glossary.services import migrate


def _engine(tmp_path: Path, template_db: str) -> sa.Engine:
    if PG_URL:
        return make_engine(PG_URL)
    return make_engine(f"sqlite:///{tmp_path / 'm.db'}")


def test_models_and_migrations_do_not_drift(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": migrate.modelled})
        diff = compare_metadata(ctx, Base.metadata)
    engine.dispose()
    assert diff == []


def test_alembic_check_passes(db_url: str) -> None:
    engine = make_engine(db_url)
    command.check(migrate.alembic_config(engine))  # raises on drift
    engine.dispose()


def test_upgrade_is_idempotent_and_downgrade_reverses(tmp_path: Path) -> None:
    if PG_URL:
        import pytest

        pytest.skip("downgrade on the shared PostgreSQL test database would disturb other tests")
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    assert migrate.upgrade(engine) is True
    assert migrate.upgrade(engine) is False
    assert migrate.current(engine) == migrate.head(engine)
    command.downgrade(migrate.alembic_config(engine), "base")
    assert set(sa.inspect(engine).get_table_names()) == {"alembic_version"}
    assert migrate.upgrade(engine) is True
    assert "terms" in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_0002_carries_the_search_grams_over_both_ways(tmp_path: Path) -> None:
    """search_grams gained a field column: a glossary indexed before it keeps every posting, and
    searches that read grams (substring, typo) still find what they did."""
    from helpers import save_glosses
    from sqlalchemy.orm import Session

    from glossary.models import SearchGram, SearchKey
    from glossary.services.search import Searcher
    from glossary.services.search_trigrams import WHOLE
    from glossary.text.keys import grams

    engine = make_engine(f"sqlite:///{tmp_path / 'g.db'}")
    migrate.upgrade(engine)
    with Session(engine) as session:
        save_glosses(session, [("网络主权", "cyber sovereignty"), ("共同富裕", "common prosperity")])
        before = set(session.execute(sa.select(SearchGram.field, SearchGram.gram, SearchGram.key_id)))
        whole = sa.select(SearchKey.id, SearchKey.key).where(*WHOLE)
        translations = {(g, k) for k, key in session.execute(whole) for g in grams(key)}
    assert {f for f, _, _ in before} == {"form", "pinyin"}  # translations: migration 0015
    cfg = migrate.alembic_config(engine)
    command.downgrade(cfg, "0001")
    with engine.connect() as conn:
        expected = {(g, k) for _, g, k in before} | translations
        assert set(conn.execute(sa.text("SELECT gram, key_id FROM search_grams"))) == expected
    command.upgrade(cfg, "head")
    with Session(engine) as session:
        assert set(session.execute(sa.select(SearchGram.field, SearchGram.gram, SearchGram.key_id))) == before
        assert [h.how for h in Searcher(session).search("soverignty")] == ["fuzzy"]
        assert [h.how for h in Searcher(session).search("命运")] == []
        assert [h.how for h in Searcher(session).search("络主")] == ["substring"]
    engine.dispose()

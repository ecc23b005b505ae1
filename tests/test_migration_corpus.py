"""Migration 0005 (the corpus tables) goes up and down on SQLite and, when the test database is
PostgreSQL, on a scratch database of the same server (conftest.scratch_engine: the shared one
must not lose its tables)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command

from glossary.services import migrate

CORPUS_TABLES = {"documents", "occurrences", "term_document_counts", "document_shingles"}


def test_0005_creates_the_corpus_tables_and_downgrade_removes_only_them(scratch_engine: sa.Engine) -> None:
    engine = scratch_engine
    cfg = migrate.alembic_config(engine)
    command.upgrade(cfg, "0005")
    assert set(sa.inspect(engine).get_table_names()) >= CORPUS_TABLES
    indexes = {i["name"] for i in sa.inspect(engine).get_indexes("occurrences")}
    assert {"ix_occurrences_term_document_start", "ix_occurrences_document_id"} <= indexes
    with engine.begin() as conn:  # a document with an occurrence, to be dropped with the tables
        conn.execute(sa.text("INSERT INTO terms (id, slug, kind, simplified, traditional, pinyin, status, version,"
                             " created, updated) VALUES (1, 't', 'concept', '国家安全', '國家安全', 'guójiā ānquán',"
                             " 'published', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))  # fmt: skip
        conn.execute(sa.text("INSERT INTO documents (id, file, title, date, sort_date, year, kind, language, extra,"
                             " chars, sha256, text, folded, shingles, imported) VALUES (1, 'a.txt', 'T', '2014',"
                             " '2014-00-00', 2014, 'law', 'zh', '{}', 4, 'x', '国家安全', '国家安全', 0,"
                             " CURRENT_TIMESTAMP)"))  # fmt: skip
        conn.execute(sa.text('INSERT INTO occurrences (term_id, document_id, start, "end", surface, confidence,'
                             " nested) VALUES (1, 1, 0, 4, '国家安全', 'high', false)"))  # fmt: skip
    command.downgrade(cfg, "-1")  # to the revision before 0005
    tables = set(sa.inspect(engine).get_table_names())
    assert not CORPUS_TABLES & tables and "terms" in tables
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT slug FROM terms")).scalars().all() == ["t"]
    command.upgrade(cfg, "head")
    assert set(sa.inspect(engine).get_table_names()) >= CORPUS_TABLES
    assert migrate.current(engine) == migrate.head(engine)

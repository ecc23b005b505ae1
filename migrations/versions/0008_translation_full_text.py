"""Full-text search over translations, for English phrase queries ("community of shared future"
finds "community with a shared future for mankind"): on SQLite an FTS5 table with the porter
tokenizer, kept in step with search_keys by triggers; on PostgreSQL a GIN index on
to_tsvector('english', value). Both hold the whole translations (offset 0); the search service
ranks their candidates itself, so both databases answer in the same order.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 15:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHOLE_TRANSLATION = "field = 'translation' AND \"offset\" = 0"


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "CREATE INDEX ix_search_keys_fts ON search_keys USING gin (to_tsvector('english', value)) "
            f"WHERE {WHOLE_TRANSLATION}"
        )
        return
    op.execute(
        "CREATE VIRTUAL TABLE search_key_fts USING fts5(value, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    op.execute(f"INSERT INTO search_key_fts (rowid, value) SELECT id, value FROM search_keys WHERE {WHOLE_TRANSLATION}")
    op.execute(
        "CREATE TRIGGER search_key_fts_insert AFTER INSERT ON search_keys "
        "WHEN new.field = 'translation' AND new.\"offset\" = 0 BEGIN "
        "INSERT INTO search_key_fts (rowid, value) VALUES (new.id, new.value); END"
    )
    op.execute(
        "CREATE TRIGGER search_key_fts_delete AFTER DELETE ON search_keys "
        "WHEN old.field = 'translation' AND old.\"offset\" = 0 BEGIN "
        "DELETE FROM search_key_fts WHERE rowid = old.id; END"
    )
    op.execute(
        "CREATE TRIGGER search_key_fts_update AFTER UPDATE ON search_keys BEGIN "
        "DELETE FROM search_key_fts WHERE rowid = old.id; "
        "INSERT INTO search_key_fts (rowid, value) SELECT new.id, new.value "
        "WHERE new.field = 'translation' AND new.\"offset\" = 0; END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX ix_search_keys_fts")
        return
    for trigger in ('insert', 'delete', 'update'):
        op.execute(f"DROP TRIGGER search_key_fts_{trigger}")
    op.execute("DROP TABLE search_key_fts")

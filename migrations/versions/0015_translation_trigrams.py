"""Whole translations' trigrams move from search_grams rows into the database's own trigram
index: on SQLite an FTS5 table with the trigram tokenizer (``search_key_trigrams``), kept in step
with search_keys by triggers; on PostgreSQL a GIN index over ``search_key_trigrams(key)``, a SQL
function giving the same trigrams as ``text.keys.grams``. Substring and typo-tolerant lookups
of translations read them (services/search_trigrams); forms and pinyin keep their search_grams.

Why: translations were three quarters of the search_grams rows (458,000 of 626,000 for 10,000
terms), and inserting them one b-tree row at a time was most of a bulk import's database work
(issue 19, defect 13). Both indexes buffer new entries and write them in bulk.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 05:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHOLE_TRANSLATION = "field = 'translation' AND \"offset\" = 0"
# the trigrams of a key as text.keys.grams gives them for a key without Chinese characters:
# every three consecutive characters, or the key itself when it is shorter
PG_FUNCTION = (
    "CREATE FUNCTION search_key_trigrams(k text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
    "AS $$ SELECT CASE WHEN length(k) < 3 THEN ARRAY[k] "
    "ELSE ARRAY(SELECT substr(k, i, 3) FROM generate_series(1, length(k) - 2) AS i) END $$"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(PG_FUNCTION)
        op.execute(
            "CREATE INDEX ix_search_keys_trigrams ON search_keys USING gin (search_key_trigrams(key)) "
            f"WHERE {WHOLE_TRANSLATION}"
        )
    else:
        op.execute("CREATE VIRTUAL TABLE search_key_trigrams USING fts5(key, tokenize = 'trigram')")
        op.execute(
            f"INSERT INTO search_key_trigrams (rowid, key) SELECT id, key FROM search_keys WHERE {WHOLE_TRANSLATION}"
        )
        op.execute(
            "CREATE TRIGGER search_key_trigrams_insert AFTER INSERT ON search_keys "
            "WHEN new.field = 'translation' AND new.\"offset\" = 0 BEGIN "
            "INSERT INTO search_key_trigrams (rowid, key) VALUES (new.id, new.key); END"
        )
        op.execute(
            "CREATE TRIGGER search_key_trigrams_delete AFTER DELETE ON search_keys "
            "WHEN old.field = 'translation' AND old.\"offset\" = 0 BEGIN "
            "DELETE FROM search_key_trigrams WHERE rowid = old.id; END"
        )
        op.execute(
            "CREATE TRIGGER search_key_trigrams_update AFTER UPDATE ON search_keys BEGIN "
            "DELETE FROM search_key_trigrams WHERE rowid = old.id; "
            "INSERT INTO search_key_trigrams (rowid, key) SELECT new.id, new.key "
            "WHERE new.field = 'translation' AND new.\"offset\" = 0; END"
        )
    op.execute("DELETE FROM search_grams WHERE field = 'translation'")


def downgrade() -> None:
    """The translations' search_grams rows again, from their keys, as index.insert_keys wrote them."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "INSERT INTO search_grams (field, gram, key_id) "
            "SELECT DISTINCT 'translation', gram, id FROM search_keys, unnest(search_key_trigrams(key)) AS gram "
            f"WHERE {WHOLE_TRANSLATION}"
        )
        op.execute("DROP INDEX ix_search_keys_trigrams")
        op.execute("DROP FUNCTION search_key_trigrams(text)")
        return
    op.execute(
        "INSERT OR IGNORE INTO search_grams (field, gram, key_id) "
        "WITH RECURSIVE at(id, key, i) AS ("
        f" SELECT id, key, 1 FROM search_keys WHERE {WHOLE_TRANSLATION} AND length(key) >= 3"
        " UNION ALL SELECT id, key, i + 1 FROM at WHERE i + 3 <= length(key))"
        " SELECT 'translation', substr(key, i, 3), id FROM at"
        f" UNION ALL SELECT 'translation', key, id FROM search_keys WHERE {WHOLE_TRANSLATION} AND length(key) < 3"
    )
    for trigger in ('insert', 'delete', 'update'):
        op.execute(f"DROP TRIGGER search_key_trigrams_{trigger}")
    op.execute("DROP TABLE search_key_trigrams")

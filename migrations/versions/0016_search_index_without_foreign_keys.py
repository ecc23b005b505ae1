"""The search index's two tables lose their foreign keys (search_keys.term_id to terms,
search_grams.key_id to search_keys); triggers delete a deleted term's keys and a deleted key's
n-grams instead, as ON DELETE CASCADE did.

Why: the index is derived from the terms and written only beside them (services/index), in the
same transaction, with ids just allocated, so the check could never fail; but PostgreSQL ran it
as a query for every key and every n-gram. In a 50,000-term import that was 12 of 60 s
(778,000 n-grams and 487,000 keys; issue 19, defect 13).

On PostgreSQL the triggers are statement triggers over the deleted rows (one DELETE however many
rows went); SQLite has only row triggers. SQLite cannot drop a foreign key in place: both tables
are rebuilt (Alembic's batch mode), and search_keys' own triggers (the full-text tables of 0008
and 0015), which go with the old table, are made again as they were.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 09:10:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, its foreign key, column, the table it refers to, the trigger on that table)
LINKS = (
    ('search_grams', 'fk_search_grams_key_id_search_keys', 'key_id', 'search_keys', 'search_grams_cascade'),
    ('search_keys', 'fk_search_keys_term_id_terms', 'term_id', 'terms', 'search_keys_cascade'),
)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table, constraint, column, parent, trigger in LINKS:
        if postgresql:
            op.drop_constraint(constraint, table, type_='foreignkey')
            op.execute(
                f"CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM gone); RETURN NULL; END $$"
            )
            op.execute(
                f"CREATE TRIGGER {trigger} AFTER DELETE ON {parent} REFERENCING OLD TABLE AS gone "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {trigger}()"
            )
            continue
        kept = _triggers(table)
        with op.batch_alter_table(table, recreate='always') as batch:
            batch.drop_constraint(constraint, type_='foreignkey')
        for sql in kept:
            op.execute(sql)
        op.execute(
            f"CREATE TRIGGER {trigger} AFTER DELETE ON {parent} BEGIN "
            f"DELETE FROM {table} WHERE {column} = old.id; END"
        )


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table, constraint, column, parent, trigger in reversed(LINKS):
        if postgresql:
            op.execute(f"DROP TRIGGER {trigger} ON {parent}")
            op.execute(f"DROP FUNCTION {trigger}()")
            op.create_foreign_key(constraint, table, parent, [column], ['id'], ondelete='CASCADE')
            continue
        op.execute(f"DROP TRIGGER {trigger}")
        kept = _triggers(table)
        with op.batch_alter_table(table, recreate='always') as batch:
            batch.create_foreign_key(constraint, parent, [column], ['id'], ondelete='CASCADE')
        for sql in kept:
            op.execute(sql)


def _triggers(table: str) -> list[str]:
    """The CREATE TRIGGER statements of ``table`` (SQLite), which its rebuild would lose."""
    rows = op.get_bind().exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name", (table,)
    )
    return [sql for (sql,) in rows]

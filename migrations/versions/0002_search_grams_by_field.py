"""search_grams keyed by the key's field first, so a lookup reads only its own field's postings.

The table is an index derived from search_keys; the rows are carried over (each takes its key's
field), not recomputed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 20:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _create_search_grams(with_field: bool) -> None:
    columns = [sa.Column('field', sa.String(length=20), nullable=False)] if with_field else []
    key = ['field', 'gram', 'key_id'] if with_field else ['gram', 'key_id']
    op.create_table('search_grams',
    *columns,
    sa.Column('gram', sa.String(length=8), nullable=False),
    sa.Column('key_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['key_id'], ['search_keys.id'], name=op.f('fk_search_grams_key_id_search_keys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint(*key, name=op.f('pk_search_grams'))
    )
    op.create_index(op.f('ix_search_grams_key_id'), 'search_grams', ['key_id'], unique=False)


def _rebuild(with_field: bool, copy_out: str, copy_in: str) -> None:
    """Copy the rows aside, recreate the table (constraint names stay those of the naming
    convention), copy them back."""
    op.execute(f"CREATE TABLE search_grams_copy AS {copy_out}")
    op.drop_index(op.f('ix_search_grams_key_id'), table_name='search_grams')
    op.drop_table('search_grams')
    _create_search_grams(with_field)
    op.execute(copy_in)
    op.drop_table('search_grams_copy')


def upgrade() -> None:
    _rebuild(
        True,
        "SELECT k.field AS field, g.gram AS gram, g.key_id AS key_id"
        " FROM search_grams g JOIN search_keys k ON k.id = g.key_id",
        "INSERT INTO search_grams (field, gram, key_id) SELECT field, gram, key_id FROM search_grams_copy",
    )


def downgrade() -> None:
    _rebuild(
        False,
        "SELECT gram, key_id FROM search_grams",
        "INSERT INTO search_grams (gram, key_id) SELECT gram, key_id FROM search_grams_copy",
    )

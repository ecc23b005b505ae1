"""A first-use record says on what it rests and what it claims: its basis (``asserted`` by a
cited source, or ``attested`` by a corpus document, with the excerpt that shows it) and its
scope (``anywhere``, ``official-documents``, ``party-congress-reports`` …), so that "first in a
Party Congress report" is not read as "first anywhere". Existing first uses were typed in from
cited sources: ``asserted``; their scope is left unknown (null) for an editor to state.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 12:40:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('terms') as batch:
        batch.add_column(sa.Column('first_use_basis', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('first_use_scope', sa.String(length=30), nullable=True))
        batch.add_column(sa.Column('first_use_excerpt', sa.Text(), nullable=True))
    op.execute("UPDATE terms SET first_use_basis = 'asserted' WHERE first_use_date IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('terms') as batch:
        batch.drop_column('first_use_excerpt')
        batch.drop_column('first_use_scope')
        batch.drop_column('first_use_basis')

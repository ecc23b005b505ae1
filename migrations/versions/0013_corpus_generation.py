"""The corpus generation (``corpus_state``): one row raised by every change of the corpus
aggregates, so a process's cache of trends can tell a stale answer from a good one with the
read it already makes of the glossary version. Starts at 0; a cache made before this migration
does not exist, so there is nothing to invalidate.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 18:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'corpus_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('generation', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_corpus_state')),
    )


def downgrade() -> None:
    op.drop_table('corpus_state')

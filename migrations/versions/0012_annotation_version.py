"""A version of the glossary as the annotator sees it, apart from the glossary version: raised
only by changes the annotator reads (forms, renderings, policy, sense dates, publication), so that
an edit of a note or a source no longer makes every worker rebuild its annotator.

An existing row starts at its glossary version (any start will do: caches compare for equality,
and a process's first read builds).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 18:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'glossary_state', sa.Column('annotation_version', sa.Integer(), server_default='0', nullable=False)
    )
    op.execute("UPDATE glossary_state SET annotation_version = version")


def downgrade() -> None:
    with op.batch_alter_table('glossary_state') as batch:  # SQLite copies the table to drop a column
        batch.drop_column('annotation_version')

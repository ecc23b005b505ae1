"""The log of annotation-version raises (``annotation_changes``): which terms each one changed,
so that a worker whose annotator is behind replaces those entries instead of rebuilding the
whole annotator after every rendering edit. Starts empty: a process whose annotator was built
before it finds no rows for the versions it lacks, and rebuilds, as before.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 17:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'annotation_changes',
        sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('term_ids', sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint('version', name=op.f('pk_annotation_changes')),
    )


def downgrade() -> None:
    op.drop_table('annotation_changes')

"""A durable queue of corpus re-index work: a term edit that changes what the corpus index was
built from (its forms, its status, the term itself) writes a row here in its own transaction
instead of re-annotating documents inside it; the row is deleted by the drain that did the work
(after commit, in a background thread of each web worker, at the end of a CLI command, and at
start-up, so a crash between the two loses nothing).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 15:10:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'corpus_reindex_queue',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('term_id', sa.Integer(), nullable=True),
        sa.Column('keys', sa.JSON(), nullable=False),
        sa.Column('document_ids', sa.JSON(), nullable=False),
        sa.Column('queued', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_corpus_reindex_queue')),
    )
    op.create_index(op.f('ix_corpus_reindex_queue_term_id'), 'corpus_reindex_queue', ['term_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_corpus_reindex_queue_term_id'), table_name='corpus_reindex_queue')
    op.drop_table('corpus_reindex_queue')

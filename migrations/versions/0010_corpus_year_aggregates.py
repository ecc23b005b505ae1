"""Per-year aggregates of the corpus (services.corpus_aggregates): ``corpus_years`` (counted
documents, characters, date span and last import per year and kind) and ``term_year_counts``
(a term's occurrences and documents per year and kind), so that a 5-term trend on 10,000
documents sums a few hundred rows instead of joining one per document. Filled from the
documents and per-document counts already stored.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 15:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'corpus_years',
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('documents', sa.Integer(), nullable=False),
        sa.Column('chars', sa.BigInteger(), nullable=False),
        sa.Column('first_sort_date', sa.String(length=10), nullable=False),
        sa.Column('last_sort_date', sa.String(length=10), nullable=False),
        sa.Column('last_imported', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('year', 'kind', name=op.f('pk_corpus_years')),
    )
    op.create_table(
        'term_year_counts',
        sa.Column('term_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('occurrences', sa.Integer(), nullable=False),
        sa.Column('documents', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_term_year_counts_term_id_terms'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('term_id', 'year', 'kind', name=op.f('pk_term_year_counts')),
    )
    op.execute(
        "INSERT INTO corpus_years (year, kind, documents, chars, first_sort_date, last_sort_date, last_imported) "
        "SELECT year, kind, count(id), sum(chars), min(sort_date), max(sort_date), max(imported) FROM documents "
        "WHERE overlaps_id IS NULL GROUP BY year, kind"
    )
    op.execute(
        "INSERT INTO term_year_counts (term_id, year, kind, occurrences, documents) "
        "SELECT c.term_id, d.year, d.kind, sum(c.occurrences), count(*) FROM term_document_counts c "
        "JOIN documents d ON d.id = c.document_id WHERE d.overlaps_id IS NULL GROUP BY c.term_id, d.year, d.kind"
    )


def downgrade() -> None:
    op.drop_table('term_year_counts')
    op.drop_table('corpus_years')

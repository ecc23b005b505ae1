"""The reference corpus: documents, the occurrences of terms in them, per term-and-document
counts (what attestations and trends sum) and sampled shingles (for overlap detection).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 08:08:58.569790
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file', sa.String(length=255), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('title_en', sa.Text(), nullable=True),
    sa.Column('date', sa.String(length=10), nullable=False),
    sa.Column('sort_date', sa.String(length=10), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('issuer', sa.Text(), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('copyright', sa.String(length=40), nullable=True),
    sa.Column('license_note', sa.Text(), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.Column('chars', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('folded', sa.Text(), nullable=False),
    sa.Column('shingles', sa.Integer(), nullable=False),
    sa.Column('overlaps_id', sa.Integer(), nullable=True),
    sa.Column('imported', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['overlaps_id'], ['documents.id'], name=op.f('fk_documents_overlaps_id_documents'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('sha256', name=op.f('uq_documents_sha256'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_imported'), ['imported'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_overlaps_id'), ['overlaps_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_sort_date'), ['sort_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_year'), ['year'], unique=False)

    op.create_table('document_shingles',
    sa.Column('hash', sa.BigInteger(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_shingles_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('hash', 'document_id', name=op.f('pk_document_shingles'))
    )
    with op.batch_alter_table('document_shingles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_shingles_document_id'), ['document_id'], unique=False)

    op.create_table('occurrences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('surface', sa.String(length=200), nullable=False),
    sa.Column('confidence', sa.String(length=4), nullable=False),
    sa.Column('nested', sa.Boolean(), nullable=False),
    sa.CheckConstraint("confidence IN ('high', 'low')", name=op.f('ck_occurrences_confidence')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_occurrences_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_occurrences_term_id_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_occurrences'))
    )
    with op.batch_alter_table('occurrences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_occurrences_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_occurrences_term_document_start', ['term_id', 'document_id', 'start'], unique=False)

    op.create_table('term_document_counts',
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('occurrences', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_term_document_counts_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['term_id'], ['terms.id'], name=op.f('fk_term_document_counts_term_id_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('term_id', 'document_id', name=op.f('pk_term_document_counts'))
    )
    with op.batch_alter_table('term_document_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_term_document_counts_document_id'), ['document_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('term_document_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_term_document_counts_document_id'))

    op.drop_table('term_document_counts')
    with op.batch_alter_table('occurrences', schema=None) as batch_op:
        batch_op.drop_index('ix_occurrences_term_document_start')
        batch_op.drop_index(batch_op.f('ix_occurrences_document_id'))

    op.drop_table('occurrences')
    with op.batch_alter_table('document_shingles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_shingles_document_id'))

    op.drop_table('document_shingles')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_year'))
        batch_op.drop_index(batch_op.f('ix_documents_sort_date'))
        batch_op.drop_index(batch_op.f('ix_documents_overlaps_id'))
        batch_op.drop_index(batch_op.f('ix_documents_kind'))
        batch_op.drop_index(batch_op.f('ix_documents_imported'))

    op.drop_table('documents')

"""Annotated texts saved to be shared by URL (/a/<id>): the text, its annotated HTML and the
terms found, frozen with the glossary version they were annotated against.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 15:10:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'shared_annotations',
        sa.Column('id', sa.String(length=22), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('html', sa.Text(), nullable=False),
        sa.Column('terms', sa.Text(), nullable=False),
        sa.Column('chars', sa.Integer(), nullable=False),
        sa.Column('glossary_version', sa.Integer(), nullable=False),
        sa.Column('creator', sa.String(length=200), nullable=False),
        sa.Column('created', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shared_annotations')),
    )


def downgrade() -> None:
    op.drop_table('shared_annotations')

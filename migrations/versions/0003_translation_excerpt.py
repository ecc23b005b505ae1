"""translations.excerpt: the verbatim passage of a translation's source that shows the rendering,
so an official rendering carries its own proof.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 08:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('translations') as batch:
        batch.add_column(sa.Column('excerpt', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('translations') as batch:
        batch.drop_column('excerpt')

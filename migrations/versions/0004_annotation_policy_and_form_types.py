"""An annotation policy (and its reason) per term, and a type per surface form.

Existing terms get policy ``auto``. Existing forms get the type they have in effect: the
term's simplified form and its traditional form ``primary``; other traditional, Taiwan and
Hong Kong forms ``script``; every other (curated simplified) form ``variant``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 08:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POLICIES = "annotation_policy IN ('auto', 'confirm', 'never')"
TYPES = (
    "type IN ('primary', 'script', 'abbreviation', 'full', 'older', 'punctuation', 'formula-spelling', 'variant')"
)


def upgrade() -> None:
    # batch mode: SQLite cannot add a CHECK constraint to an existing table, so the table is copied
    with op.batch_alter_table('terms') as batch:
        batch.add_column(sa.Column('annotation_policy', sa.String(length=10), server_default='auto', nullable=False))
        batch.add_column(sa.Column('policy_note', sa.Text(), nullable=True))
        batch.create_check_constraint(op.f('ck_terms_annotation_policy'), POLICIES)
    with op.batch_alter_table('surface_forms') as batch:
        batch.add_column(sa.Column('type', sa.String(length=20), server_default='variant', nullable=False))
        batch.create_check_constraint(op.f('ck_surface_forms_type'), TYPES)
    op.execute(
        "UPDATE surface_forms SET type = 'primary' WHERE origin = 'primary'"
        " OR (origin = 'derived' AND text = (SELECT t.traditional FROM terms t WHERE t.id = surface_forms.term_id))"
    )
    op.execute("UPDATE surface_forms SET type = 'script' WHERE type <> 'primary' AND tag <> 'zh-Hans'")


def downgrade() -> None:
    with op.batch_alter_table('surface_forms') as batch:
        batch.drop_constraint(op.f('ck_surface_forms_type'), type_='check')
        batch.drop_column('type')
    with op.batch_alter_table('terms') as batch:
        batch.drop_constraint(op.f('ck_terms_annotation_policy'), type_='check')
        batch.drop_column('policy_note')
        batch.drop_column('annotation_policy')

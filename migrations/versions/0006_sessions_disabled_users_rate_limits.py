"""Server-side session invalidation and disabled editors: users gain ``session_version`` (every
session cookie carries the value it was signed with; sign-out, a password change or disabling
the account bumps it) and ``disabled`` (when the account was disabled; null while it may sign in).
Rate-limit counters get a table, ``rate_limits``, so that workers share them (database storage).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 09:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'rate_limits',
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('expires', sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limits')),
    )
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('disabled', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.drop_column('disabled')
        batch.drop_column('session_version')
    op.drop_table('rate_limits')

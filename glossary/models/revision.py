from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class Revision(Base):
    """A full glossary/1 snapshot of a term after each create, update, restore or delete.

    Keyed by slug rather than a foreign key so that history outlives a deleted term.
    """

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(200), index=True)
    number: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(10))
    actor: Mapped[str] = mapped_column(sa.String(200))
    created: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    snapshot: Mapped[str | None] = mapped_column(sa.Text)  # JSON; null for a delete
    comment: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        sa.UniqueConstraint("slug", "number", name="uq_revisions_slug_number"),
        sa.CheckConstraint("action IN ('create', 'update', 'delete', 'restore')", name="action"),
    )

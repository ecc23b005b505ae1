from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Source(Base):
    """A bibliographic record that translations, excerpts and first uses cite."""

    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    title: Mapped[str] = mapped_column(sa.Text)
    author: Mapped[str | None] = mapped_column(sa.Text)
    publisher: Mapped[str | None] = mapped_column(sa.Text)
    container: Mapped[str | None] = mapped_column(sa.Text)
    date: Mapped[str | None] = mapped_column(sa.String(10))
    url: Mapped[str | None] = mapped_column(sa.Text)
    language: Mapped[str] = mapped_column(sa.String(35), default="en")
    note: Mapped[str | None] = mapped_column(sa.Text)

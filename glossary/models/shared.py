from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class SharedAnnotation(Base):
    """An annotated text saved to be shared by URL, frozen as it was annotated: the HTML and the
    terms found are stored, not recomputed, so the page shows what the glossary said then.

    The id is a random URL-safe string, so a shared text is found only by those given its URL."""

    __tablename__ = "shared_annotations"

    id: Mapped[str] = mapped_column(sa.String(22), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
    html: Mapped[str] = mapped_column(sa.Text)  # escaped and linked by text.render.render_html
    terms: Mapped[str] = mapped_column(sa.Text)  # JSON: the terms found, as the page lists them
    chars: Mapped[int]
    glossary_version: Mapped[int]
    creator: Mapped[str] = mapped_column(sa.String(200))
    created: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from .term import Term

KEY_LENGTH = 400  # longest search key; longer normalised values are indexed by their first 400 characters


class GlossaryState(Base):
    """One row whose version rises with every term change; caches in every process compare it.
    ``annotation_version`` rises only with a change the annotator can see (services/annotation.py
    annotation_state), so that the annotator, costly to build, is not rebuilt for a note's edit."""

    __tablename__ = "glossary_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    annotation_version: Mapped[int] = mapped_column(default=0, server_default="0")
    updated: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AnnotationChange(Base):
    """Which terms one raise of the annotation version changed (``term_ids``; None: any, as an
    import), so that a process whose annotator is a few versions behind can replace those
    entries rather than rebuild it (services/annotation.py). Only the latest KEEP raises are
    kept; a process further behind rebuilds."""

    __tablename__ = "annotation_changes"

    KEEP = 1000

    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    term_ids: Mapped[list[int] | None] = mapped_column(sa.JSON, nullable=True)


class SearchKey(Base):
    """A normalised string under which a term can be found (a form, its pinyin, a translation).

    The search index is derived from the terms and written only beside them (services/index),
    so its two tables have no foreign keys: checking one for every key and every n-gram was a
    fifth of a bulk import's time on PostgreSQL (issue 19). Triggers (migration 0016) delete a
    deleted term's keys and a deleted key's n-grams, as ON DELETE CASCADE did."""

    __tablename__ = "search_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(index=True)  # no foreign key: see above
    field: Mapped[str] = mapped_column(sa.String(20))  # form, pinyin, translation
    lang: Mapped[str] = mapped_column(sa.String(35))
    status: Mapped[str] = mapped_column(sa.String(12))  # translation status or form tag
    # byte-order collation on PostgreSQL so range scans (prefix search) use the index
    key: Mapped[str] = mapped_column(
        sa.String(KEY_LENGTH).with_variant(sa.String(KEY_LENGTH, collation="C"), "postgresql"), index=True
    )
    value: Mapped[str] = mapped_column(sa.Text)  # what the user sees
    offset: Mapped[int] = mapped_column(default=0)  # where key starts inside the normalised value

    term: Mapped[Term] = relationship(primaryjoin="foreign(SearchKey.term_id) == Term.id")


class SearchGram(Base):
    """n-grams of search keys for substring and typo-tolerant lookups without scanning every key.
    Keyed by the key's field first, so a lookup in translations never reads the (much longer)
    postings that common trigrams such as "ang" or "uan" have among the pinyin keys."""

    __tablename__ = "search_grams"

    field: Mapped[str] = mapped_column(sa.String(20), primary_key=True)  # as SearchKey.field
    gram: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    key_id: Mapped[int] = mapped_column(primary_key=True, index=True)  # a SearchKey's id (no foreign key: see there)

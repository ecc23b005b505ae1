"""The reference corpus: dated documents, the glossary terms found in them, and per-document counts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow

DOCUMENT_KINDS = (
    "congress-report",
    "government-work-report",
    "plenum-decision",
    "resolution",
    "law",
    "regulation",
    "white-paper",
    "speech",
    "article",
)


class Document(Base):
    """A dated official text. ``date`` keeps the precision it was given (YYYY, YYYY-MM or
    YYYY-MM-DD); ``sort_date`` pads it with zeros (1958-02 → 1958-02-00) so that a date known to
    the month sorts before every day of that month, and ``year`` groups the figures."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    file: Mapped[str] = mapped_column(sa.String(255))  # the name it was imported under
    title: Mapped[str] = mapped_column(sa.Text)
    title_en: Mapped[str | None] = mapped_column(sa.Text)
    date: Mapped[str] = mapped_column(sa.String(10))
    sort_date: Mapped[str] = mapped_column(sa.String(10), index=True)
    year: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(sa.String(40), index=True)
    language: Mapped[str] = mapped_column(sa.String(35), default="zh")
    issuer: Mapped[str | None] = mapped_column(sa.Text)  # issuer or speaker, where known
    source: Mapped[str | None] = mapped_column(sa.Text)  # provenance: where the text was taken from
    copyright: Mapped[str | None] = mapped_column(sa.String(40))
    license_note: Mapped[str | None] = mapped_column(sa.Text)
    extra: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # manifest columns with no field of their own
    chars: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64), unique=True)
    text: Mapped[str] = mapped_column(sa.Text)
    # the text as the annotator reads it (folded, interruptions removed): lets a term edit find the
    # documents holding its forms with one LIKE instead of re-reading every text
    folded: Mapped[str] = mapped_column(sa.Text)
    # set when most of this document's text is also in a longer one (see services.corpus_overlap)
    shingles: Mapped[int] = mapped_column(default=0)  # size of its sample in document_shingles
    overlaps_id: Mapped[int | None] = mapped_column(sa.ForeignKey("documents.id", ondelete="SET NULL"), index=True)
    imported: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    overlaps: Mapped[Document | None] = relationship(remote_side=[id])


class Occurrence(Base):
    """One match of a published term in a document: code-point offsets into ``Document.text``."""

    __tablename__ = "occurrences"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(sa.ForeignKey("terms.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    start: Mapped[int]
    end: Mapped[int]
    surface: Mapped[str] = mapped_column(sa.String(200))  # the text as written there
    confidence: Mapped[str] = mapped_column(sa.String(4))
    nested: Mapped[bool] = mapped_column(default=False)  # inside a longer glossary term's match

    __table_args__ = (
        sa.Index("ix_occurrences_term_document_start", "term_id", "document_id", "start"),
        sa.CheckConstraint("confidence IN ('high', 'low')", name="confidence"),
    )


class TermDocumentCount(Base):
    """How often a term occurs in a document: attestations and trends sum these per year (a few
    hundred rows a term) instead of counting occurrences or reading texts per request."""

    __tablename__ = "term_document_counts"

    term_id: Mapped[int] = mapped_column(sa.ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    occurrences: Mapped[int]


class DocumentShingle(Base):
    """A sample of a document's character 8-gram hashes (those ≡ 0 mod 16), for finding
    documents that largely overlap with an indexed lookup instead of comparing texts pairwise."""

    __tablename__ = "document_shingles"

    hash: Mapped[int] = mapped_column(sa.BigInteger, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ReindexRequest(Base):
    """A term edit whose occurrences are still to be brought up to date: written in the edit's
    own transaction (so it is durable exactly when the edit is) and deleted by the drain that did
    the work (services.corpus_queue). ``term_id`` is no foreign key: a deleted term's request
    outlives it. ``keys``: the folded forms the term was matched by before the edit, whose
    documents must be read again; ``document_ids``: documents it was found in (a deletion's)."""

    __tablename__ = "corpus_reindex_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int | None] = mapped_column(index=True)
    keys: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    document_ids: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    queued: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CorpusYear(Base):
    """The counted documents (not flagged as overlapping) of a year and kind: what every figure
    divides by, and the corpus version, read from a few hundred rows instead of every document
    (services.corpus_aggregates keeps it in step with the documents)."""

    __tablename__ = "corpus_years"

    year: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    documents: Mapped[int]
    chars: Mapped[int] = mapped_column(sa.BigInteger)
    first_sort_date: Mapped[str] = mapped_column(sa.String(10))
    last_sort_date: Mapped[str] = mapped_column(sa.String(10))
    last_imported: Mapped[datetime] = mapped_column(UTCDateTime())


class CorpusState(Base):
    """One row whose generation rises with every change of the corpus aggregates (an import, a
    removal, a re-index, overlap flags): caches of figures in every process compare it, as term
    caches compare the glossary version. A row of its own, not a column of glossary_state, so a
    long import does not hold the row a term edit raises."""

    __tablename__ = "corpus_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(default=0)


class TermYearCount(Base):
    """A term's occurrences and documents using it in the counted documents of a year and kind:
    a trend or a term's chart sums a hundred of these rows instead of joining one per document
    (a 5-term trend on 10,000 documents: ~2 ms instead of ~100 ms)."""

    __tablename__ = "term_year_counts"

    term_id: Mapped[int] = mapped_column(sa.ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    occurrences: Mapped[int]
    documents: Mapped[int]

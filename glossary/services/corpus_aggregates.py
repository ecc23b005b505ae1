"""Per-year aggregates of the corpus, so that attestations, trends and the corpus version cost
the same on 10,000 documents as on 200.

``corpus_years`` holds, per year and kind, the counted documents (those not flagged as repeating
a longer one), their characters, date span and last import; ``term_year_counts`` holds, per term,
year and kind, the occurrences and the documents using the term, summed from the per-document
counts. Both are derived data: :func:`refresh` recomputes the rows of the years given from the
documents and their counts, inside the caller's transaction, wherever those change (an import,
a re-index, a document removed, overlap flags set or cleared). Recomputing a year whole rather
than adding and subtracting keeps them right whatever the order of the changes; a year holds a
few hundred documents at most, so it costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..models import CorpusState, CorpusYear, Document, TermDocumentCount, TermYearCount


def years_of(session: Session, document_ids: Iterable[int]) -> set[int]:
    """The years of these documents."""
    ids = list(document_ids)
    years: set[int] = set()
    for i in range(0, len(ids), 500):
        years.update(session.scalars(sa.select(Document.year).where(Document.id.in_(ids[i : i + 500])).distinct()))
    return years


def refresh(session: Session, years: Iterable[int] | None = None) -> None:
    """Recompute the aggregates of these years (every year when None) from the documents."""
    session.flush()
    chosen = None if years is None else sorted(set(years))
    if chosen == []:
        return
    bump_generation(session)
    for table in (CorpusYear, TermYearCount):
        delete = sa.delete(table)
        session.execute(delete if chosen is None else delete.where(table.year.in_(chosen)))
    counted: sa.ColumnElement[bool] = Document.overlaps_id.is_(None)
    if chosen is not None:
        counted = sa.and_(counted, Document.year.in_(chosen))
    documents = sa.select(
        Document.year,
        Document.kind,
        sa.func.count(Document.id),
        sa.func.sum(Document.chars),
        sa.func.min(Document.sort_date),
        sa.func.max(Document.sort_date),
        sa.func.max(Document.imported),
    ).where(counted)
    columns = ["year", "kind", "documents", "chars", "first_sort_date", "last_sort_date", "last_imported"]
    session.execute(sa.insert(CorpusYear).from_select(columns, documents.group_by(Document.year, Document.kind)))
    uses = (
        sa.select(
            TermDocumentCount.term_id,
            Document.year,
            Document.kind,
            sa.func.sum(TermDocumentCount.occurrences),
            sa.func.count(),
        )
        .join(Document, Document.id == TermDocumentCount.document_id)
        .where(counted)
        .group_by(TermDocumentCount.term_id, Document.year, Document.kind)
    )
    session.execute(sa.insert(TermYearCount).from_select(["term_id", "year", "kind", "occurrences", "documents"], uses))


def bump_generation(session: Session) -> None:
    """Raise the corpus generation in the current transaction: an upsert of row 1, so the first
    refresh on a new database needs no row made beforehand (as terms.bump_version does)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(CorpusState)
        .values(id=1, generation=1)
        .on_conflict_do_update(index_elements=[CorpusState.id], set_={"generation": CorpusState.generation + 1})
    )

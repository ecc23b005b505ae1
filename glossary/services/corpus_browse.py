"""What the document pages and the term page's corpus section read besides attestations:
documents by year, kind and issuer with a text search, a document's occurrences and the terms
it uses, and the corpus's make-up per year (it is uneven, so the charts show it).

The search ``q`` is a plain substring match over the stored folded text (the annotator's view:
scripts and punctuation variants folded, interruptions removed) and the titles — there is no
full-text index yet, so it reads every text; fine for a library of a few hundred documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import DOCUMENT_KINDS, Document, Occurrence, Term, TermDocumentCount
from ..text.fold import compact, fold
from .errors import Invalid

PER_PAGE = 50


@dataclass(frozen=True)
class Listed:
    """A document in the list (without its text)."""

    id: int
    title: str
    title_en: str | None
    date: str
    year: int
    kind: str
    issuer: str | None
    chars: int
    overlaps_id: int | None


@dataclass(frozen=True)
class Mark:
    """One stored occurrence in a document, with what a link to its term needs."""

    start: int
    end: int
    slug: str
    simplified: str
    confidence: str
    nested: bool


def check_kind(kind: str | None) -> str | None:
    """An empty kind means any; an unknown one is an error naming the kinds there are."""
    if not kind:
        return None
    if kind not in DOCUMENT_KINDS:
        raise Invalid(f"unknown document kind {kind!r}; use one of {', '.join(DOCUMENT_KINDS)}")
    return kind


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_documents(
    session: Session,
    kind: str | None = None,
    year: int | None = None,
    issuer: str | None = None,
    q: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> tuple[list[Listed], int]:
    """One page of documents in date order, and how many match in all."""
    if page < 1:
        raise Invalid("page must be 1 or more")
    query = sa.select(Document)
    if check_kind(kind):
        query = query.where(Document.kind == kind)
    if year is not None:
        query = query.where(Document.year == year)
    if issuer:
        query = query.where(Document.issuer == issuer)
    if q and q.strip():
        needle = q.strip()
        folded = compact(fold(needle)).text or needle
        query = query.where(
            sa.or_(
                Document.folded.like(like_pattern(folded), escape="\\"),
                Document.title.like(like_pattern(needle), escape="\\"),
                Document.title_en.ilike(like_pattern(needle), escape="\\"),
            )
        )
    total = session.scalar(sa.select(sa.func.count()).select_from(query.with_only_columns(Document.id).subquery()))
    columns = (
        Document.id, Document.title, Document.title_en, Document.date, Document.year,
        Document.kind, Document.issuer, Document.chars, Document.overlaps_id,
    )  # fmt: skip
    rows = session.execute(
        query.with_only_columns(*columns)
        .order_by(Document.sort_date, Document.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return [Listed(*row) for row in rows], total or 0


def facets(session: Session) -> dict[str, list[tuple[object, int]]]:
    """The years, kinds and issuers there are, with how many documents each, for the filters."""

    def count(column: Any) -> list[tuple[object, int]]:  # a mapped column of Document
        query = sa.select(column, sa.func.count()).where(column.is_not(None)).group_by(column).order_by(column)
        return [(value, n) for value, n in session.execute(query)]

    return {"year": count(Document.year), "kind": count(Document.kind), "issuer": count(Document.issuer)}


def year_kinds(session: Session, kind: str | None = None) -> dict[int, list[tuple[str, int]]]:
    """year → [(kind, documents)] of the documents the figures count (overlapping ones left out)."""
    query = (
        sa.select(Document.year, Document.kind, sa.func.count())
        .where(Document.overlaps_id.is_(None))
        .group_by(Document.year, Document.kind)
        .order_by(Document.year, sa.func.count().desc(), Document.kind)
    )
    if kind:
        query = query.where(Document.kind == kind)
    out: dict[int, list[tuple[str, int]]] = {}
    for year, doc_kind, n in session.execute(query):
        out.setdefault(year, []).append((doc_kind, n))
    return out


def kind_totals(session: Session) -> list[tuple[str, int]]:
    """Counted documents per kind, most first: the corpus's make-up in one line."""
    query = (
        sa.select(Document.kind, sa.func.count())
        .where(Document.overlaps_id.is_(None))
        .group_by(Document.kind)
        .order_by(sa.func.count().desc(), Document.kind)
    )
    return [(k, n) for k, n in session.execute(query)]


def marks(session: Session, document_id: int) -> list[Mark]:
    """The stored occurrences of published terms in a document — the same matches the counts
    use, nested ones included — in text order, longer first where two start together."""
    query = (
        sa.select(
            Occurrence.start, Occurrence.end, Term.slug, Term.simplified, Occurrence.confidence, Occurrence.nested
        )
        .join(Term, Term.id == Occurrence.term_id)
        .where(Occurrence.document_id == document_id)
        .order_by(Occurrence.start, Occurrence.end.desc())
    )
    return [Mark(*row) for row in session.execute(query)]


def document_terms(session: Session, document_id: int) -> list[tuple[str, str, str, int]]:
    """(slug, simplified, pinyin, occurrences) of the terms a document uses, most used first."""
    query = (
        sa.select(Term.slug, Term.simplified, Term.pinyin, TermDocumentCount.occurrences)
        .join(Term, Term.id == TermDocumentCount.term_id)
        .where(TermDocumentCount.document_id == document_id)
        .order_by(TermDocumentCount.occurrences.desc(), Term.slug)
    )
    return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]


def document_titles(session: Session, ids: list[int]) -> dict[int, tuple[str, str]]:
    """id → (date, title) of the documents named, for lists that show what a selection holds."""
    if not ids:
        return {}
    query = sa.select(Document.id, Document.date, Document.title).where(Document.id.in_(ids))
    return {doc_id: (date, title) for doc_id, date, title in session.execute(query)}


def headwords(session: Session, slugs: list[str]) -> dict[str, tuple[str, str]]:
    """slug → (simplified, pinyin) of the published terms named."""
    if not slugs:
        return {}
    query = sa.select(Term.slug, Term.simplified, Term.pinyin).where(Term.slug.in_(slugs))
    return {slug: (simplified, pinyin) for slug, simplified, pinyin in session.execute(query)}

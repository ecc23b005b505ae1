"""Attestations, trends and the corpus version, from stored counts (never by reading texts).

Figures (documents, occurrences, characters, per-year rates) leave out documents flagged as
overlapping a longer one (see :mod:`corpus_overlap`); concordance lines and the earliest
attestation include them, since a passage is attested wherever it is printed. A year without
documents (of the kind asked for) is absent from ``by_year`` — a gap, not a zero.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, TypeVarTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Document, Occurrence, Term, TermDocumentCount
from .errors import Invalid, NotFound

_Row = TypeVarTuple("_Row")  # the selected columns, kept through the WHERE clauses added

CONTEXT = 30  # characters of context on each side of a concordance line
SENTENCE_LIMIT = 200  # longest excerpt, in characters
PER_PAGE = 20
MAX_TERMS = 8
MEASURES = ("per_100k", "documents")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def _counted(query: sa.Select[*_Row], kind: str | None) -> sa.Select[*_Row]:
    query = query.where(Document.overlaps_id.is_(None))
    return query.where(Document.kind == kind) if kind else query


def corpus_version(session: Session) -> dict[str, Any]:
    """What a figure was computed from: documents counted, characters, date span, last import."""
    documents, chars, first, last, imported = session.execute(
        sa.select(
            sa.func.count(Document.id),
            sa.func.coalesce(sa.func.sum(Document.chars), 0),
            sa.func.min(Document.sort_date),
            sa.func.max(Document.sort_date),
            sa.func.max(Document.imported),
        ).where(Document.overlaps_id.is_(None))
    ).one()
    if isinstance(imported, str):  # SQLite returns the aggregate of a datetime column as text
        imported = datetime.fromisoformat(imported)
    stamp = imported.strftime("%Y-%m-%dT%H:%M:%SZ") if imported else None
    return {
        "documents": documents,
        "chars": int(chars),
        "from": _date_of(session, first),
        "to": _date_of(session, last),
        "last_import": stamp,
        "version": f"{documents}@{stamp}" if stamp else "0",
    }


def _date_of(session: Session, sort_date: str | None) -> str | None:
    """The date as given (its own precision) of a document with this sort date."""
    if sort_date is None:
        return None
    return session.scalar(sa.select(Document.date).where(Document.sort_date == sort_date).limit(1))


def _term(session: Session, slug: str) -> Term:
    term = session.scalar(sa.select(Term).where(Term.slug == slug))
    if term is None:
        raise NotFound(f"no term {slug!r}")
    return term


def _year_chars(session: Session, kind: str | None) -> dict[int, tuple[int, int]]:
    """year → (documents, characters) of the counted documents."""
    query = _counted(
        sa.select(Document.year, sa.func.count(Document.id), sa.func.sum(Document.chars)).group_by(Document.year),
        kind,
    )
    return {year: (n, int(chars)) for year, n, chars in session.execute(query)}


def _term_years(session: Session, term_id: int, kind: str | None) -> dict[int, tuple[int, int]]:
    """year → (occurrences, documents using the term), from the stored per-document counts."""
    query = _counted(
        sa.select(Document.year, sa.func.sum(TermDocumentCount.occurrences), sa.func.count())
        .join(Document, Document.id == TermDocumentCount.document_id)
        .where(TermDocumentCount.term_id == term_id)
        .group_by(Document.year),
        kind,
    )
    return {year: (int(occ), docs) for year, occ, docs in session.execute(query)}


def _per_100k(occurrences: int, chars: int) -> float:
    return round(occurrences * 100_000 / chars, 3) if chars else 0.0


def sentence(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence around [start, end) (cut to SENTENCE_LIMIT around the match), and where it
    starts in the text."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - SENTENCE_LIMIT), start)), default=None)
    if left is None:
        left = max(0, start - SENTENCE_LIMIT // 2)
    right_match = _SENTENCE_END.search(text, end, end + SENTENCE_LIMIT)
    right = right_match.end() if right_match else min(len(text), end + SENTENCE_LIMIT // 2)
    excerpt = text[left:right]
    stripped = excerpt.lstrip()
    return stripped.rstrip("\n"), left + len(excerpt) - len(stripped)


def _document(doc: Document) -> dict[str, Any]:
    return {"id": doc.id, "title": doc.title, "date": doc.date, "kind": doc.kind}


def _earliest(session: Session, term_id: int, kind: str | None) -> dict[str, Any] | None:
    return earliest_attestation(session, term_id, (kind,) if kind else None)


def earliest_attestation(session: Session, term_id: int, kinds: tuple[str, ...] | None = None) -> dict[str, Any] | None:
    """The term's first occurrence in date order (among documents of ``kinds`` where given): its
    date, document, sentence and offsets."""
    query = (
        sa.select(Occurrence.start, Occurrence.end, Document)
        .join(Document, Document.id == Occurrence.document_id)
        .where(Occurrence.term_id == term_id)
        .order_by(Document.sort_date, Document.id, Occurrence.start)
        .limit(1)
    )
    if kinds:
        query = query.where(Document.kind.in_(kinds))
    row = session.execute(query).first()
    if row is None:
        return None
    start, end, doc = row
    excerpt, offset = sentence(doc.text, start, end)
    return {
        "date": doc.date,
        "document": _document(doc),
        "excerpt": excerpt,
        "excerpt_start": offset,  # where the excerpt starts in the document: the match is at start - excerpt_start
        "start": start,
        "end": end,
    }


def concordance(
    session: Session,
    term_id: int,
    kind: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    issuer: str | None = None,
) -> dict[str, Any]:
    """Keyword-in-context lines in date order, a page at a time, of one kind of document and one
    issuer or speaker where asked; the context is cut out by the database, so a line never loads
    its document's text."""
    if page < 1 or per_page < 1:
        raise Invalid("page and per_page must be positive")
    base = (
        sa.select(Occurrence.id)
        .join(Document, Document.id == Occurrence.document_id)
        .where(Occurrence.term_id == term_id)
    )
    if kind:
        base = base.where(Document.kind == kind)
    if issuer:
        base = base.where(Document.issuer == issuer)
    total = session.scalar(sa.select(sa.func.count()).select_from(base.subquery()))
    left_from = sa.case((Occurrence.start > CONTEXT, Occurrence.start - CONTEXT), else_=0)
    query = (
        sa.select(
            Document.id,
            Document.title,
            Document.date,
            Document.kind,
            Occurrence.start,
            Occurrence.end,
            sa.func.substr(Document.text, left_from + 1, Occurrence.start - left_from),
            sa.func.substr(Document.text, Occurrence.start + 1, Occurrence.end - Occurrence.start),
            sa.func.substr(Document.text, Occurrence.end + 1, CONTEXT),
        )
        .join(Document, Document.id == Occurrence.document_id)
        .where(Occurrence.term_id == term_id)
        .order_by(Document.sort_date, Document.id, Occurrence.start)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    if kind:
        query = query.where(Document.kind == kind)
    if issuer:
        query = query.where(Document.issuer == issuer)
    items = [
        {
            "document": {"id": doc_id, "title": title, "date": date, "kind": doc_kind},
            "date": date,
            "left": left,
            "match": match,
            "right": right,
            "start": start,
            "end": end,
        }
        for doc_id, title, date, doc_kind, start, end, left, match, right in session.execute(query)
    ]
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def attestations(
    session: Session,
    slug: str,
    kind: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    issuer: str | None = None,
) -> dict[str, Any]:
    """Everything the term page's "In the corpus" section shows (the issue's JSON shape); issuer
    narrows the concordance only (a speaker's figures would be too few to chart)."""
    term = _term(session, slug)
    years = _year_chars(session, kind)
    used = _term_years(session, term.id, kind)
    by_year = []
    for year in sorted(years):
        n_docs, chars = years[year]
        occurrences, docs = used.get(year, (0, 0))
        by_year.append(
            {
                "year": year,
                "occurrences": occurrences,
                "documents": docs,
                "corpus_documents": n_docs,
                "chars": chars,
                "per_100k": _per_100k(occurrences, chars),
            }
        )
    return {
        "term": term.slug,
        "corpus": corpus_version(session),
        "earliest": _earliest(session, term.id, kind),
        "documents": sum(d for _, d in used.values()),
        "occurrences": sum(o for o, _ in used.values()),
        "by_year": by_year,
        "concordance": concordance(session, term.id, kind, page, per_page, issuer),
    }


def trends(
    session: Session,
    slugs: list[str],
    measure: str = "per_100k",
    kind: str | None = None,
    since: int | None = None,
    until: int | None = None,
) -> dict[str, Any]:
    """Use of up to 8 terms per year: per 100,000 characters, or the share of that year's
    documents using the term (``documents``). Years without documents are absent."""
    if not slugs:
        raise Invalid("give at least one term")
    if len(slugs) > MAX_TERMS:
        raise Invalid(f"at most {MAX_TERMS} terms, not {len(slugs)}")
    if measure not in MEASURES:
        raise Invalid(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}")
    terms = [_term(session, slug) for slug in slugs]
    years = {
        y: v
        for y, v in _year_chars(session, kind).items()
        if (since is None or y >= since) and (until is None or y <= until)
    }
    series = []
    for term in terms:
        used = _term_years(session, term.id, kind)
        points = []
        for year in sorted(years):
            n_docs, chars = years[year]
            occurrences, docs = used.get(year, (0, 0))
            value = _per_100k(occurrences, chars) if measure == "per_100k" else round(docs / n_docs, 4)
            points.append({"year": year, "value": value, "occurrences": occurrences, "documents": docs})
        series.append({"term": term.slug, "points": points})
    return {"measure": measure, "corpus": corpus_version(session), "series": series}

"""Attestations, trends and the corpus version, from stored counts (never by reading texts).

Figures (documents, occurrences, characters, per-year rates) leave out documents flagged as
overlapping a longer one (see :mod:`corpus_overlap`); concordance lines and the earliest
attestation include them, since a passage is attested wherever it is printed. A year without
documents (of the kind asked for) is absent from ``by_year`` — a gap, not a zero.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import CorpusYear, Document, Occurrence, Term, TermYearCount
from . import corpus_queue
from .errors import Invalid, NotFound

CONTEXT = 30  # characters of context on each side of a concordance line
SENTENCE_LIMIT = 200  # longest excerpt, in characters
PER_PAGE = 20
MAX_TERMS = 8
MEASURES = ("per_100k", "documents")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def corpus_version(session: Session) -> dict[str, Any]:
    """What a figure was computed from: documents counted, characters, date span, last import
    (summed in one row from the per-year aggregates of services.corpus_aggregates)."""
    documents, chars, first, last, imported = session.execute(
        sa.select(
            sa.func.sum(CorpusYear.documents),
            sa.func.sum(CorpusYear.chars),
            sa.func.min(CorpusYear.first_sort_date),
            sa.func.max(CorpusYear.last_sort_date),
            sa.func.max(CorpusYear.last_imported),
        )
    ).one()
    if isinstance(imported, str):  # SQLite's max() of a datetime column is its text
        imported = datetime.fromisoformat(imported)
    stamp = imported.strftime("%Y-%m-%dT%H:%M:%SZ") if imported else None
    date_from, date_to = _dates_of(session, first, last)
    return {
        "documents": int(documents or 0),
        "chars": int(chars or 0),
        "from": date_from,
        "to": date_to,
        "last_import": stamp,
        "version": f"{int(documents or 0)}@{stamp}" if stamp else "0",
    }


def _dates_of(session: Session, *sort_dates: str | None) -> list[str | None]:
    """The dates as given (their own precision) of documents with these sort dates (one query)."""
    wanted = [d for d in sort_dates if d is not None]
    found = dict(
        session.execute(
            sa.select(Document.sort_date, sa.func.min(Document.date))
            .where(Document.sort_date.in_(wanted))
            .group_by(Document.sort_date)
        ).all()
        if wanted
        else []
    )
    return [found.get(d) if d is not None else None for d in sort_dates]


def _term(session: Session, slug: str) -> Term:
    term = session.scalar(sa.select(Term).where(Term.slug == slug))
    if term is None:
        raise NotFound(f"no term {slug!r}")
    return term


def _year_chars(session: Session, kind: str | None) -> dict[int, tuple[int, int]]:
    """year → (documents, characters) of the counted documents (of ``kind``), summed over kinds
    by the database: a year's row each, not one per year and kind."""
    query = sa.select(CorpusYear.year, sa.func.sum(CorpusYear.documents), sa.func.sum(CorpusYear.chars))
    if kind:
        query = query.where(CorpusYear.kind == kind)
    return {year: (int(n), int(c)) for year, n, c in session.execute(query.group_by(CorpusYear.year))}


def _terms_years(session: Session, term_ids: list[int], kind: str | None) -> dict[int, dict[int, tuple[int, int]]]:
    """term id → year → (occurrences, documents using the term), from the per-year aggregates
    (one query for all the terms of a trend)."""
    query = sa.select(
        TermYearCount.term_id,
        TermYearCount.year,
        sa.func.sum(TermYearCount.occurrences),
        sa.func.sum(TermYearCount.documents),
    ).where(TermYearCount.term_id.in_(term_ids))
    if kind:
        query = query.where(TermYearCount.kind == kind)
    found: dict[int, dict[int, tuple[int, int]]] = {term_id: {} for term_id in term_ids}
    for term_id, year, occurrences, docs in session.execute(query.group_by(TermYearCount.term_id, TermYearCount.year)):
        found[term_id][year] = (int(occurrences), int(docs))
    return found


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
    return earliest_attestations(session, [term_id], kinds).get(term_id)


def earliest_attestations(
    session: Session, term_ids: list[int], kinds: tuple[str, ...] | None = None
) -> dict[int, dict[str, Any]]:
    """:func:`earliest_attestation` of many terms in two queries (a review page asks for
    hundreds): each term's first occurrence ranked by a window function, then the documents
    they are in, each read once. Terms without one are absent."""
    if not term_ids:
        return {}
    order = (Document.sort_date, Document.id, Occurrence.start)
    rank = sa.func.row_number().over(partition_by=Occurrence.term_id, order_by=order).label("rank")
    ranked = (
        sa.select(Occurrence.term_id, Occurrence.start, Occurrence.end, Occurrence.document_id, rank)
        .join(Document, Document.id == Occurrence.document_id)
        .where(Occurrence.term_id.in_(term_ids))
    )
    if kinds:
        ranked = ranked.where(Document.kind.in_(kinds))
    first = ranked.subquery()
    rows = session.execute(
        sa.select(first.c.term_id, first.c.start, first.c.end, first.c.document_id).where(first.c.rank == 1)
    ).all()
    documents = {d.id: d for d in session.scalars(sa.select(Document).where(Document.id.in_({r[3] for r in rows})))}
    found = {}
    for term_id, start, end, document_id in rows:
        doc = documents[document_id]
        excerpt, offset = sentence(doc.text, start, end)
        found[term_id] = {
            "date": doc.date,
            "document": _document(doc),
            "excerpt": excerpt,
            "excerpt_start": offset,  # where the excerpt starts in the document: the match is at start - excerpt_start
            "start": start,
            "end": end,
        }
    return found


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
    used = _terms_years(session, [term.id], kind)[term.id]
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
        "pending": corpus_queue.pending(session, term),
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
    ids = dict(session.execute(sa.select(Term.slug, Term.id).where(Term.slug.in_(slugs))).all())  # one query
    for slug in slugs:
        if slug not in ids:
            raise NotFound(f"no term {slug!r}")
    years = {
        y: v
        for y, v in _year_chars(session, kind).items()
        if (since is None or y >= since) and (until is None or y <= until)
    }
    series = []
    uses = _terms_years(session, list(ids.values()), kind)
    for slug in slugs:
        used = uses[ids[slug]]
        points = []
        for year in sorted(years):
            n_docs, chars = years[year]
            occurrences, docs = used.get(year, (0, 0))
            value = _per_100k(occurrences, chars) if measure == "per_100k" else round(docs / n_docs, 4)
            points.append({"year": year, "value": value, "occurrences": occurrences, "documents": docs})
        series.append({"term": slug, "points": points})
    return {"measure": measure, "corpus": corpus_version(session), "series": series}

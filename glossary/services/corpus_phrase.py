"""The phrase concordance: any string, not only glossary terms, across the corpus — keyword in
context and counts per year — so a researcher can check a candidate term before proposing it.

The phrase is found as the annotator reads text (the stored folded copy: both scripts and
punctuation variants alike, line breaks inside a phrase ignored), then mapped back to offsets in
the text as printed. It is a plain substring count, with no boundary rule: 国家安全 is counted
inside 国家安全部 too (the term concordance is where the boundary rule applies). Counts per year
leave out documents flagged as repeating a longer one, as every figure does; lines include them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Document
from ..text.fold import compact, fold
from .corpus_browse import check_kind, like_pattern
from .corpus_queries import CONTEXT, PER_PAGE, corpus_version
from .corpus_reading import search_key
from .errors import Invalid

MIN_CHARS = 2


def _find_all(text: str, needle: str) -> list[int]:
    out, at = [], text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + len(needle))
    return out


def phrase_concordance(
    session: Session,
    q: str,
    kind: str | None = None,
    issuer: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> dict[str, Any]:
    """{q, corpus, documents, occurrences, by_year, concordance: {items, total, page, per_page}}."""
    needle = search_key(q)
    if len(needle) < MIN_CHARS:
        raise Invalid(f"q must be at least {MIN_CHARS} characters", [{"path": "q", "message": "too short"}])
    if page < 1 or per_page < 1:
        raise Invalid("page and per_page must be positive")
    query = sa.select(Document.id, Document.year, Document.overlaps_id, Document.folded).where(
        Document.folded.like(like_pattern(needle), escape="\\")
    )
    years_query = sa.select(Document.year, sa.func.count(Document.id), sa.func.sum(Document.chars)).where(
        Document.overlaps_id.is_(None)
    )
    if check_kind(kind):
        query = query.where(Document.kind == kind)
        years_query = years_query.where(Document.kind == kind)
    if issuer:
        query = query.where(Document.issuer == issuer)
        years_query = years_query.where(Document.issuer == issuer)
    hits: list[tuple[int, list[int]]] = []  # (document id, compact offsets), in date order
    used: dict[int, list[int]] = {}  # year → [occurrences, documents], counted documents only
    for doc_id, year, overlaps, folded in session.execute(query.order_by(Document.sort_date, Document.id)):
        found = _find_all(folded, needle)
        hits.append((doc_id, found))
        if overlaps is None:
            tally = used.setdefault(year, [0, 0])
            tally[0] += len(found)
            tally[1] += 1
    by_year = []
    for year, n_docs, chars in session.execute(years_query.group_by(Document.year).order_by(Document.year)):
        occurrences, docs = used.get(year, [0, 0])
        per_100k = round(occurrences * 100_000 / chars, 3) if chars else 0.0
        by_year.append(
            {"year": year, "occurrences": occurrences, "documents": docs, "corpus_documents": n_docs,
             "chars": int(chars), "per_100k": per_100k}
        )  # fmt: skip
    total = sum(len(found) for _, found in hits)
    return {
        "q": q,
        "corpus": corpus_version(session),
        "documents": sum(docs for _, docs in used.values()),
        "occurrences": sum(n for n, _ in used.values()),
        "by_year": by_year,
        "concordance": {
            "items": _lines(session, hits, needle, (page - 1) * per_page, per_page),
            "total": total,
            "page": page,
            "per_page": per_page,
        },
    }


def _lines(
    session: Session, hits: list[tuple[int, list[int]]], needle: str, skip: int, take: int
) -> list[dict[str, Any]]:
    """The KWIC lines of one page: only the documents on it are read and mapped back to print."""
    wanted: list[tuple[int, int]] = []
    for doc_id, found in hits:
        if skip >= len(found):
            skip -= len(found)
            continue
        for at in found[skip : skip + take - len(wanted)]:
            wanted.append((doc_id, at))
        skip = 0
        if len(wanted) == take:
            break
    items = []
    docs = {d.id: d for d in session.scalars(sa.select(Document).where(Document.id.in_({d for d, _ in wanted})))}
    mapped: dict[int, Any] = {}
    for doc_id, at in wanted:
        doc = docs[doc_id]
        if doc_id not in mapped:
            mapped[doc_id] = compact(fold(doc.text))
        start, end = mapped[doc_id].span(at, at + len(needle))
        items.append(
            {
                "document": {"id": doc.id, "title": doc.title, "date": doc.date, "kind": doc.kind},
                "date": doc.date,
                "left": doc.text[max(0, start - CONTEXT) : start],
                "match": doc.text[start:end],
                "right": doc.text[end : end + CONTEXT],
                "start": start,
                "end": end,
            }
        )
    return items

"""Reading the corpus for the API: a page of documents (filtered, searched), one document's
stored matches, an upload checked field by field, and the published terms a query may name.

Full-text search (``q``) is a plain substring match (``LIKE``) over ``Document.folded``, the
text as the annotator reads it: the query is folded the same way (traditional to simplified,
full-width to half-width, interruptions removed), so 國家安全 finds documents writing 国家安全
and a phrase broken by a line break is still found. It reads every text of the filtered set
(2.4 M characters take milliseconds; the API rate-limits it like search). No FTS5 or PostgreSQL
``tsvector``: neither tokenises Chinese without an extension, and a substring is what a reader
looking for a phrase means.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..formats import FormatError
from ..formats.documents import read_document
from ..formats.glossary1 import unstorable_strings
from ..models import Document, Occurrence, Source, Term
from ..text.fold import compact, fold
from .corpus import DocumentError, Metadata, check_kind, import_upload, parse_date
from .errors import Conflict, Invalid

MAX_QUERY = 200  # characters of a full-text query
# the ids a document can have on every backend (Document.id is PostgreSQL's 4-byte integer, which
# refuses a larger bound value outright instead of finding no row)
DOCUMENT_IDS = range(1, 2**31)
NOT_CHECKED = "string occurrences, sense not checked"
_FINDABLE = re.compile("[^\\s\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # not a space nor an ignorable


@dataclass(frozen=True)
class DocumentPage:
    documents: list[Document]
    total: int


def search_key(q: str) -> str:
    """The query as the folded texts hold it; Invalid (naming q) when nothing is left to find."""
    if len(q) > MAX_QUERY:
        raise Invalid(f"q is {len(q)} characters; at most {MAX_QUERY}", [{"path": "q", "message": "too long"}])
    key = compact(fold(q)).text.strip()
    if not _FINDABLE.search(key):
        raise Invalid("q holds nothing to search for", [{"path": "q", "message": "blank"}])
    return key


def document_page(
    session: Session,
    kind: str | None = None,
    year: int | None = None,
    q: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> DocumentPage:
    """Documents in date order, filtered by kind and year and, with ``q``, to those whose text
    holds it (see the module docstring). Overlapping documents are listed (they are in the corpus)."""
    where = []
    if kind:
        where.append(Document.kind == kind)
    if year is not None:
        where.append(Document.year == year)
    if q is not None:
        where.append(Document.folded.contains(search_key(q), autoescape=True))
    total = session.scalar(sa.select(sa.func.count(Document.id)).where(*where)) or 0
    rows = session.scalars(
        sa.select(Document)
        .where(*where)
        .order_by(Document.sort_date, Document.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return DocumentPage(list(rows), total)


def document_matches(session: Session, document_id: int) -> list[dict[str, Any]]:
    """The document's stored occurrences in text order: the very matches the counts are made of
    (nested mode, published terms), with each term's slug and annotation policy."""
    rows = session.execute(
        sa.select(Term.slug, Term.annotation_policy, Occurrence)
        .join(Term, Term.id == Occurrence.term_id)
        .where(Occurrence.document_id == document_id)
        .order_by(Occurrence.start, Occurrence.end.desc(), Term.slug)
    )
    return [
        {
            "term": slug,
            "start": o.start,
            "end": o.end,
            "surface": o.surface,
            "confidence": o.confidence,
            "nested": o.nested,
            "sense_checked": policy == "auto",
        }
        for slug, policy, o in rows
    ]


def published_terms(session: Session, slugs: list[str], include_drafts: bool = False) -> dict[str, str | None]:
    """The terms these slugs name that the caller may read (published, or any with drafts),
    each with its figures' label (:func:`policy_label`); two columns read, not whole terms."""
    query = sa.select(Term.slug, Term.annotation_policy).where(Term.slug.in_(slugs))
    if not include_drafts:
        query = query.where(Term.status == "published")
    return {slug: _label(policy) for slug, policy in session.execute(query)}


def policy_label(term: Term) -> str | None:
    """The label figures of a term carry when its policy keeps it from being linked in prose."""
    return _label(term.annotation_policy)


def _label(policy: str) -> str | None:
    return None if policy == "auto" else NOT_CHECKED


def _field_error(field: str, message: str) -> Invalid:
    return Invalid(f"{field}: {message}", [{"path": field, "message": message}])


def upload(session: Session, meta: Metadata, data: bytes, max_chars: int) -> Document:
    """Import one uploaded document, or raise naming the field at fault: Invalid for the date,
    kind, title or file (not readable, no text layer, longer than max_chars), Conflict when the
    same bytes are already in the corpus. The text is read once here to judge it, and once more
    by the importer (an upload is one document: the second read costs what the first did)."""
    fields = {k: v for k, v in vars(meta).items() if isinstance(v, str)}
    if bad := unstorable_strings(fields):
        raise _field_error(bad[0]["path"], bad[0]["message"])
    try:
        parse_date(meta.date)
    except DocumentError as exc:
        raise _field_error("date", str(exc)) from None
    try:
        check_kind(meta.kind)
    except DocumentError as exc:
        raise _field_error("kind", str(exc)) from None
    if not meta.title.strip():
        raise _field_error("title", "required: the document's title in its own language")
    digest = hashlib.sha256(data).hexdigest()
    existing = session.scalar(sa.select(Document.id).where(Document.sha256 == digest))
    if existing is not None:
        raise Conflict(
            f"the same text is already document {existing}; nothing was imported",
            [{"path": "file", "message": f"duplicate of document {existing}"}],
        )
    try:
        text = read_document(meta.file, data)
    except FormatError as exc:
        raise _field_error("file", exc.errors[0]["message"]) from None
    if bad := unstorable_strings(text):  # PostgreSQL stores no NUL (a .txt may hold one)
        raise _field_error("file", "the text " + bad[0]["message"])
    if len(text) > max_chars:
        raise _field_error("file", f"the text has {len(text)} characters; at most {max_chars}")
    document, _ = import_upload(session, meta, data)
    if document is None:  # another request imported the same file a moment ago
        duplicate = [{"path": "file", "message": "duplicate"}]
        raise Conflict("the same file was imported meanwhile; nothing was imported", duplicate)
    return document


def source_for_document(session: Session, doc: Document) -> str:
    """The source id citing a corpus document — the seed's rule for corpus files (doc- + the file
    name without .txt, _ → -, lower case) — made from the document's own metadata if absent."""
    source_id = "doc-" + doc.file.removesuffix(".txt").replace("_", "-").lower()
    if session.get(Source, source_id) is None:
        url = (doc.extra or {}).get("original_url") or None
        note = f"Held in this library's corpus as document {doc.id} ({doc.file}). {doc.license_note or ''}"
        session.add(
            Source(
                id=source_id[:128],
                title=doc.title,
                date=doc.date,
                language=doc.language,
                url=url if url and url.startswith(("http://", "https://")) else None,
                note=note.strip(),
            )
        )
        session.flush()
    return source_id[:128]

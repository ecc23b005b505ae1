"""The occurrences of glossary terms in the corpus documents, and keeping them fresh.

Counting rule: an occurrence is a match of the annotator in nested mode, so it passes the
annotator's boundary rule (a short form must sit on word boundaries; 主权 in 自主权 is not 主权) and a
term inside a longer term counts for both (国家安全 inside 总体国家安全观). Every *published* term
is counted, whatever keeps it from being linked in prose: the corpus counts strings, it does not
check senses. The document pages show the same matches.

Freshness (:func:`refresh_term`, called where a term is saved or deleted): an edit that leaves
the term's status and forms as they were (a note, a translation, a source) changes nothing here.
Otherwise a term's occurrences can only change in documents that hold one of its forms, before
or after the edit (found with one ``LIKE`` per form over ``Document.folded``, the text as the
annotator reads it), or that hold an occurrence of it now. Only those documents are annotated
again, with every term, and their occurrences replaced whole, so a neighbour whose match the
edit took over or gave back is right too. An edit of a rare term touches a handful of
documents; an edit on an empty corpus costs one query.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from ..models import Document, Occurrence, Term, TermDocumentCount
from ..text.annotate import Annotator, Entry
from ..text.fold import compact, fold
from ..text.segment import shared_segmenter

BATCH = 20  # documents a worker annotates per task
SURFACE_LENGTH = 200  # as Occurrence.surface

Progress = Callable[[int], None]  # called with how many documents were just done


@dataclass(frozen=True, slots=True)
class Found:
    """An occurrence as the engine reports it, before it is stored."""

    slug: str
    start: int
    end: int
    surface: str
    confidence: str
    nested: bool


def size(session: Session) -> tuple[int, int]:
    """Documents and characters in the corpus (overlapping ones included: all are indexed)."""
    documents, chars = session.execute(
        sa.select(sa.func.count(Document.id), sa.func.coalesce(sa.func.sum(Document.chars), 0))
    ).one()
    return documents, int(chars)


def corpus_entries(session: Session) -> tuple[list[Entry], dict[str, int]]:
    """Every published term as an annotator entry (forms only: the corpus needs no glosses),
    and each slug's term id."""
    terms = session.scalars(
        sa.select(Term).where(Term.status == "published").options(selectinload(Term.forms)).order_by(Term.slug)
    ).all()
    entries = [
        Entry(
            slug=t.slug,
            simplified=t.simplified,
            traditional=t.traditional,
            pinyin=t.pinyin,
            forms=tuple(f.text for f in t.forms),
        )
        for t in terms
    ]
    return entries, {t.slug: t.id for t in terms}


def corpus_annotator(session: Session) -> tuple[Annotator, dict[str, int]]:
    """An annotator of its own (not the per-version cache, which must never hold a glossary
    that an uncommitted edit could still roll back)."""
    entries, ids = corpus_entries(session)
    return Annotator(entries, shared_segmenter()), ids


def find(annotator: Annotator, text: str) -> list[Found]:
    """The occurrences of the counting rule in ``text``."""
    return [
        Found(m.entry.slug, m.start, m.end, text[m.start : m.end][:SURFACE_LENGTH], m.confidence, m.nested)
        for m in annotator.annotate(text, nested=True).matches
    ]


def store(session: Session, document_id: int, found: list[Found], ids: dict[str, int]) -> int:
    """Insert a document's occurrences and its per-term counts (the document has none yet)."""
    if not found:
        return 0
    connection = session.connection()  # Core inserts: the ORM's bulk path costs more than the rows
    connection.execute(
        sa.insert(Occurrence),
        [
            {
                "term_id": ids[f.slug],
                "document_id": document_id,
                "start": f.start,
                "end": f.end,
                "surface": f.surface,
                "confidence": f.confidence,
                "nested": f.nested,
            }
            for f in found
        ],
    )
    counts: dict[int, int] = {}
    for f in found:
        counts[ids[f.slug]] = counts.get(ids[f.slug], 0) + 1
    connection.execute(
        sa.insert(TermDocumentCount),
        [{"term_id": t, "document_id": document_id, "occurrences": n} for t, n in counts.items()],
    )
    return len(found)


def _clear(session: Session, document_ids: list[int]) -> None:
    for table in (Occurrence, TermDocumentCount):
        session.execute(sa.delete(table).where(table.document_id.in_(document_ids)))


def _batches(session: Session, document_ids: list[int]) -> Iterator[list[tuple[int, str]]]:
    for i in range(0, len(document_ids), BATCH):
        chunk = document_ids[i : i + BATCH]
        yield list(session.execute(sa.select(Document.id, Document.text).where(Document.id.in_(chunk))).all())


def reindex_documents(
    session: Session, document_ids: Iterable[int], built: tuple[Annotator, dict[str, int]] | None = None
) -> int:
    """Annotate these documents again with every published term, replacing their occurrences,
    inside the caller's transaction (``built``: an annotator and term ids the caller already
    has). Returns the occurrences stored."""
    ids_list = sorted(set(document_ids))
    if not ids_list:
        return 0
    annotator, ids = built or corpus_annotator(session)
    _clear(session, ids_list)
    total = 0
    for batch in _batches(session, ids_list):
        for document_id, text in batch:
            total += store(session, document_id, find(annotator, text), ids)
    return total


def documents_using(session: Session, term_id: int) -> list[int]:
    """Documents where the term has occurrences now."""
    return list(session.scalars(sa.select(TermDocumentCount.document_id).where(TermDocumentCount.term_id == term_id)))


def documents_holding(session: Session, forms: Iterable[str]) -> set[int]:
    """Documents whose text, as the annotator reads it, contains one of these forms."""
    found: set[int] = set()
    for key in _keys(forms):
        found.update(session.scalars(sa.select(Document.id).where(Document.folded.contains(key, autoescape=True))))
    return found


MatchState = tuple[bool, frozenset[str]]  # published?, the keys its forms are matched by


def _keys(forms: Iterable[str]) -> frozenset[str]:
    return frozenset(compact(fold(f)).text for f in forms) - {""}


def match_state(term: Term | None) -> MatchState | None:
    """What of a term the corpus index depends on: taken before an edit, so that an edit of
    anything else (a note, a translation) costs the corpus nothing."""
    if term is None:
        return None
    return term.status == "published", _keys([term.simplified, term.traditional, *(f.text for f in term.forms)])


def refresh_term(session: Session, term: Term, before: MatchState | None = None) -> int:
    """Bring the corpus up to date with a term just saved; ``before`` is its match_state()
    before the edit (None for a new term). See the module docstring."""
    after = match_state(term)
    assert after is not None
    if after == before or session.scalar(sa.select(Document.id).limit(1)) is None:
        return 0
    stale = set(documents_using(session, term.id))
    for published, keys in (after, before or (False, frozenset())):
        if published:
            stale |= documents_holding(session, keys)
    return reindex_documents(session, stale)


# A worker process's own annotator, set once by the pool's initializer (a process-wide slot is
# how ProcessPoolExecutor hands state to its tasks; the parent process never sets it).
_worker_annotator: Annotator | None = None


def _start_worker(entries: list[Entry]) -> None:
    global _worker_annotator
    _worker_annotator = Annotator(entries, shared_segmenter())


def _work(batch: list[tuple[int, str]]) -> list[tuple[int, list[Found]]]:
    assert _worker_annotator is not None
    return [(document_id, find(_worker_annotator, text)) for document_id, text in batch]


def reindex_all(session: Session, workers: int = 1, progress: Progress | None = None) -> tuple[int, int]:
    """Replace every occurrence; commits once at the end (readers see the old index until then).
    With ``workers`` > 1 the annotation runs in that many processes (the engine is pure, so each
    builds its own annotator from the same entries); this process only reads and writes.
    Returns (documents, occurrences)."""
    entries, ids = corpus_entries(session)
    document_ids = list(session.scalars(sa.select(Document.id).order_by(Document.id)))
    session.execute(sa.delete(Occurrence))
    session.execute(sa.delete(TermDocumentCount))
    total = 0

    def stored(results: Iterable[tuple[int, list[Found]]]) -> None:
        nonlocal total
        for document_id, found in results:
            total += store(session, document_id, found, ids)
            if progress:
                progress(1)

    if workers <= 1:
        annotator = Annotator(entries, shared_segmenter())
        for batch in _batches(session, document_ids):
            stored((document_id, find(annotator, text)) for document_id, text in batch)
    else:
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(entries,)) as pool:
            pending: deque[Future[Any]] = deque()
            for batch in _batches(session, document_ids):  # at most 2 batches a worker in flight
                pending.append(pool.submit(_work, batch))
                if len(pending) >= 2 * workers:
                    stored(pending.popleft().result())
            while pending:
                stored(pending.popleft().result())
    session.commit()
    return len(document_ids), total

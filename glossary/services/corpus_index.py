"""The occurrences of glossary terms in the corpus documents, and keeping them fresh.

Counting rule: an occurrence is a match of the annotator in nested mode, so it passes the
annotator's boundary rule (a short form must sit on word boundaries; 主权 in 自主权 is not 主权) and a
term inside a longer term counts for both (国家安全 inside 总体国家安全观). Every *published* term
is counted, whatever keeps it from being linked in prose: the corpus counts strings, it does not
check senses. The document pages show the same matches.

Freshness (:mod:`corpus_queue` queues it, a drain after commit does it): an edit that leaves
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
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import ahocorasick_rs
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Document, Occurrence, ReindexRequest, Term, TermDocumentCount
from ..text.annotate import Annotator, Entry
from ..text.fold import compact, fold
from ..text.segment import shared_segmenter
from . import (
    annotation,  # a module: annotation imports terms, which imports this
    corpus_aggregates,
)
from .fastinsert import Writer, insert_rows

BATCH = 20  # documents a worker annotates per task
SCAN_KEYS = 50  # more keys than this are looked for in one pass over the documents, not by LIKE
SURFACE_LENGTH = 200  # as Occurrence.surface
OCCURRENCE_COLUMNS = ("term_id", "document_id", "start", "end", "surface", "confidence", "nested")
LOCK_KEY = 0x636F7270  # the PostgreSQL advisory lock every writer of the whole index takes ("corp")

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
    """Every published term as an annotator entry, its annotation policy ignored (the counting
    rule above) and without its renderings (documents are counted in Chinese), and each slug's
    term id."""
    by_id = annotation.entries_by_id(session, policy=False, renderings=False)
    return list(by_id.values()), {entry.slug: term_id for term_id, entry in by_id.items()}


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
    """Insert a document's occurrences and its per-term counts (the document has none yet), at
    driver speed (COPY on PostgreSQL): a bulk import's drain stores over 100,000 of them."""
    if not found:
        return 0
    insert_rows(
        session,
        Occurrence.__tablename__,
        OCCURRENCE_COLUMNS,
        ((ids[f.slug], document_id, f.start, f.end, f.surface, f.confidence, f.nested) for f in found),
    )
    counts = Counter(ids[f.slug] for f in found)
    insert_rows(
        session,
        TermDocumentCount.__tablename__,
        ("term_id", "document_id", "occurrences"),
        [(term_id, document_id, n) for term_id, n in counts.items()],
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
    # on PostgreSQL a document's occurrences are stored while the next one is annotated (128,000
    # of them after a 50,000-term import: 2 s of the server's in a 13 s drain); SQLite's inserts
    # are mostly Python here, and a thread only made the drain slower (11.1 -> 11.45 s)
    threaded = session.get_bind().dialect.name == "postgresql"
    with Writer("corpus-writer", threaded) as writer:
        for batch in _batches(session, ids_list):
            for document_id, text in batch:
                found = find(annotator, text)
                writer.submit(store, session, document_id, found, ids)
                total += len(found)  # what store() stores
            writer.wait()  # before the next batch is read
    corpus_aggregates.refresh(session, corpus_aggregates.years_of(session, ids_list))
    return total


def documents_using(session: Session, term_id: int) -> list[int]:
    """Documents where the term has occurrences now."""
    return list(session.scalars(sa.select(TermDocumentCount.document_id).where(TermDocumentCount.term_id == term_id)))


def documents_holding(session: Session, forms: Iterable[str]) -> set[int]:
    """Documents whose text, as the annotator reads it, contains one of these forms: one
    ``LIKE`` per key for a few keys (an edit), one pass of an Aho-Corasick automaton over every
    document for many (the terms a bulk import created: 30,000 keys would be 30,000 scans).
    The pass ignores case, as SQLite's LIKE does, so it may name a few documents more."""
    keys = match_keys(forms)
    if len(keys) > SCAN_KEYS:
        return _scan(session, keys)
    found: set[int] = set()
    for key in keys:
        found.update(session.scalars(sa.select(Document.id).where(Document.folded.contains(key, autoescape=True))))
    return found


def _scan(session: Session, keys: Iterable[str]) -> set[int]:
    automaton = ahocorasick_rs.AhoCorasick(sorted({key.casefold() for key in keys}))
    return {
        document_id
        for document_id, folded in session.execute(sa.select(Document.id, Document.folded)).yield_per(BATCH)
        if automaton.find_matches_as_indexes(folded.casefold())
    }


MatchState = tuple[bool, frozenset[str]]  # published?, the keys its forms are matched by


def match_keys(forms: Iterable[str]) -> frozenset[str]:
    """The keys the corpus matches these forms by (folded and compacted, as documents are)."""
    return frozenset(compact(fold(f)).text for f in forms) - {""}


def match_state(term: Term | None) -> MatchState | None:
    """What of a term the corpus index depends on: taken before an edit, so that an edit of
    anything else (a note, a translation) costs the corpus nothing."""
    if term is None:
        return None
    return term.status == "published", match_keys([term.simplified, term.traditional, *(f.text for f in term.forms)])


# A worker process's own annotator, set once by the pool's initializer (a process-wide slot is
# how ProcessPoolExecutor hands state to its tasks; the parent process never sets it).
_worker_annotator: Annotator | None = None


def _start_worker(entries: list[Entry]) -> None:
    global _worker_annotator
    _worker_annotator = Annotator(entries, shared_segmenter())


def _work(batch: list[tuple[int, str]]) -> list[tuple[int, list[Found]]]:
    assert _worker_annotator is not None
    return [(document_id, find(_worker_annotator, text)) for document_id, text in batch]


def lock_index(session: Session) -> None:
    """Start a transaction that alone re-indexes documents: SQLite's write lock taken up front
    (BEGIN IMMEDIATE), or PostgreSQL's advisory lock held until it ends, so two drains (or a
    drain and a full re-index) never replace the same document's occurrences at once. A
    transaction already begun is kept (on SQLite it takes the write lock at its first write)."""
    begun = session.in_transaction()
    connection = session.connection(execution_options={} if begun else {"sqlite_immediate": True})
    if connection.dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))


def reindex_all(session: Session, workers: int = 1, progress: Progress | None = None) -> tuple[int, int]:
    """Replace every occurrence; commits once at the end (readers see the old index until then).
    With ``workers`` > 1 the annotation runs in that many processes (the engine is pure, so each
    builds its own annotator from the same entries); this process only reads and writes.
    Queued edits (services.corpus_queue) are done by it: their requests are deleted before the
    terms are read. Returns (documents, occurrences)."""
    lock_index(session)
    session.execute(sa.delete(ReindexRequest))
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
    corpus_aggregates.refresh(session)
    session.commit()
    return len(document_ids), total

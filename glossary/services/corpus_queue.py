"""Index freshness out of the edit's transaction: a durable queue of re-index requests.

A term edit that changes what the corpus index was built from (its status or its forms: see
:func:`corpus_index.match_state`) no longer re-annotates documents inside its transaction (1.9 s
for a new form of a common term under load). It writes one :class:`ReindexRequest` row there
instead, so the request is durable exactly when the edit is, and the work is drained after
commit: by a background thread in each web worker (glossary/reindexer.py), at the end of a CLI
command, by ``glossary corpus reindex --pending``, and at start-up, so a crash between the commit
and the drain loses nothing. Until then the term's figures are *pending*: reads say so.

A drain takes the queued requests in order, in one write transaction per batch: the documents to
read again are those holding the term's forms before the edit (the request's ``keys``) or now,
and those its occurrences are in (a rare term's edit touches a handful of documents); they are
annotated again with every published term as committed now, and the requests deleted. Drains
are serialised (SQLite's write lock; a transaction-scoped advisory lock on PostgreSQL), so two
workers never replace the same document's occurrences at once; a request committed while a
drain runs is left for its next round, which sees the edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Document, ReindexRequest, Term
from . import corpus_index

QUEUED = "glossary.corpus_queued"  # Session.info flag: this session wrote a request (wake a drainer)
BATCH = 100  # requests a drain round takes: their documents are read once for all of them


@dataclass(frozen=True, slots=True)
class Drained:
    """What a drain did."""

    requests: int = 0
    documents: int = 0
    occurrences: int = 0

    def __add__(self, other: Drained) -> Drained:
        return Drained(
            self.requests + other.requests, self.documents + other.documents, self.occurrences + other.occurrences
        )


def _corpus_empty(session: Session) -> bool:
    return session.scalar(sa.select(Document.id).limit(1)) is None


def _queue(session: Session, request: ReindexRequest) -> None:
    session.add(request)
    session.info[QUEUED] = True


def enqueue_edit(session: Session, term: Term, before: corpus_index.MatchState | None) -> bool:
    """Queue the re-index a saved term needs, in the caller's transaction; ``before`` is its
    match_state() before the edit (None for a new term). An edit that leaves its status and
    forms as they were, or an empty corpus, queues nothing. Returns whether a request was queued."""
    after = corpus_index.match_state(term)
    published, keys = before or (False, frozenset())
    if after == before or not (published or (after and after[0])) or _corpus_empty(session):
        return False
    _queue(session, ReindexRequest(term_id=term.id, keys=sorted(keys) if published else [], document_ids=[]))
    return True


def enqueue_deletion(session: Session, term: Term) -> bool:
    """Queue the re-reading of the documents a term about to be deleted is found in (its
    occurrences go with it; the documents' other matches may nest differently without it)."""
    using = corpus_index.documents_using(session, term.id)
    if not using:
        return False
    _queue(session, ReindexRequest(term_id=None, keys=[], document_ids=sorted(using)))
    return True


def enqueue_created(session: Session, forms: Iterable[str]) -> bool:
    """Queue the re-index the new published terms of a bulk import need (``forms``: all their
    forms), in the import's transaction, as one request the next drain does in one round: the
    documents holding any of the forms are read again. One request per term would cost a drain
    round per hundred terms, each with an annotator of every term. Returns whether it queued."""
    keys = corpus_index.match_keys(forms)
    if not keys or _corpus_empty(session):
        return False
    _queue(session, ReindexRequest(term_id=None, keys=sorted(keys), document_ids=[]))
    return True


def pending(session: Session, term: Term) -> bool:
    """Whether the term's corpus figures wait for a drain: an edit of it is queued, or a bulk
    import created it (its request names no term but holds its keys; rarely more than one such
    request is queued, and only until the drain after the import's commit)."""
    if session.scalar(sa.select(ReindexRequest.id).where(ReindexRequest.term_id == term.id).limit(1)) is not None:
        return True
    created = list(session.scalars(sa.select(ReindexRequest.keys).where(ReindexRequest.term_id.is_(None))))
    if not any(created):  # a deletion's request names no term either, but holds no keys
        return False
    state = corpus_index.match_state(term)
    return state is not None and any(not state[1].isdisjoint(keys) for keys in created)


def queued(session: Session) -> int:
    """Requests waiting."""
    return session.scalar(sa.select(sa.func.count(ReindexRequest.id))) or 0


def _stale(session: Session, requests: list[ReindexRequest]) -> set[int]:
    """The documents these requests need read again."""
    stale: set[int] = set()
    keys: set[str] = set()
    term_ids = {r.term_id for r in requests if r.term_id is not None}
    for request in requests:
        stale.update(request.document_ids)
        keys.update(request.keys)
    for term_id in term_ids:
        stale.update(corpus_index.documents_using(session, term_id))
    for term in session.scalars(sa.select(Term).where(Term.id.in_(term_ids))):
        state = corpus_index.match_state(term)
        assert state is not None
        if state[0]:
            keys.update(state[1])
    return stale | corpus_index.documents_holding(session, keys)


def drain_once(session: Session, limit: int = BATCH) -> Drained:
    """One round: up to ``limit`` requests done and committed (nothing if the queue is empty)."""
    if not queued(session):  # the usual case, and no write lock taken for it
        session.rollback()
        return Drained()
    session.rollback()
    corpus_index.lock_index(session)
    requests = list(session.scalars(sa.select(ReindexRequest).order_by(ReindexRequest.id).limit(limit)))
    if not requests:
        session.rollback()
        return Drained()
    stale = _stale(session, requests)
    occurrences = corpus_index.reindex_documents(session, stale)
    session.execute(sa.delete(ReindexRequest).where(ReindexRequest.id.in_([r.id for r in requests])))
    session.commit()
    return Drained(len(requests), len(stale), occurrences)


def drain(session: Session) -> Drained:
    """Every queued request, round after round, until the queue is empty."""
    total = Drained()
    while (done := drain_once(session)).requests:
        total += done
    return total

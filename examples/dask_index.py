"""Index the corpus on a Dask cluster: the pure engine of glossary/text annotates the documents
on the workers, and each worker writes its occurrences into the database (PostgreSQL in
production) in batches. See docs/scaling.md.

    python examples/dask_index.py DATABASE_URL [--scheduler tcp://HOST:8786] [--documents-per-task 200]

Without --scheduler it starts a LocalCluster on this machine. The client only reads the
glossary (a few hundred kilobytes of forms) and the documents' id range; texts never pass
through it: each task reads its own slice of documents from the database, annotates it with the
counting rule of glossary.services.corpus_index, replaces those documents' occurrences and
per-term counts, and commits (one transaction per task, so a task retried after a worker died
writes its slice again, never twice).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from glossary.extensions import make_engine
from glossary.models import Document, Occurrence, TermDocumentCount
from glossary.services import corpus_aggregates, corpus_index
from glossary.text.annotate import Annotator, Entry
from glossary.text.segment import shared_segmenter

Slice = tuple[int, int]  # document ids from, to (inclusive)


def glossary_entries(url: str) -> tuple[tuple[Entry, ...], dict[str, int]]:
    """Every published term as the engine's entry, and each slug's term id (read once, on the client)."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            entries, ids = corpus_index.corpus_entries(session)
    finally:
        engine.dispose()
    return tuple(entries), ids


def document_slices(url: str, per_task: int) -> list[Slice]:
    """Ranges of document ids of about ``per_task`` documents each."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            ids = list(connection.scalars(sa.select(Document.id).order_by(Document.id)))
    finally:
        engine.dispose()
    return [(ids[i], ids[min(i + per_task, len(ids)) - 1]) for i in range(0, len(ids), per_task)]


# A worker process's annotator, kept between its tasks (building one and loading jieba's
# dictionary costs about a second, annotating a slice much less): a process-wide slot, as
# ProcessPoolExecutor workers have in services.corpus_index, keyed by the glossary's fingerprint.
_worker_annotator: tuple[str, Annotator] | None = None


def _annotator(fingerprint: str, entries: tuple[Entry, ...]) -> Annotator:
    global _worker_annotator
    if _worker_annotator is None or _worker_annotator[0] != fingerprint:
        _worker_annotator = (fingerprint, Annotator(list(entries), shared_segmenter()))
    return _worker_annotator[1]


@lru_cache(maxsize=4)
def _engine(url: str) -> sa.Engine:
    return make_engine(url)  # one pool per worker process


def index_slice(
    bounds: Slice, url: str, entries: tuple[Entry, ...], ids: dict[str, int], fingerprint: str
) -> tuple[int, int]:
    """Annotate the documents with ids in ``bounds`` and replace their occurrences, in one
    transaction. Returns (documents, occurrences)."""
    low, high = bounds
    annotator = _annotator(fingerprint, entries)
    documents = occurrences = 0
    with Session(_engine(url)) as session:
        in_slice = sa.and_(Document.id >= low, Document.id <= high)
        document_ids = sa.select(Document.id).where(in_slice)
        for table in (Occurrence, TermDocumentCount):
            session.execute(sa.delete(table).where(table.document_id.in_(document_ids)))
        rows = session.execute(sa.select(Document.id, Document.text).where(in_slice).order_by(Document.id))
        for document_id, text in rows.all():
            occurrences += corpus_index.store(session, document_id, corpus_index.find(annotator, text), ids)
            documents += 1
        session.commit()
    return documents, occurrences


def run(url: str, client: Any, per_task: int = 200) -> tuple[int, int]:
    """Index every document on the cluster ``client`` is connected to: a Dask bag of id slices,
    one partition each. Returns (documents, occurrences)."""
    import dask.bag as db

    entries, ids = glossary_entries(url)
    slices = document_slices(url, per_task)
    if not slices:
        return 0, 0
    fingerprint = hashlib.sha256(repr(entries).encode()).hexdigest()
    bag = db.from_sequence(slices, npartitions=len(slices))
    task = bag.map(index_slice, url=url, entries=entries, ids=ids, fingerprint=fingerprint)
    results = client.compute(task).result()
    engine = make_engine(url)
    try:
        with Session(engine) as session:  # the per-year aggregates figures are read from
            corpus_aggregates.refresh(session)
            session.commit()
    finally:
        engine.dispose()
    return sum(d for d, _ in results), sum(o for _, o in results)


def main() -> None:
    from dask.distributed import Client, LocalCluster

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", help="SQLAlchemy URL of the glossary database")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (default: a LocalCluster)")
    parser.add_argument("--documents-per-task", type=int, default=200)
    args = parser.parse_args()
    cluster = None if args.scheduler else LocalCluster(dashboard_address=None)
    with Client(args.scheduler or cluster) as client:
        documents, occurrences = run(args.database, client, args.documents_per_task)
    if cluster is not None:
        cluster.close()
    print(f"{documents} documents, {occurrences} occurrences indexed")


if __name__ == "__main__":
    main()

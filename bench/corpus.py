"""Corpus indexing against a segmenter's cost, in one run on one machine.

Prints:
  - importing the whole of ../shared/corpus/dated into an empty library (seed glossary loaded):
    seconds, characters/s, occurrences
  - `jieba.lcut` of the same text once (the issue's bar: the import must take less time)
    and the ratio
  - `reindex` with 1, 2 and the machine's core count of worker processes, and the speed-ups
  - the peak RSS of this process after the import, and at the end of the worker processes
  - a term edit's latency now that its re-index is queued (services.corpus_queue), against the
    same edit with its re-index done before it returns (as it was inside the edit's transaction)
  - on a synthetic corpus of SYNTHETIC documents made from the real ones with shifted dates (their
    stored aggregates bulk-inserted: Document rows with the real ones' sizes but no text, and the
    real ones' per-term counts; building 100 M characters through the importer would take an
    hour here), a 5-term GET /api/v1/trends against a single-term GET /api/v1/terms/{key}, each
    served from the worker's cache and computed (caches off)

    python bench/corpus.py [--database URL] [--synthetic N]   (default: scratch SQLite, 10,000)
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from glossary import create_app  # noqa: E402
from glossary.extensions import make_engine  # noqa: E402
from glossary.models import Document, TermDocumentCount  # noqa: E402
from glossary.services import corpus, corpus_aggregates, corpus_index, corpus_queue, interchange, migrate  # noqa: E402
from glossary.services.representation import term_to_dict  # noqa: E402
from glossary.services.seed import load_seed  # noqa: E402
from glossary.services.terms import TermInput, get_term, save_term  # noqa: E402
from glossary.text.segment import shared_segmenter  # noqa: E402

DATED = ROOT.parent / "shared" / "corpus" / "dated"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="an empty, migrated-or-not database URL (default: scratch SQLite)")
    parser.add_argument("--synthetic", type=int, default=10_000, help="documents of the synthetic corpus")
    args = parser.parse_args()
    if not DATED.is_dir():
        sys.exit(f"{DATED} is absent")
    scratch = tempfile.TemporaryDirectory(prefix="corpus-bench-")
    engine = make_engine(args.database or f"sqlite:///{scratch.name}/bench.db")
    migrate.upgrade(engine)
    shared_segmenter().tokenizer  # noqa: B018  (jieba's dictionary loads once, outside every timing)
    jieba.initialize()
    with Session(engine) as session:
        interchange.load(session, load_seed(), "bench", keep_existing=True)
        session.commit()
        t0 = time.perf_counter()
        report = corpus.import_directory(session, DATED)
        imported = time.perf_counter() - t0
        if report.errors:
            sys.exit("\n".join(report.errors))
        print(f"peak RSS after the import: {peak_mib():.0f} MiB")
        text = "\n".join(d.text for d in corpus.list_documents(session))
        session.expunge_all()
        t0 = time.perf_counter()
        jieba.lcut(text)
        segmented = time.perf_counter() - t0
        print(f"corpus: {report.documents} documents, {report.chars:,} characters, {report.occurrences:,} occurrences")
        print(f"import into an empty library: {imported:.2f} s ({report.chars / imported:,.0f} chars/s)")
        print(f"jieba.lcut of the same text:  {segmented:.2f} s ({len(text) / segmented:,.0f} chars/s)")
        print(f"import / jieba.lcut: {imported / segmented:.2f} (below 1 is the issue's bar)")
        timings = {}
        for workers in sorted({1, 2, os.cpu_count() or 1}):
            t0 = time.perf_counter()
            corpus_index.reindex_all(session, workers)
            timings[workers] = time.perf_counter() - t0
            took = timings[workers]
            print(
                f"reindex, {workers} worker(s): {took:.2f} s, speed-up {timings[1] / took:.2f}×,"
                f" / jieba.lcut {took / segmented:.2f}"
            )
        edit_latency(session)
        synthetic(session, args.synthetic)
    database = args.database or f"sqlite:///{scratch.name}/bench.db"
    engine.dispose()
    compare_requests(database, scratch.name)
    own = peak_mib()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: {own:.0f} MiB (this process), {children:.0f} MiB (largest worker)")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def edit_latency(session: Session) -> None:
    """A new form for a common term and for a rare one: the edit as it returns now (its re-index
    queued), and the edit followed by the drain (the work the edit used to do before returning)."""
    for simplified, form in (("国家安全", "国家的安全"), ("脱钩", "脱钩政策")):
        slug = session.scalar(sa.select(sa.text("slug")).select_from(sa.table("terms")).where(
            sa.text("simplified = :s")).params(s=simplified))  # fmt: skip
        if slug is None:
            print(f"edit latency: {simplified} is not in the seed, skipped")
            continue
        data = term_to_dict(get_term(session, slug))
        data["forms"] = [*data.get("forms", []), {"text": form, "tag": "zh-Hans"}]
        t0 = time.perf_counter()
        save_term(session, TermInput(data, "bench", get_term(session, slug)))
        session.commit()
        edit = time.perf_counter() - t0
        done = corpus_queue.drain(session)
        both = time.perf_counter() - t0
        print(
            f"edit latency, a new form for {simplified} ({done.documents} documents re-read): {edit:.2f} s now"
            f" (re-index queued), {both:.2f} s with the re-index before returning (as before)"
        )


def synthetic(session: Session, target: int) -> None:
    """Add ``target`` documents made from the real ones with shifted dates: their aggregates only
    (Document rows without text, the real per-term counts), bulk-inserted 500 at a time."""
    real = session.execute(sa.select(Document.id, Document.kind, Document.chars, Document.title)).all()
    counts: dict[int, list[tuple[int, int]]] = {}
    for term_id, document_id, n in session.execute(
        sa.select(TermDocumentCount.term_id, TermDocumentCount.document_id, TermDocumentCount.occurrences)
    ):
        counts.setdefault(document_id, []).append((term_id, n))
    next_id = (session.scalar(sa.select(sa.func.max(Document.id))) or 0) + 1
    t0 = time.perf_counter()
    chars = 0
    connection = session.connection()
    for start in range(0, target, 500):
        documents, rows = [], []
        for i in range(start, min(start + 500, target)):
            source_id, kind, size, title = real[i % len(real)]
            year, month, day = 1950 + i % 76, 1 + i % 12, 1 + i % 28
            date = f"{year}-{month:02d}-{day:02d}"
            documents.append({"id": next_id + i, "file": f"synthetic-{i}.txt", "title": title, "date": date,
                              "sort_date": date, "year": year, "kind": kind, "language": "zh", "chars": size,
                              "sha256": f"{i:064x}", "text": "", "folded": "", "extra": {}})  # fmt: skip
            rows += [{"term_id": t, "document_id": next_id + i, "occurrences": n} for t, n in counts.get(source_id, [])]
            chars += size
        connection.execute(sa.insert(Document), documents)
        if rows:
            connection.execute(sa.insert(TermDocumentCount), rows)
    corpus_aggregates.refresh(session)  # the per-year aggregates, as an import keeps them
    session.commit()
    print(
        f"synthetic corpus: {target:,} documents, {chars:,} characters (aggregates only) bulk-inserted in"
        f" {time.perf_counter() - t0:.1f} s; peak RSS {peak_mib():.0f} MiB"
    )


def compare_requests(database: str, scratch: str, rounds: int = 30) -> None:
    """Median latency of a 5-term trends request and of a single-term GET, interleaved, in process
    (the Flask test client: no network, so the ratio is the handlers' own), each both warm (served
    from the worker's cache of serialized replies) and cold (the caches off: every request is
    computed, as the first one after an import, a re-index or a term edit is)."""
    os.environ.setdefault("GLOSSARY_INSTANCE_PATH", scratch)
    config = {"DATABASE_URL": database, "RATELIMIT_ENABLED": False, "CORPUS_REINDEX": "off"}
    cached = create_app(config).test_client()
    uncached = create_app(config | {"TERM_CACHE_BYTES": 0}).test_client()
    with Session(make_engine(database)) as session:
        top = (
            session.execute(
                sa.select(sa.text("terms.slug"))
                .select_from(sa.table("terms"))
                .join(sa.table("term_document_counts"), sa.text("term_document_counts.term_id = terms.id"))
                .group_by(sa.text("terms.slug"))
                .order_by(sa.text("sum(term_document_counts.occurrences) DESC"))
                .limit(5)
            )
            .scalars()
            .all()
        )
    trend, term = f"/api/v1/trends?terms={','.join(top)}", f"/api/v1/terms/{top[0]}"
    requests = {
        "trends, 5 terms (cached)": (cached, trend),
        "trends, 5 terms (no cache)": (uncached, trend),
        "term GET (cached)": (cached, term),
        "term GET (no cache)": (uncached, term),
    }
    timings: dict[str, list[float]] = {name: [] for name in requests}
    for client, url in requests.values():
        assert client.get(url).status_code == 200, url  # warm: caches, compiled queries
    for _ in range(rounds):
        for name, (client, url) in requests.items():
            t0 = time.perf_counter()
            client.get(url)
            timings[name].append(time.perf_counter() - t0)
    median = {name: sorted(times)[rounds // 2] for name, times in timings.items()}
    fastest = {name: min(times) for name, times in timings.items()}  # the least disturbed by other jobs
    for name, (_, url) in requests.items():
        ms = f"{median[name] * 1000:.2f} ms median, {fastest[name] * 1000:.2f} ms fastest of {rounds}"
        print(f"{name}: GET {url}: {ms}")
    for a, b in (("cached", "cached"), ("no cache", "no cache"), ("no cache", "cached")):
        trend, term = f"trends, 5 terms ({a})", f"term GET ({b})"
        print(
            f"trends for 5 terms ({a}) / term GET ({b}): {median[trend] / median[term]:.2f}× median,"
            f" {fastest[trend] / fastest[term]:.2f}× fastest (target ≤ 3)"
        )


if __name__ == "__main__":
    main()

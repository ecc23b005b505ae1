"""Corpus indexing against a segmenter's cost, in one run on one machine.

Prints:
  - importing the whole of ../shared/corpus/dated into an empty library (seed glossary loaded):
    seconds, characters/s, occurrences
  - `jieba.lcut` of the same text once (the issue's bar: the import must take less time)
    and the ratio
  - `reindex` with 1, 2 and the machine's core count of worker processes, and the speed-ups
  - the peak RSS of this process and of the worker processes

    python bench/corpus.py [--database URL]   (default: a scratch SQLite file under /tmp)
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

from sqlalchemy.orm import Session  # noqa: E402

from glossary.cli import load_seed  # noqa: E402
from glossary.extensions import make_engine  # noqa: E402
from glossary.services import corpus, corpus_index, interchange, migrate  # noqa: E402
from glossary.text.segment import shared_segmenter  # noqa: E402

DATED = ROOT.parent / "shared" / "corpus" / "dated"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="an empty, migrated-or-not database URL (default: scratch SQLite)")
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
    engine.dispose()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: {own:.0f} MiB (this process), {children:.0f} MiB (largest worker)")


if __name__ == "__main__":
    main()

"""examples/dask_index.py (docs/scaling.md) on a local Dask cluster stores the same occurrences as
the service's own indexer; skipped where dask[distributed] is not installed (the `scale` extra)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from corpus_helpers import filler, write_corpus
from helpers import make_term

from glossary.models import CorpusYear, Occurrence, TermDocumentCount, TermYearCount
from glossary.services import corpus

pytest.importorskip("dask.bag", reason="dask is not installed (pip install -e '.[scale]')")
distributed = pytest.importorskip("dask.distributed", reason="dask.distributed is not installed")

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dask_index.py"
DOCS = [
    {"file": f"d{i}.txt", "date": f"{2000 + i}", "kind": "speech",
     "text": ["坚持总体国家安全观。", "維護國家安全。", "保障自主权和国家主权。"][i % 3] + filler(i, 400)}
    for i in range(7)
]  # fmt: skip


def _load_example(monkeypatch: pytest.MonkeyPatch):
    """Imported by name, as a user runs it: Dask pickles its task function by module and name."""
    monkeypatch.syspath_prepend(str(EXAMPLE.parent))
    return importlib.import_module("dask_index")


def _index(session) -> tuple[set, ...]:
    session.rollback()
    return tuple(
        {tuple(r) for r in session.execute(sa.select(table.__table__)).all()}
        for table in (TermDocumentCount, TermYearCount, CorpusYear)
    ) + ({tuple(r) for r in session.execute(sa.select(*[c for c in Occurrence.__table__.c if c.name != "id"]))},)


def test_the_dask_example_indexes_like_the_service(session, app, tmp_path, monkeypatch) -> None:
    for simplified in ("国家安全", "总体国家安全观", "主权"):
        make_term(session, simplified, simplified)
    assert corpus.import_directory(session, write_corpus(tmp_path / "c", DOCS)).documents == 7
    expected = _index(session)
    assert expected[0] and expected[3]
    for table in (Occurrence, TermDocumentCount, TermYearCount):
        session.execute(sa.delete(table))
    session.commit()
    example = _load_example(monkeypatch)
    url = app.config["DATABASE_URL"]
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        documents, occurrences = example.run(url, client, per_task=3)  # 3 tasks over 2 workers
    assert documents == 7 and occurrences == len(expected[3])
    assert _index(session) == expected
    for engine in (example._engine(url),):
        engine.dispose()

"""The per-year aggregates stay equal to a recomputation from the documents through imports,
overlap flags, removals, term edits and deletions."""

from __future__ import annotations

import sqlalchemy as sa
from corpus_helpers import filler, write_corpus
from helpers import make_term

from glossary.models import CorpusYear, Term, TermYearCount
from glossary.services import corpus, corpus_aggregates, corpus_queue
from glossary.services.corpus_queries import corpus_version
from glossary.services.terms import delete_term, get_term


def _aggregates(session) -> tuple[set, set]:
    years = session.execute(sa.select(CorpusYear.__table__)).all()
    terms = session.execute(sa.select(TermYearCount.__table__)).all()
    return {tuple(r) for r in years}, {tuple(r) for r in terms}


def _recomputed(session) -> tuple[set, set]:
    with session.begin_nested() as savepoint:
        corpus_aggregates.refresh(session)
        fresh = _aggregates(session)
        savepoint.rollback()
    return fresh


def test_the_aggregates_follow_every_change_of_documents_and_counts(session, tmp_path) -> None:
    make_term(session, "国家安全", "national security")
    make_term(session, "主权", "sovereignty")
    long = "国家安全和国家主权。" + filler(10, 3000)
    docs = [{"file": "long.txt", "date": "2018-03", "kind": "law", "text": long},
            {"file": "short.txt", "date": "2017", "kind": "law", "text": long[:2000]},
            {"file": "speech.txt", "date": "2018-05-01", "kind": "speech",
             "text": "国家安全。" + filler(11, 500)}]  # fmt: skip
    assert corpus.import_directory(session, write_corpus(tmp_path / "c", docs)).overlaps
    stored = _aggregates(session)
    assert stored == _recomputed(session)
    years, terms = stored
    assert {(y, k, n) for y, k, n, *_ in years} == {(2018, "law", 1), (2018, "speech", 1)}  # 2017 is flagged
    assert corpus_version(session)["documents"] == 2 and corpus_version(session)["from"] == "2018-03"

    long_id = session.scalar(sa.select(sa.text("id")).select_from(sa.table("documents")).where(
        sa.text("file = 'long.txt'")))  # fmt: skip
    corpus.remove_document(session, long_id)  # the short one is counted again, in 2017
    assert _aggregates(session) == _recomputed(session)
    assert {y for y, *_ in _aggregates(session)[0]} == {2017, 2018}

    security = get_term(session, session.scalar(sa.select(Term.slug).where(Term.simplified == "国家安全")))
    delete_term(session, security, "tests")
    session.commit()
    corpus_queue.drain(session)
    assert _aggregates(session) == _recomputed(session)
    assert security.id not in {t for t, *_ in _aggregates(session)[1]}
    make_term(session, "安全", "security")  # created: drained by make_term, as a worker would
    assert _aggregates(session) == _recomputed(session) and len(_aggregates(session)[1]) > len(terms) - 2

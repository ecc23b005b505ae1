"""Translations are found by substring and with typos through the database's trigram index
(migration 0015: SQLite FTS5 trigram, PostgreSQL GIN over search_key_trigrams(key)), which must
give each key the same count of shared trigrams as text.keys.grams, stay in step with edits and
deletions, and go up and down with the migration without losing a posting."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from helpers import make_term, save_glosses
from sqlalchemy.orm import Session

from glossary.models import SearchGram, SearchKey
from glossary.services import migrate
from glossary.services.search import Searcher
from glossary.services.search_trigrams import WHOLE, translation_matches
from glossary.services.terms import TermInput, delete_term, get_term, save_term
from glossary.text.keys import grams

GLOSSES = [
    "cyber sovereignty",
    "data sovereignty",
    "sovereign wealth",
    "the sovereign party line",
    "common prosperity",
    "prosperity for all",
    "aaaa",  # a trigram repeated within the key counts once
    "xi",  # shorter than a trigram: its own one gram
    "ci",
    "overt ignition",  # three of sovereignty's nine trigrams: under half
]
# what finds nothing: typos with every trigram asked for, and what no key has
NOTHING = {("zzz", True), ("zzz", False), ("ty", True), ("ty", False), ("aaaaaa", True), ("soverignty", True)}
NOTHING |= {("prosperty", True)}
QUERIES = ["sovereignty", "soverignty", "vereign", "prosperty", "aaa", "aaaaaa", "xi", "party lin", "zzz", "ty"]


@pytest.fixture
def glosses(session: Session) -> None:
    for i, gloss in enumerate(GLOSSES):
        make_term(session, f"测试{'甲乙丙丁戊己庚辛壬癸'[i]}", gloss)


def _expected(session: Session, query: str, exact_all: bool) -> dict[int, int]:
    """What search_grams postings gave before migration 0015: each whole translation's count of
    the query's distinct grams, all of them and the query itself for the substring tier."""
    wanted = grams(query)
    need = len(wanted) if exact_all else max(1, len(wanted) // 2)
    keys = dict(session.execute(sa.select(SearchKey.id, SearchKey.key).where(*WHOLE)).all())
    shared = {key_id: len(grams(key) & wanted) for key_id, key in keys.items()}
    return {k: n for k, n in shared.items() if n >= need and (query in keys[k] or not exact_all)}


@pytest.mark.parametrize("exact_all", [True, False])
@pytest.mark.parametrize("query", QUERIES)
def test_shared_trigrams_are_counted_as_grams_counts_them(session, glosses, query: str, exact_all: bool) -> None:
    matches = translation_matches(session, query, exact_all)
    found = dict(session.execute(sa.select(matches.c.key_id, matches.c.shared)).all())
    assert found == _expected(session, query, exact_all)
    assert bool(found) == ((query, exact_all) not in NOTHING)


def test_no_translation_grams_are_stored_rows(session, glosses) -> None:
    fields = set(session.scalars(sa.select(SearchGram.field).distinct()))
    assert fields == {"form", "pinyin"}


@pytest.mark.parametrize(("q", "how"), [("overeign", "substring"), ("soverignty", "fuzzy")])
def test_edits_and_deletions_keep_the_index_in_step(session, glosses, q: str, how: str) -> None:
    assert ("ceshi-jia", how) in [(h.term.slug, h.how) for h in Searcher(session).search(q)]
    term = get_term(session, "ceshi-jia")
    data = {
        "simplified": term.simplified,
        "translations": [{"lang": "en", "text": "cyber power", "status": "preferred"}],
    }
    save_term(session, TermInput(data, "tests", term=term))
    session.commit()
    assert "ceshi-jia" not in [h.term.slug for h in Searcher(session).search(q)]
    assert [h.how for h in Searcher(session).search("ber pow")] == ["substring"]
    delete_term(session, get_term(session, "ceshi-yi"), "tests")  # data sovereignty
    session.commit()
    assert "ceshi-yi" not in [h.term.slug for h in Searcher(session).search(q)]
    assert [h.how for h in Searcher(session).search("ber pow")] == ["substring"]
    if session.get_bind().dialect.name == "sqlite":  # the FTS5 table holds exactly the whole translations
        indexed = session.execute(sa.text("SELECT rowid, key FROM search_key_trigrams")).all()
        assert sorted(indexed) == sorted(session.execute(sa.select(SearchKey.id, SearchKey.key).where(*WHOLE)).all())


def test_the_lookups_use_the_index(session, glosses) -> None:
    if session.get_bind().dialect.name == "sqlite":
        return  # the FTS5 table is the index: nothing else could answer MATCH
    session.execute(sa.text("SET enable_seqscan = off"))
    for exact_all in (True, False):
        matches = translation_matches(session, "sovereignty", exact_all)
        compiled = sa.select(matches.c.key_id).compile(session.get_bind())
        plan = " ".join(str(r) for r in session.connection().exec_driver_sql(f"EXPLAIN {compiled}", compiled.params))
        assert "ix_search_keys_trigrams" in plan, plan


def test_0015_moves_the_translation_grams_and_back(scratch_engine: sa.Engine) -> None:
    """Up: the translations' search_grams rows go and the trigram index holds them; down: the
    rows come back exactly as index.insert_keys wrote them before 0015."""
    engine = scratch_engine
    migrate.upgrade(engine)
    with Session(engine) as session:
        save_glosses(session, [("网络主权", "cyber sovereignty"), ("共同富裕", "common prosperity"), ("习", "xi")])
        keys = session.execute(sa.select(SearchKey.id, SearchKey.key).where(*WHOLE))
        translation_grams = {("translation", g, key_id) for key_id, key in keys for g in grams(key)}
        others = set(session.execute(sa.select(SearchGram.field, SearchGram.gram, SearchGram.key_id)))
    cfg = migrate.alembic_config(engine)
    command.downgrade(cfg, "0014")
    with engine.connect() as conn:
        rows = set(conn.execute(sa.text("SELECT field, gram, key_id FROM search_grams")))
    assert rows == others | translation_grams and ("translation", "xi", _key_of(engine, "xi")) in rows
    command.upgrade(cfg, "head")
    with Session(engine) as session:
        assert set(session.execute(sa.select(SearchGram.field, SearchGram.gram, SearchGram.key_id))) == others
        assert [h.how for h in Searcher(session).search("soverignty")] == ["fuzzy"]
        assert [h.how for h in Searcher(session).search("prosper")] == ["word-prefix"]
        assert [h.how for h in Searcher(session).search("mon prosp")] == ["substring"]


def _key_of(engine: sa.Engine, key: str) -> int:
    with Session(engine) as session:
        return session.scalars(sa.select(SearchKey.id).where(*WHOLE, SearchKey.key == key)).one()

"""The search index has no foreign keys since migration 0016 (checking them was a fifth of a
bulk import on PostgreSQL): triggers must delete a deleted term's keys and a deleted key's
n-grams, whether one term goes or many in one statement, and the migration must go up and down
keeping every row and the full-text tables' triggers."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from helpers import make_term, save_glosses
from sqlalchemy.orm import Session

from glossary.models import SearchGram, SearchKey, Term
from glossary.services import migrate
from glossary.services.search import Searcher
from glossary.services.terms import TermInput, delete_term, get_term, save_term

ORPHAN_KEYS = "SELECT count(*) FROM search_keys WHERE term_id NOT IN (SELECT id FROM terms)"
ORPHAN_GRAMS = "SELECT count(*) FROM search_grams WHERE key_id NOT IN (SELECT id FROM search_keys)"


def _orphans(session: Session) -> tuple[int, int]:
    return session.scalar(sa.text(ORPHAN_KEYS)), session.scalar(sa.text(ORPHAN_GRAMS))


def _index_of(session: Session, term_id: int) -> tuple[int, int]:
    keys = sa.select(SearchKey.id).where(SearchKey.term_id == term_id)
    grams = sa.select(sa.func.count()).select_from(SearchGram).where(SearchGram.key_id.in_(keys))
    return session.scalar(sa.select(sa.func.count()).select_from(keys.subquery())), session.scalar(grams)


def test_a_deleted_or_edited_term_leaves_no_index_rows(session: Session) -> None:
    kept = make_term(session, "数据主权", "data sovereignty")
    gone = make_term(session, "网络主权", "cyber sovereignty")
    session.commit()
    before = _index_of(session, kept.id)
    assert before[0] > 0 and before[1] > 0 and _index_of(session, gone.id)[1] > 0
    gloss = {"lang": "en", "text": "internet sovereignty", "status": "preferred"}
    data = {"simplified": "网络主权", "translations": [gloss]}
    save_term(session, TermInput(data, "tests", term=get_term(session, "wangluo-zhuquan")))  # keys replaced
    session.commit()
    assert _orphans(session) == (0, 0)
    gone_id = gone.id
    delete_term(session, get_term(session, "wangluo-zhuquan"), "tests")
    session.commit()
    assert _index_of(session, gone_id) == (0, 0)
    assert _orphans(session) == (0, 0)
    assert _index_of(session, kept.id) == before
    assert [h.term.slug for h in Searcher(session).search("sovereignty")] == ["shuju-zhuquan"]


def test_many_terms_deleted_in_one_statement_take_their_index_with_them(session: Session) -> None:
    for i, gloss in enumerate(["one party", "two parties", "three parties", "four parties"]):
        make_term(session, f"测试{'甲乙丙丁'[i]}", gloss)
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(SearchGram)) > 0
    session.execute(sa.delete(Term).where(Term.simplified.in_(["测试甲", "测试乙", "测试丙"])))
    session.commit()
    assert _orphans(session) == (0, 0)
    left = session.scalars(sa.select(SearchKey.value).where(SearchKey.field == "translation", SearchKey.offset == 0))
    assert list(left) == ["four parties"]


def _foreign_keys(engine: sa.Engine) -> dict[str, list[str]]:
    inspector = sa.inspect(engine)
    return {t: [fk["referred_table"] for fk in inspector.get_foreign_keys(t)] for t in ("search_keys", "search_grams")}


def _index_rows(engine: sa.Engine) -> tuple[set, set]:
    with engine.connect() as conn:
        keys = set(conn.execute(sa.text('SELECT id, term_id, field, key, value, "offset" FROM search_keys')))
        grams = set(conn.execute(sa.text("SELECT field, gram, key_id FROM search_grams")))
    return keys, grams


def test_0016_goes_down_and_up_keeping_every_row_and_trigger(scratch_engine: sa.Engine) -> None:
    engine = scratch_engine
    migrate.upgrade(engine)
    with Session(engine) as session:
        save_glosses(session, [("网络主权", "cyber sovereignty"), ("共同富裕", "common prosperity")])
    rows = _index_rows(engine)
    assert rows[0] and rows[1] and _foreign_keys(engine) == {"search_keys": [], "search_grams": []}
    cfg = migrate.alembic_config(engine)
    command.downgrade(cfg, "0015")
    assert _foreign_keys(engine) == {"search_keys": ["terms"], "search_grams": ["search_keys"]}
    assert _index_rows(engine) == rows
    command.upgrade(cfg, "head")
    assert _foreign_keys(engine) == {"search_keys": [], "search_grams": []}
    assert _index_rows(engine) == rows
    with Session(engine) as session:  # the full-text tables' triggers came through both rebuilds
        gloss = {"lang": "en", "text": "internet rule", "status": "preferred"}
        data = {"simplified": "网络主权", "translations": [gloss]}
        save_term(session, TermInput(data, "t", term=get_term(session, "wangluo-zhuquan")))
        session.commit()
        assert [h.how for h in Searcher(session).search("ernet ru")] == ["substring"]
        assert [h.term.slug for h in Searcher(session).search("internet rules")] == ["wangluo-zhuquan"]
        delete_term(session, get_term(session, "gongtong-fuyu"), "t")
        session.commit()
        assert _orphans(session) == (0, 0)
        assert not Searcher(session).search("prosperity")

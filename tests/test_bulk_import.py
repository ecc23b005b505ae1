"""The bulk import path (services/bulk) against the per-term path every other write takes: the
same database content, row for row, and still all or nothing, naming the entry and field."""

from __future__ import annotations

import itertools
import json
import sys
import threading
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from glossary.formats import Reading
from glossary.models import Document, Term
from glossary.services import corpus_index, corpus_queue, interchange
from glossary.services.corpus import Metadata, import_upload
from glossary.services.errors import Invalid
from glossary.services.terms import TermInput, begin_write, record, save_term, set_relations

# characters whose traditional forms differ (国 國, 发 發, 东 東 …) and ones that do not
CHARS = "国发东长马学人山水中大民文化经济安全网络强"
N = 2000


def synthetic(n: int = N) -> dict[str, Any]:
    """n terms of three characters each, with everything an entry can carry: curated forms,
    derived names (no pinyin or slug on some), sources, relations forward and back, drafts."""
    sources = [{"id": f"src-{k}", "title": f"Source {k}"} for k in range(5)]
    words = ("".join(c) for c in itertools.product(CHARS, repeat=3))
    terms = []
    for i, word in zip(range(n), words, strict=False):
        src = f"src-{i % 5}"
        term: dict[str, Any] = {
            "simplified": word,
            "kind": ("concept", "formulation", "institution")[i % 3],
            "status": "draft" if i % 7 == 0 else "published",
            "translations": [
                {"lang": "en", "text": f"policy number {i}", "status": "preferred", "source": src},
                {"lang": "de", "text": f"Politik {i}", "status": "alternative"},
            ],
            "definitions": [{"lang": "en", "text": f"What {word} means.", "source": src}],
            "excerpts": [{"source": src, "text": f"坚持{word}。", "locator": f"p. {i}"}],
            "tags": ["bulk", f"group-{i % 4}"],
        }
        if i % 3:
            term["pinyin"] = f"ci {i}"
            term["slug"] = f"term-{i}"
        if i % 5 == 0:
            term["forms"] = [{"text": f"{word}论", "tag": "zh-Hans", "type": "full"}]
        if i % 11 == 1 and i + 2 < n:
            term["related"] = [{"slug": f"term-{i + 2 if (i + 2) % 3 else i + 4}", "type": "related"}]
        if i % 13 == 2:
            term["first_use"] = {"date": "2012", "source": src}
        terms.append(term)
    return {"format": "glossary/1", "sources": sources, "terms": terms}


def per_term(session: Session, doc: dict[str, Any]) -> None:
    """The per-term path: each entry saved by save_term, as one API write saves it, then
    relations once every term exists and a revision each, as the import did before bulk."""
    interchange._import_sources(session, doc["sources"], interchange.ImportReport(), overwrite=True)
    saved = []
    for i, data in enumerate(doc["terms"]):
        change = TermInput(data, "tests", None, prefix=f"terms[{i}]", with_relations=False, bump=False)
        saved.append((i, save_term(session, change), data))
    for i, term, data in saved:
        set_relations(session, term, data.get("related", []), f"terms[{i}]")
        record(session, term, "tests", "create")
    session.flush()
    # save_term queues the corpus re-index for after commit (services/corpus_queue); do here, in
    # this transaction, what the drain will do, so the index can be compared with the bulk path's
    corpus_index.reindex_documents(session, set(session.scalars(sa.select(Document.id))))


QUERIES = {
    "terms": "SELECT slug, kind, simplified, traditional, pinyin, status, note, annotation_policy, policy_note,"
    " first_use_date, first_use_source_id, first_use_basis, version FROM terms",
    "forms": "SELECT t.slug, f.text, f.tag, f.origin, f.type, f.note FROM surface_forms f"
    " JOIN terms t ON t.id = f.term_id",
    "translations": "SELECT t.slug, x.lang, x.text, x.status, x.source_id, x.note FROM translations x"
    " JOIN terms t ON t.id = x.term_id",
    "definitions": "SELECT t.slug, x.lang, x.text, x.source_id FROM definitions x JOIN terms t ON t.id = x.term_id",
    "excerpts": "SELECT t.slug, x.source_id, x.text, x.locator FROM excerpts x JOIN terms t ON t.id = x.term_id",
    "tags": "SELECT t.slug, x.tag FROM term_tags x JOIN terms t ON t.id = x.term_id",
    "relations": "SELECT a.slug, b.slug, r.type FROM relations r JOIN terms a ON a.id = r.term_id"
    " JOIN terms b ON b.id = r.target_id",
    "revisions": "SELECT slug, number, action, actor, snapshot, comment FROM revisions",
    "search keys": 'SELECT t.slug, k.field, k.lang, k.status, k.key, k.value, k."offset" FROM search_keys k'
    " JOIN terms t ON t.id = k.term_id",
    "search grams": 'SELECT t.slug, k.key, k."offset", g.field, g.gram FROM search_grams g'
    " JOIN search_keys k ON k.id = g.key_id JOIN terms t ON t.id = k.term_id",
    "occurrences": 'SELECT t.slug, o.document_id, o.start, o."end", o.surface, o.confidence, o.nested'
    " FROM occurrences o JOIN terms t ON t.id = o.term_id",
    "counts": "SELECT t.slug, c.document_id, c.occurrences FROM term_document_counts c"
    " JOIN terms t ON t.id = c.term_id",
}


def content(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row an import writes, by what it means (slugs, not ids), sorted."""
    return {name: sorted(map(tuple, session.execute(sa.text(q)))) for name, q in QUERIES.items()}


@pytest.fixture
def corpus(session: Session) -> None:
    """Two corpus documents holding some of the synthetic terms, so the corpus index is written."""
    words = ["".join(c) for c in itertools.islice(itertools.product(CHARS, repeat=3), 0, N, 97)]
    for n, chunk in enumerate((words[: len(words) // 2], words[len(words) // 2 :]), start=1):
        meta = Metadata(file=f"d{n}.txt", date="2022-10-16", kind="congress-report", title=f"文件{n}")
        import_upload(session, meta, "，".join(f"坚持{w}" for w in chunk).encode())
    session.commit()


def test_the_bulk_path_writes_what_the_per_term_path_writes(session: Session, corpus: None) -> None:
    doc = synthetic()
    begin_write(session)
    per_term(session, json.loads(json.dumps(doc)))
    expected = content(session)
    session.rollback()
    begin_write(session)
    report = interchange.import_document(session, json.loads(json.dumps(doc)), "tests")
    session.commit()
    assert corpus_queue.queued(session) == 1  # one request for every new term, not one each
    corpus_queue.drain(session)  # what the drain after the import's commit does
    bulk = content(session)
    assert len(report.created) == N
    assert len(bulk["terms"]) == N and len(bulk["relations"]) > 100 and len(bulk["occurrences"]) > 10
    assert {r[2] for r in bulk["revisions"]} == {"create"}
    for name in QUERIES:
        assert bulk[name] == expected[name], name


def test_new_terms_commit_before_the_corpus_index_and_say_pending_until_drained(session: Session, corpus: None) -> None:
    doc = synthetic(200)
    in_corpus, not_in_it = doc["terms"][97]["simplified"], doc["terms"][1]["simplified"]  # see corpus()
    interchange.import_reading(session, Reading(doc), "tests")
    found = session.scalars(sa.select(Term).where(Term.simplified == in_corpus)).one()
    elsewhere = session.scalars(sa.select(Term).where(Term.simplified == not_in_it)).one()
    assert content(session)["occurrences"] == []
    assert corpus_queue.pending(session, found) and corpus_queue.pending(session, elsewhere)
    done = corpus_queue.drain(session)
    assert done.requests == 1 and done.documents >= 1
    assert not corpus_queue.pending(session, found)
    counts = content(session)["counts"]
    assert [n for slug, _, n in counts if slug == found.slug] == [1]
    assert not any(slug == elsewhere.slug for slug, *_ in counts)


@pytest.mark.parametrize(
    ("entry", "field", "bad", "message"),
    [
        (
            1500,
            "translations[0].source",
            {"translations": [{"lang": "en", "text": "x", "status": "preferred", "source": "nowhere"}]},
            "unknown source 'nowhere'",
        ),
        (1234, "simplified", {"simplified": "网络主\u202e权"}, "bidirectional control"),
        (
            1777,
            "related[0].slug",
            {"related": [{"slug": "no-such-term", "type": "related"}]},
            "no term with slug 'no-such-term'",
        ),
    ],
)
def test_a_bad_entry_in_the_middle_imports_nothing_and_is_named(
    session: Session, entry: int, field: str, bad: dict[str, Any], message: str
) -> None:
    doc = synthetic()
    doc["terms"][entry] |= bad
    where = [f"entry {i + 1}" for i in range(N)]  # as a reader names entries in its file
    before = content(session)
    with pytest.raises(Invalid) as caught:
        interchange.import_reading(session, Reading(doc, where=where), "tests")
    assert str(caught.value).startswith(f"entry {entry + 1}, {field}: ")
    assert message in str(caught.value)
    assert content(session) == before
    assert session.scalar(sa.select(sa.func.count()).select_from(sa.table("sources"))) == 0


def test_a_form_two_entries_share_is_refused_naming_the_second(session: Session) -> None:
    doc = synthetic(50)
    doc["terms"][40]["forms"] = [{"text": doc["terms"][3]["simplified"], "tag": "zh-Hans"}]
    with pytest.raises(Invalid, match=r"^terms\[40\]\.forms: '.+' is a form of 'guo-guo-zhang'$"):
        interchange.import_reading(session, Reading(doc), "tests")
    assert content(session)["terms"] == []


def test_a_document_a_reader_validated_is_not_validated_again_and_one_made_by_hand_is(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """formats.read marks its Reading validated (every reader checks what it returns), so the
    import skips a second check (5 s of CPU at 50,000 terms); a Reading made otherwise is checked."""
    from glossary import formats

    doc = synthetic(20)
    reading = formats.read("json", json.dumps(doc).encode())
    assert reading.validated
    checked: list[int] = []
    real = interchange.validate_document
    monkeypatch.setattr(interchange, "validate_document", lambda d: checked.append(len(d["terms"])) or real(d))
    interchange.import_reading(session, reading, "tests")
    assert checked == [] and len(content(session)["terms"]) == 20
    bad = synthetic(3)
    bad["terms"][1]["kind"] = "not-a-kind"
    with pytest.raises(Invalid, match=r"^terms\[1\]\.kind: "):
        interchange.import_reading(session, Reading(bad), "tests")
    assert checked == [3]


REFUSE = {
    "sqlite": [
        "CREATE TRIGGER refuse_term BEFORE INSERT ON terms WHEN new.slug = 'term-1502' "
        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_term() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF new.slug = 'term-1502' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN new; END $$",
        "CREATE TRIGGER refuse_term BEFORE INSERT ON terms FOR EACH ROW EXECUTE FUNCTION refuse_term()",
    ],
}


def test_a_batch_the_database_refuses_in_the_writer_thread_imports_nothing(session: Session) -> None:
    """Batches are written by a thread of their own while the next is checked (services/bulk):
    the database refusing a row of the second batch while the main thread checks the third must
    still fail the whole import, leave nothing written, and leave no writer thread behind."""
    dialect = session.get_bind().dialect.name
    connection = session.connection()
    for sql in REFUSE[dialect]:
        connection.exec_driver_sql(sql)
    session.commit()
    try:
        before = content(session)
        doc = synthetic(2600)
        with pytest.raises(session.get_bind().dialect.dbapi.Error, match="refused by the test"):  # the driver's
            interchange.import_reading(session, Reading(doc), "tests")
        assert content(session) == before
        assert not [t for t in threading.enumerate() if t.name.startswith("import-writer")]
        doc = synthetic(2600)  # the import consumed it; the same without the refused slug
        doc["terms"][1502]["slug"] = "term-1502b"
        report, _ = interchange.import_reading(session, Reading(doc), "tests")
        assert len(report.created) == 2600
    finally:
        session.rollback()
        session.execute(sa.text("DROP TRIGGER refuse_term" + (" ON terms" if dialect == "postgresql" else "")))
        if dialect == "postgresql":
            session.execute(sa.text("DROP FUNCTION refuse_term()"))
        session.commit()


def test_imports_at_once_in_one_process_give_back_the_switch_interval_there_was(session: Session) -> None:
    """A bulk import offers the GIL every SWITCH_INTERVAL (its writer thread's round trips wait
    for it); two imports running at once in one process (two API requests in one worker) must
    still leave the interval that was there before either began, whichever ends first."""
    from glossary.services import fastinsert

    before = sys.getswitchinterval()
    assert before != fastinsert.SWITCH_INTERVAL
    with fastinsert.Writer("one"):
        with fastinsert.Writer("two"):
            assert sys.getswitchinterval() == fastinsert.SWITCH_INTERVAL
        assert sys.getswitchinterval() == fastinsert.SWITCH_INTERVAL  # the other import still runs
    assert sys.getswitchinterval() == before
    interchange.import_reading(session, Reading(synthetic(30)), "tests")
    assert sys.getswitchinterval() == before

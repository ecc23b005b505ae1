"""Index freshness out of the edit's transaction: an edit queues its re-index durably, the figures
say "pending" until a drain (web worker thread, request end, CLI end, start-up, --pending) does it."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from corpus_helpers import filler, write_corpus
from helpers import make_term, term_doc

from glossary import create_app
from glossary.models import Occurrence, ReindexRequest, Term
from glossary.reindexer import reindexer_of
from glossary.services import corpus, corpus_index, corpus_queue
from glossary.services.terms import delete_term, get_term

DOCS = [
    {"file": "r1954.txt", "date": "1954-09-23", "kind": "government-work-report",
     "text": "坚持总体国家安全观。" + filler(1, 985) + "国家安全。"},
    {"file": "s2014.txt", "date": "2014-04-15", "kind": "speech", "text": "維護國家安全。" + filler(3, 993)},
    {"file": "l2014.txt", "date": "2014", "kind": "law", "text": "保障自主权和国家主权。" + filler(4, 989)},
]  # fmt: skip
NOTE = "Being brought up to date"


@pytest.fixture
def loaded(session, tmp_path):
    for simplified, gloss in [("国家安全", "national security"), ("总体国家安全观", "holistic security"),
                              ("主权", "sovereignty")]:  # fmt: skip
        make_term(session, simplified, gloss)
    assert corpus.import_directory(session, write_corpus(tmp_path / "c", DOCS)).documents == 3
    return session


def _stored(session) -> set[tuple]:
    session.rollback()  # a fresh snapshot: the requests' drains committed in other sessions
    query = sa.select(Term.slug, Occurrence.document_id, Occurrence.start, Occurrence.end, Occurrence.nested)
    return set(session.execute(query.join(Term, Term.id == Occurrence.term_id)).all())


def _reindexed(session) -> set[tuple]:
    corpus_index.reindex_all(session)
    return _stored(session)


def _queued(session) -> int:
    session.rollback()
    return corpus_queue.queued(session)


def _add_form(client, token: str, slug: str, form: str):
    """PUT the term with one more form, through the API as an editor would."""
    current = client.get(f"/api/v1/terms/{slug}")
    body = {k: v for k, v in current.get_json().items() if k not in ("updated", "links", "surface_forms")}
    body["forms"] = [*body.get("forms", []), {"text": form, "tag": "zh-Hans"}]
    headers = {"Authorization": f"Bearer {token}", "If-Match": current.headers["ETag"]}
    response = client.put(f"/api/v1/terms/{slug}", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response


def _slug(session, simplified: str) -> str:
    return session.scalar(sa.select(Term.slug).where(Term.simplified == simplified))


def test_an_edit_returns_before_its_reindex_and_reads_say_pending_until_a_drain(loaded, make_app, write_token) -> None:
    session = loaded
    client = make_app(CORPUS_REINDEX="off").test_client()
    slug = _slug(session, "主权")
    before = _stored(session)
    _add_form(client, write_token, slug, "维护")  # 維護 in the 2014 speech
    assert _queued(session) == 1
    assert _stored(session) == before  # the edit committed; its re-index has not run
    attested = client.get(f"/api/v1/terms/{slug}/attestations")
    assert attested.get_json()["pending"] is True and attested.headers["Cache-Control"] == "public, max-age=0"
    assert NOTE in client.get(f"/terms/{slug}").get_data(as_text=True)
    assert client.get(f"/api/v1/terms/{_slug(session, '国家安全')}/attestations").get_json()["pending"] is False

    done = corpus_queue.drain(session)
    assert (done.requests, done.documents) == (1, 2)  # the law (主权) and the speech (維護), not the 1954 report
    after = _stored(session)
    assert (slug, 2, 0, 2, False) in after and after == _reindexed(session)
    assert client.get(f"/api/v1/terms/{slug}/attestations").get_json()["pending"] is False
    assert NOTE not in client.get(f"/terms/{slug}").get_data(as_text=True)
    assert corpus_queue.drain(session).requests == 0  # nothing left: a second drain does nothing


def test_a_crash_between_commit_and_drain_is_recovered_by_the_next_process_start(loaded, make_app, write_token) -> None:
    session = loaded
    _add_form(make_app(CORPUS_REINDEX="off").test_client(), write_token, _slug(session, "主权"), "维护")
    assert _queued(session) == 1  # the process "dies" here: its request is committed, undrained
    restarted = make_app()  # inline: its first request drains what was left
    assert restarted.test_client().get("/api/v1/health").status_code in (200, 503)
    assert _queued(session) == 0
    assert _stored(session) == _reindexed(session)


def test_a_web_worker_drains_in_a_background_thread_after_the_commit(loaded, make_app, write_token) -> None:
    session = loaded
    app = make_app(CORPUS_REINDEX="background")
    client = app.test_client()
    try:
        slug = _slug(session, "主权")
        _add_form(client, write_token, slug, "维护")
        deadline = time.monotonic() + 60
        while _queued(session) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _queued(session) == 0, "the worker's drain thread did not empty the queue within 60 s"
    finally:
        reindexer_of(app).stop()
    assert (slug, 2, 0, 2, False) in _stored(session)
    assert _stored(session) == _reindexed(session)


def test_a_deletion_is_queued_and_its_documents_re_read_by_the_drain(loaded) -> None:
    session = loaded
    security = get_term(session, _slug(session, "国家安全"))
    delete_term(session, security, "tests")
    session.commit()
    assert _queued(session) == 1
    assert corpus_queue.drain(session).documents == 2
    assert _stored(session) == _reindexed(session)


def test_edits_that_cannot_change_the_index_queue_nothing(session, loaded) -> None:
    make_term(session, "网络主权", "cyber sovereignty", status="draft")  # a draft is not counted
    sovereignty = get_term(session, _slug(session, "主权"))
    from glossary.services.representation import term_to_dict
    from glossary.services.terms import TermInput, save_term

    save_term(session, TermInput({**term_to_dict(sovereignty), "note": "a note"}, "tests", sovereignty))
    session.commit()
    assert _queued(session) == 0


def test_reindex_pending_and_a_cli_command_that_edits_drain_at_its_end(loaded, tmp_path: Path) -> None:
    from glossary.cli import cli
    from glossary.cli.corpus import corpus_group

    session = loaded
    runner = CliRunner()
    path = tmp_path / "new.json"
    path.write_text(json.dumps(term_doc({"simplified": "自主权", "translations": [
        {"lang": "en", "text": "autonomy", "status": "preferred"}]})), "utf-8")  # fmt: skip
    imported = runner.invoke(cli, ["import", str(path)])
    assert imported.exit_code == 0, imported.output
    assert _queued(session) == 0  # drained when the command ended
    assert (_slug(session, "自主权"), 3, 2, 5, False) in _stored(session)

    session.add(ReindexRequest(term_id=None, keys=[], document_ids=[1, 3]))  # as a crashed process left it
    session.commit()
    result = runner.invoke(corpus_group, ["reindex", "--pending"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 queued edit(s): 2 documents re-read, ")
    assert _queued(session) == 0 and _stored(session) == _reindexed(session)
    both = runner.invoke(corpus_group, ["reindex", "--pending", "--workers", "2"])
    assert both.exit_code == 2 and "--pending re-reads a few documents in this process" in both.output


REFUSE = {
    "sqlite": [
        "CREATE TRIGGER refuse_occurrence BEFORE INSERT ON occurrences WHEN new.document_id = 2 "
        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_occurrence() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF new.document_id = 2 THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN new; END $$",
        "CREATE TRIGGER refuse_occurrence BEFORE INSERT ON occurrences FOR EACH ROW "
        "EXECUTE FUNCTION refuse_occurrence()",
    ],
}


def test_a_drain_whose_occurrences_the_database_refuses_changes_nothing(loaded) -> None:
    """On PostgreSQL a document's occurrences are stored by a thread of their own while the next
    document is annotated: the database refusing the second document's must still fail the
    whole drain, leave every occurrence as it was and the request queued, and leave no thread."""
    session = loaded
    dialect = session.get_bind().dialect.name
    before = _stored(session)
    for sql in REFUSE[dialect]:
        session.connection().exec_driver_sql(sql)
    session.add(ReindexRequest(term_id=None, keys=[], document_ids=[1, 2, 3]))
    session.commit()
    try:
        with pytest.raises(session.get_bind().dialect.dbapi.Error, match="refused by the test"):
            corpus_queue.drain(session)
        session.rollback()
        assert _stored(session) == before and _queued(session) == 1
        assert not [t for t in threading.enumerate() if t.name.startswith("corpus-writer")]
    finally:
        session.rollback()
        session.execute(
            sa.text("DROP TRIGGER refuse_occurrence" + (" ON occurrences" if dialect == "postgresql" else ""))
        )
        if dialect == "postgresql":
            session.execute(sa.text("DROP FUNCTION refuse_occurrence()"))
        session.commit()
    assert corpus_queue.drain(session).documents == 3
    assert _stored(session) == _reindexed(session)


def test_a_full_reindex_does_what_was_queued(loaded) -> None:
    session = loaded
    session.add(ReindexRequest(term_id=None, keys=["主权"], document_ids=[]))
    session.commit()
    corpus_index.reindex_all(session)
    assert _queued(session) == 0


def test_an_unknown_drain_mode_is_refused_with_its_name(instance, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLOSSARY_CORPUS_REINDEX", "later")
    with pytest.raises(ValueError, match="GLOSSARY_CORPUS_REINDEX must be one of background, inline, off, got 'later'"):
        create_app()
    monkeypatch.delenv("GLOSSARY_CORPUS_REINDEX")
    with pytest.raises(ValueError, match="CORPUS_REINDEX must be one of background, inline, off, got 'soon'"):
        create_app({"CORPUS_REINDEX": "soon"})

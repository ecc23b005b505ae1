"""A write in one worker never makes reads in another wait for the annotator's rebuild: they get
the previous annotator until the new one, built in a background thread, is swapped in. The
writing worker rebuilds at once, so a writer sees its own write. Two apps on one database stand
for two gunicorn workers."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from helpers import make_term

from glossary.extensions import db
from glossary.models import AnnotationChange, GlossaryState, Term
from glossary.services import annotation
from glossary.services.annotation import AnnotatorCache
from glossary.services.terms import delete_term
from glossary.services.version import annotation_version

TEXT = "坚持共同富裕，维护网络主权"


def slugs(client) -> list[str]:
    return [m["slug"] for m in client.post("/api/v1/annotate", json={"text": TEXT}).get_json()["matches"]]


@pytest.fixture
def workers(app, make_app, session):
    make_term(session, "网络主权", "cyber sovereignty")
    reader_app = make_app()
    writer, reader = app.test_client(), reader_app.test_client()
    assert slugs(writer) == slugs(reader) == ["wangluo-zhuquan"]  # both built their first annotator
    return app, writer, reader_app, reader


def test_another_worker_serves_the_previous_annotator_until_the_new_one_is_ready(workers, write_token) -> None:
    app, writer, reader_app, reader = workers
    r = writer.post(
        "/api/v1/terms", json={"simplified": "共同富裕"}, headers={"Authorization": f"Bearer {write_token}"}
    )
    assert r.status_code == 201
    assert slugs(writer) == ["gongtong-fuyu", "wangluo-zhuquan"]  # the writer sees its own write at once
    cache: AnnotatorCache = reader_app.extensions["glossary.annotator"]
    assert slugs(reader) == ["wangluo-zhuquan"]  # served at once from the previous annotator
    cache.wait(timeout=60)
    assert slugs(reader) == ["gongtong-fuyu", "wangluo-zhuquan"]  # swapped in when ready


def test_reads_do_not_wait_while_a_rebuild_runs(workers, monkeypatch) -> None:
    """Hold the rebuild's query on a gate the test controls: reads in the reader keep answering
    meanwhile, from the annotator they had."""
    app, _, reader_app, reader = workers
    with app.app_context():
        make_term(db.session, "共同富裕", "common prosperity")
    cache: AnnotatorCache = reader_app.extensions["glossary.annotator"]
    gate = threading.Event()
    real_entries = annotation.entries_by_id

    def gated_entries(session, **kwargs):
        if threading.current_thread().name == "annotator":
            assert gate.wait(60), "the test never opened the gate"
        return real_entries(session, **kwargs)

    monkeypatch.setattr(annotation, "entries_by_id", gated_entries)
    try:
        for _ in range(5):  # each answers while the rebuild is held
            assert slugs(reader) == ["wangluo-zhuquan"]
        assert cache._thread is not None and cache._thread.is_alive()
    finally:
        gate.set()
    cache.wait(timeout=60)
    assert slugs(reader) == ["gongtong-fuyu", "wangluo-zhuquan"]


def test_a_write_that_rolls_back_does_not_force_a_rebuild(app, client, session) -> None:
    make_term(session, "网络主权", "cyber sovereignty")
    assert slugs(client) == ["wangluo-zhuquan"]
    cache: AnnotatorCache = app.extensions["glossary.annotator"]
    with app.app_context():
        make_term(db.session, "共同富裕", "common prosperity", commit=False)
        db.session.rollback()
    assert cache._written == 0


def test_a_restored_database_whose_annotation_version_is_lower_is_served(workers) -> None:
    """Restoring a database backup (sqlite3 .restore, pg_restore) while serving lowers the
    annotation version below what the workers built for. The reader must rebuild for the
    restored glossary and swap it in, not keep the newer annotator (and rebuild on every
    request) because its version number is higher."""
    app, _, reader_app, reader = workers
    cache: AnnotatorCache = reader_app.extensions["glossary.annotator"]
    with app.app_context():
        backed_up = annotation_version(db.session)
        term_id = make_term(db.session, "共同富裕", "common prosperity").id
    slugs(reader)
    cache.wait(timeout=60)
    assert slugs(reader) == ["gongtong-fuyu", "wangluo-zhuquan"]
    with app.app_context():  # the restore: the glossary, its version and change log as backed up
        delete_term(db.session, db.session.get_one(Term, term_id), "test")
        db.session.execute(sa.update(GlossaryState).values(annotation_version=backed_up))
        db.session.execute(sa.delete(AnnotationChange).where(AnnotationChange.version > backed_up))
        db.session.commit()
    slugs(reader)  # answered from the annotator it had; the rebuild starts
    cache.wait(timeout=60)
    assert slugs(reader) == ["wangluo-zhuquan"]
    builds = cache.builds
    for _ in range(3):
        slugs(reader)
        cache.wait(timeout=60)
    assert cache.builds == builds  # settled: no rebuild per request

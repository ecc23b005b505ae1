"""The API's per-process cache of trends answers: a kept answer is served while the glossary
version and the corpus generation are unchanged, and never after a change of either — an
import, a removal, a re-index (queued or whole), a term edit or deletion — made here or by
another process (the test's own session writes as another process would: the app hears of
nothing but what it reads from the database). Runs on PostgreSQL too (GLOSSARY_TEST_DATABASE_URL)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from corpus_helpers import filler, write_corpus
from helpers import make_term

from glossary.models import CorpusState, Document, Term, TermYearCount
from glossary.services import corpus, corpus_index, corpus_queue
from glossary.services.representation import term_to_dict
from glossary.services.terms import TermInput, delete_term, get_term, save_term
from glossary.services.version import figure_versions

DOCS = [
    {"file": "s2014.txt", "date": "2014-04-15", "kind": "speech", "text": "国家安全。国家安全。" + filler(1, 990)},
    {"file": "l2015.txt", "date": "2015-07-01", "kind": "law", "text": "维护国家的安全。" + filler(2, 992)},
]


@pytest.fixture
def loaded(session, tmp_path):
    make_term(session, "国家安全", "national security")
    make_term(session, "主权", "sovereignty")
    report = corpus.import_directory(session, write_corpus(tmp_path / "c", DOCS))
    assert report.errors == [] and report.documents == 2
    return session


def _slug(session, simplified: str) -> str:
    return session.scalar(sa.select(Term.slug).where(Term.simplified == simplified))


def _points(client, slug: str, query: str = "") -> list[tuple[int, int]]:
    response = client.get(f"/api/v1/trends?terms={slug}{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return [(p["year"], p["occurrences"]) for p in response.get_json()["series"][0]["points"]]


def _add_form(session, slug: str, form: str) -> None:
    """A term edit committed as any writer commits it: the glossary version raised, the re-index queued."""
    data = term_to_dict(get_term(session, slug))
    data["forms"] = [*data.get("forms", []), {"text": form, "tag": "zh-Hans"}]
    save_term(session, TermInput(data, "tests", get_term(session, slug)))
    session.commit()


def test_an_answer_is_kept_until_the_versions_move(app, client, loaded) -> None:
    """The second request is the kept one: the aggregates tampered with behind the versions' back
    (as no writer of the service does) do not show, and an If-None-Match gets a 304; raising the
    corpus generation alone makes the next request read them."""
    security = _slug(loaded, "国家安全")
    first = client.get(f"/api/v1/trends?terms={security}")
    assert first.status_code == 200 and len(app.extensions["glossary.trends_cache"]) == 1
    loaded.execute(sa.update(TermYearCount).values(occurrences=TermYearCount.occurrences + 100))
    loaded.commit()
    again = client.get(f"/api/v1/trends?terms={security}")
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    revalidated = client.get(f"/api/v1/trends?terms={security}", headers={"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304
    loaded.execute(sa.update(CorpusState).values(generation=CorpusState.generation + 1))
    loaded.commit()
    assert _points(client, security) == [(2014, 102), (2015, 0)]  # 2015 has no row to raise


def test_every_refresh_of_the_aggregates_raises_the_corpus_generation(loaded, tmp_path) -> None:
    before = figure_versions(loaded)
    assert before[1] > 0  # the import raised it
    corpus_index.reindex_all(loaded, 1)
    assert figure_versions(loaded) == (before[0], before[1] + 1)


def test_an_import_or_a_removal_is_seen_at_once(client, loaded, tmp_path) -> None:
    security = _slug(loaded, "国家安全")
    assert _points(client, security) == [(2014, 2), (2015, 0)]
    new = [{"file": "r2016.txt", "date": "2016-03-05", "kind": "government-work-report",
            "text": "国家安全。" + filler(3, 995)}]  # fmt: skip
    assert corpus.import_directory(loaded, write_corpus(tmp_path / "more", new)).documents == 1
    assert _points(client, security) == [(2014, 2), (2015, 0), (2016, 1)]
    speech = loaded.scalar(sa.select(Document.id).where(Document.file == "s2014.txt"))
    corpus.remove_document(loaded, speech)
    assert _points(client, security) == [(2015, 0), (2016, 1)]


@pytest.mark.parametrize("reindex", ["queued", "whole"])
def test_a_reindex_after_an_edit_is_seen_though_the_glossary_version_did_not_move(client, loaded, reindex) -> None:
    """The edit commits first and is read before its re-index runs: the answer kept then (new
    glossary version, old counts) must not outlive the re-index, which raises only the generation."""
    security = _slug(loaded, "国家安全")
    assert _points(client, security) == [(2014, 2), (2015, 0)]  # (the app's first request drains what is queued)
    _add_form(loaded, security, "国家的安全")
    assert _points(client, security) == [(2014, 2), (2015, 0)]  # read between the edit and its re-index
    version = figure_versions(loaded)[0]
    if reindex == "queued":
        assert corpus_queue.drain(loaded).requests == 1
    else:
        corpus_index.reindex_all(loaded, 1)
    assert figure_versions(loaded)[0] == version
    assert _points(client, security) == [(2014, 2), (2015, 1)]


def test_an_edit_through_the_api_is_seen_in_its_own_process(client, loaded, write_token) -> None:
    auth = {"Authorization": f"Bearer {write_token}"}
    security = _slug(loaded, "国家安全")
    assert _points(client, security) == [(2014, 2), (2015, 0)]
    got = client.get(f"/api/v1/terms/{security}")
    body = got.get_json()
    body["forms"] = [*body.get("forms", []), {"text": "国家的安全", "tag": "zh-Hans"}]
    put = client.put(f"/api/v1/terms/{security}", json=body, headers=auth | {"If-Match": got.headers["ETag"]})
    assert put.status_code == 200, put.get_data(as_text=True)
    assert _points(client, security) == [(2014, 2), (2015, 1)]  # the inline re-index ran after the PUT


def test_a_deleted_or_unpublished_term_is_refused_after_its_answer_was_kept(client, loaded) -> None:
    security, sovereignty = _slug(loaded, "国家安全"), _slug(loaded, "主权")
    assert client.get(f"/api/v1/trends?terms={security},{sovereignty}").status_code == 200
    data = term_to_dict(get_term(loaded, sovereignty)) | {"status": "draft"}
    save_term(loaded, TermInput(data, "tests", get_term(loaded, sovereignty)))
    loaded.commit()
    gone = client.get(f"/api/v1/trends?terms={security},{sovereignty}")
    assert gone.status_code == 422 and f"no term {sovereignty!r}" in gone.get_json()["detail"]
    assert client.get(f"/api/v1/trends?terms={security}").status_code == 200
    delete_term(loaded, get_term(loaded, security), "tests")
    loaded.commit()
    gone = client.get(f"/api/v1/trends?terms={security}")
    assert gone.status_code == 422 and f"no term {security!r}" in gone.get_json()["detail"]


def test_answers_are_kept_apart_by_query_and_by_who_may_see_drafts(client, loaded, write_token) -> None:
    """A draft's answer kept for an editor is not handed to an anonymous caller; a repeated slug
    past the limit is still refused though the single slug's answer is kept; each parameter and
    the CSV are answers of their own."""
    draft = make_term(loaded, "网络主权", "cyber sovereignty", status="draft").slug
    security = _slug(loaded, "国家安全")
    editor = client.get(f"/api/v1/trends?terms={draft}", headers={"Authorization": f"Bearer {write_token}"})
    assert editor.status_code == 200 and editor.headers["Cache-Control"] == "private, no-store"
    anonymous = client.get(f"/api/v1/trends?terms={draft}")
    assert anonymous.status_code == 422 and f"no term {draft!r}" in anonymous.get_json()["detail"]
    assert _points(client, security) == [(2014, 2), (2015, 0)]
    nine = client.get(f"/api/v1/trends?terms={','.join([security] * 9)}")
    assert nine.status_code == 422 and "is the 9th" in nine.get_json()["detail"]
    assert _points(client, security, "&kind=law") == [(2015, 0)]
    assert _points(client, security, "&from=2015") == [(2015, 0)]
    share = client.get(f"/api/v1/trends?terms={security}&measure=documents").get_json()
    assert [p["value"] for p in share["series"][0]["points"]] == [1.0, 0.0]
    table = client.get(f"/api/v1/trends?terms={security}&format=csv")
    assert table.mimetype == "text/csv" and table.get_data(as_text=True).startswith("term,year,value")
    again = client.get(f"/api/v1/trends?terms={security}&format=csv", headers={"If-None-Match": table.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == table.headers["ETag"]


def test_the_cache_is_off_with_the_term_cache(make_app, loaded, db_url, monkeypatch) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    off = make_app(TERM_CACHE_BYTES=0)
    assert off.test_client().get(f"/api/v1/trends?terms={_slug(loaded, '国家安全')}").status_code == 200
    assert len(off.extensions["glossary.trends_cache"]) == 0

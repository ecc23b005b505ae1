"""API v1 /changes: what a mirror needs to stay in step, and nothing it must not see."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from conftest import PG_URL
from helpers import make_term
from test_api_terms import assert_problem


def changed(client, since: str, **headers: str) -> list[tuple[str, str]]:
    r = client.get("/api/v1/changes", query_string={"since": since}, headers=headers)
    assert r.status_code == 200, r.get_data(as_text=True)
    return [(i["slug"], i["change"]) for i in r.get_json()["items"]]


@pytest.mark.parametrize("since", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
def test_since_without_a_utc_equivalent_is_a_bad_request(client, since: str) -> None:
    body = assert_problem(client.get("/api/v1/changes", query_string={"since": since}), 400, "since")
    assert body["errors"] == [{"path": "since", "message": "out of range"}]


def test_since_in_another_zone_is_compared_in_utc(client, session) -> None:
    at = make_term(session, "网络主权", "cyber sovereignty").updated.astimezone(timezone(timedelta(hours=8)))
    assert changed(client, (at - timedelta(seconds=1)).isoformat()) == [("wangluo-zhuquan", "added")]
    assert changed(client, (at + timedelta(seconds=1)).isoformat()) == []


def test_anonymous_clients_see_changes_to_published_terms_only(client, session, write_token) -> None:
    since = "2000-01-01T00:00:00Z"
    writer = {"Authorization": f"Bearer {write_token}"}
    make_term(session, "网络主权", "cyber sovereignty")
    make_term(session, "草稿", "a draft", status="draft")
    make_term(session, "废稿", "a draft thrown away", status="draft")
    assert changed(client, since) == [("wangluo-zhuquan", "added")]
    assert sorted(changed(client, since, **writer)) == [
        ("caogao", "added"),
        ("fei-gao", "added"),
        ("wangluo-zhuquan", "added"),
    ]

    def write(method: str, slug: str, **kwargs: object) -> None:
        etag = client.get(f"/api/v1/terms/{slug}", headers=writer).headers["ETag"]
        r = getattr(client, method)(f"/api/v1/terms/{slug}", headers={**writer, "If-Match": etag}, **kwargs)
        assert r.status_code in (200, 204), r.get_data(as_text=True)

    write("patch", "caogao", json={"status": "published"})
    write("patch", "wangluo-zhuquan", json={"status": "draft"})
    write("delete", "fei-gao")
    assert sorted(changed(client, since)) == [("caogao", "added"), ("wangluo-zhuquan", "deleted")]
    assert sorted(changed(client, since, **writer)) == [
        ("caogao", "added"),
        ("fei-gao", "deleted"),
        ("wangluo-zhuquan", "added"),
    ]


def test_deleting_a_term_is_a_change_of_every_term_related_to_it(client, session, write_token) -> None:
    writer = {"Authorization": f"Bearer {write_token}"}
    make_term(session, "人类命运共同体", "community with a shared future for mankind")
    make_term(
        session,
        "网络空间命运共同体",
        "community with a shared future in cyberspace",
        related=[{"slug": "renlei-mingyun-gongtongti", "type": "narrower"}],
    )
    narrower = "wangluo-kongjian-mingyun-gongtongti"
    before = client.get(f"/api/v1/terms/{narrower}")
    assert before.get_json()["related"] == [{"slug": "renlei-mingyun-gongtongti", "type": "narrower"}]
    make_term(session, "共同富裕", "common prosperity")
    cursor = client.get("/api/v1/changes", query_string={"since": "2000-01-01"}).get_json()["until"]
    etag = client.get("/api/v1/terms/renlei-mingyun-gongtongti").headers["ETag"]
    r = client.delete("/api/v1/terms/renlei-mingyun-gongtongti", headers={**writer, "If-Match": etag})
    assert r.status_code == 204

    after = client.get(f"/api/v1/terms/{narrower}", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "related" not in after.get_json()
    assert after.headers["ETag"] != before.headers["ETag"]
    revisions = client.get(f"/api/v1/terms/{narrower}/revisions").get_json()["items"]
    assert revisions[0]["action"] == "update"
    assert (
        revisions[0]["comment"]
        == "relation to renlei-mingyun-gongtongti removed: renlei-mingyun-gongtongti was deleted"
    )
    assert dict(changed(client, cursor)) == {
        "gongtong-fuyu": "added",  # at the cursor itself: since is inclusive
        narrower: "changed",
        "renlei-mingyun-gongtongti": "deleted",
    }


def test_the_cursor_is_the_latest_revision_read_so_a_late_commit_is_not_skipped(client, session) -> None:
    from glossary.models import Revision

    first = make_term(session, "网络主权", "cyber sovereignty")
    reply = client.get("/api/v1/changes", query_string={"since": "2000-01-01T00:00:00Z"}).get_json()
    assert reply["until"] == first.updated.isoformat() == reply["items"][-1]["at"]
    # a write stamped just after the latest revision read, committing only after that reply
    late = first.updated + timedelta(microseconds=1)
    session.add(Revision(slug="wangluo-zhuquan", number=2, action="update", actor="t", snapshot=None, created=late))
    session.commit()
    nxt = client.get("/api/v1/changes", query_string={"since": reply["until"]}).get_json()
    assert [(i["slug"], i["revision"]) for i in nxt["items"]] == [("wangluo-zhuquan", 2)]
    assert nxt["until"] == late.isoformat()


def test_with_nothing_new_the_cursor_stays_where_it_was(client, session) -> None:
    reply = client.get("/api/v1/changes", query_string={"since": "2030-01-01T00:00:00Z"}).get_json()
    assert reply["items"] == [] and reply["until"] == "2030-01-01T00:00:00+00:00"


def test_an_import_that_replaces_the_glossary_reports_the_terms_it_removed(client, session, write_token) -> None:
    from glossary.services.interchange import load

    def doc(*simplified: str) -> dict:
        return {"format": "glossary/1", "terms": [{"simplified": s, "slug": slug} for s, slug in simplified]}

    load(session, doc(("网络主权", "wangluo-zhuquan"), ("共同富裕", "gongtong-fuyu")), "test")
    session.commit()
    until = client.get("/api/v1/changes", query_string={"since": "2000-01-01T00:00:00Z"}).get_json()["until"]
    cursor = (datetime.fromisoformat(until) + timedelta(microseconds=1)).isoformat()  # past the first import
    report = load(
        session,
        doc(("共同富裕", "gongtong-fuyu"), ("人类命运共同体", "renlei-mingyun-gongtongti")),
        "test",
        replace=True,
    )
    session.commit()
    assert report.deleted == 2
    assert sorted(changed(client, cursor)) == [
        ("gongtong-fuyu", "changed"),
        ("renlei-mingyun-gongtongti", "added"),
        ("wangluo-zhuquan", "deleted"),  # a mirror learns it is gone
    ]
    history = client.get("/api/v1/terms/wangluo-zhuquan/revisions", headers={"Authorization": f"Bearer {write_token}"})
    latest = history.get_json()["items"][0]
    assert (latest["number"], latest["action"]) == (2, "delete")
    assert latest["comment"] == "deleted by an import that replaced the glossary"


@pytest.mark.skipif(not PG_URL, reason="needs a PostgreSQL server (GLOSSARY_TEST_DATABASE_URL)")
def test_a_writer_on_a_host_whose_clock_is_behind_is_not_skipped_by_a_cursor(
    client, session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Application hosts' clocks disagree; writes are stamped with the database's clock, so a
    write that commits after a reader's cursor is never stamped before it."""
    from glossary.models import utcnow

    make_term(session, "网络主权", "cyber sovereignty")
    cursor = client.get("/api/v1/changes", query_string={"since": "2000-01-01T00:00:00Z"}).get_json()["until"]
    monkeypatch.setattr("glossary.services.terms.utcnow", lambda: utcnow() - timedelta(hours=1))
    make_term(session, "共同富裕", "common prosperity")  # written from the slow host, after the cursor
    assert ("gongtong-fuyu", "added") in changed(client, cursor)

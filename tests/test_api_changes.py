"""API v1 /changes: what a mirror needs to stay in step, and nothing it must not see."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest
from helpers import make_term
from test_api_terms import assert_problem


def changed(client, since: str, **headers: str) -> list[tuple[str, str]]:  # noqa: ANN001
    r = client.get("/api/v1/changes", query_string={"since": since}, headers=headers)
    assert r.status_code == 200, r.get_data(as_text=True)
    return [(i["slug"], i["change"]) for i in r.get_json()["items"]]


@pytest.mark.parametrize("since", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
def test_since_without_a_utc_equivalent_is_a_bad_request(client, since: str) -> None:  # noqa: ANN001
    body = assert_problem(client.get("/api/v1/changes", query_string={"since": since}), 400, "since")
    assert body["errors"] == [{"path": "since", "message": "out of range"}]


def test_since_in_another_zone_is_compared_in_utc(client, session) -> None:  # noqa: ANN001
    at = make_term(session, "网络主权", "cyber sovereignty").updated.astimezone(timezone(timedelta(hours=8)))
    assert changed(client, (at - timedelta(seconds=1)).isoformat()) == [("wangluo-zhuquan", "added")]
    assert changed(client, (at + timedelta(seconds=1)).isoformat()) == []


def test_anonymous_clients_see_changes_to_published_terms_only(client, session, write_token) -> None:  # noqa: ANN001
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

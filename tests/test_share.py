"""Sharing an annotated text: a signed-in editor (annotate page) or a token holder (API) saves it,
anyone with the URL reads it as it was saved, and an anonymous annotate stores nothing."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from helpers import make_term

from glossary.models import SharedAnnotation
from glossary.services.auth import create_user

TEXT = "我们要坚持网络主权。"


@pytest.fixture
def terms(session) -> None:
    make_term(session, "网络主权", "cyber sovereignty")


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def sign_in(client, session) -> None:
    create_user(session, "editor", "a long enough password")
    session.commit()
    form = {"csrf_token": csrf(client.get("/login").get_data(as_text=True)), "name": "editor"}
    assert client.post("/login", data=form | {"password": "a long enough password"}).status_code == 303


def saved(session) -> int:
    session.rollback()  # a fresh snapshot: the requests commit in their own sessions
    return session.scalar(sa.select(sa.func.count()).select_from(SharedAnnotation))


def annotate(client, **fields: str):
    token = csrf(client.get("/annotate").get_data(as_text=True))
    return client.post("/annotate", data={"csrf_token": token, "text": TEXT, **fields})


def test_anonymous_annotating_stores_nothing_and_offers_no_share(client, session, terms) -> None:
    assert annotate(client, action="annotate").status_code == 200
    assert client.post("/api/v1/annotate", json={"text": TEXT}).status_code == 200
    assert 'value="share"' not in client.get("/annotate").get_data(as_text=True)
    r = annotate(client, action="share")
    assert r.status_code == 403 and "Only a signed-in editor can save and share" in r.get_data(as_text=True)
    assert saved(session) == 0


def test_an_editor_saves_and_anyone_reads_it_frozen(app, client, session, terms) -> None:
    sign_in(client, session)
    assert 'value="share"' in client.get("/annotate").get_data(as_text=True)
    r = annotate(client, action="share")
    assert r.status_code == 303
    url = r.headers["Location"]
    assert re.fullmatch(r"/a/[\w-]{22}", url)
    assert saved(session) == 1
    row = session.scalars(sa.select(SharedAnnotation)).one()
    assert (row.creator, row.text, row.title) == ("editor", TEXT, TEXT)

    reader = app.test_client()  # another visitor, not signed in
    page = reader.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["X-Robots-Tag"] == "noindex"
    assert 'href="/terms/wangluo-zhuquan"' in html and "cyber sovereignty" in html
    assert f'against glossary version\n<span id="shared-version">{row.glossary_version}</span>' in html
    assert "The glossary has changed since" not in html

    make_term(session, "治理体系", "governance system")  # the glossary moves on; the shared text does not
    html = reader.get(url).get_data(as_text=True)
    assert f"The glossary has changed since (now version {row.glossary_version + 1})" in html
    assert 'href="/terms/wangluo-zhuquan"' in html
    assert reader.get(url.replace("/a/", "/a/x")).status_code == 404


def test_an_editor_cannot_share_more_than_the_limit(make_app, db_url, monkeypatch, session, terms) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    client = make_app(SHARE_MAX_CHARS=5).test_client()
    sign_in(client, session)
    r = annotate(client, action="share")
    assert r.status_code == 413
    assert "A shared text may have at most 5 characters; this one has 10." in r.get_data(as_text=True)
    assert saved(session) == 0


def test_a_token_holder_saves_through_the_api(client, session, terms, read_token) -> None:
    headers = {"Authorization": f"Bearer {read_token}"}
    r = client.post("/api/v1/annotations", json={"text": TEXT, "title": "On sovereignty"}, headers=headers)
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert r.headers["Location"] == body["url"] == f"/a/{body['id']}"
    assert (body["title"], body["creator"], body["chars"]) == ("On sovereignty", "token:reader", len(TEXT))
    assert body["terms"] == [
        {
            "slug": "wangluo-zhuquan",
            "simplified": "网络主权",
            "pinyin": "wǎngluò zhǔquán",
            "gloss": "cyber sovereignty",
            "count": 1,
            "low": 0,
        }
    ]
    again = client.get(f"/api/v1/annotations/{body['id']}")
    assert again.status_code == 200 and again.get_json() == body
    assert client.get(body["url"]).status_code == 200


@pytest.mark.parametrize(
    ("headers", "payload", "status", "detail"),
    [
        ({}, {"text": TEXT}, 401, "saving a shared annotation needs a bearer token"),
        ({"Authorization": "Bearer nonsense"}, {"text": TEXT}, 401, "the bearer token is not valid"),
        (None, {"text": "  "}, 422, "text is empty: there is nothing to share"),
        (None, {"text": TEXT, "title": "x" * 201}, 422, "title has 201 characters; the limit is 200"),
        (None, {"text": 5}, 400, "text: must be a string"),
        (None, {"text": TEXT, "colour": "red"}, 400, "colour: unknown field"),
        (None, ["a list"], 400, "the body must be a JSON object with a text field"),
    ],
)
def test_api_share_errors_name_the_problem_and_store_nothing(
    client, session, read_token, headers, payload, status: int, detail: str
) -> None:
    headers = {"Authorization": f"Bearer {read_token}"} if headers is None else headers
    r = client.post("/api/v1/annotations", json=payload, headers=headers)
    assert r.status_code == status and r.get_json()["detail"].startswith(detail)
    assert saved(session) == 0


def test_api_share_refuses_a_text_over_the_limit(make_app, db_url, monkeypatch, session) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    app = make_app(SHARE_MAX_CHARS=5)
    from glossary.extensions import db
    from glossary.services.auth import create_token

    with app.app_context():
        _, token = create_token(db.session, "t", "read")
        db.session.commit()
    r = app.test_client().post("/api/v1/annotations", json={"text": TEXT}, headers={"Authorization": f"Bearer {token}"})
    assert (
        r.status_code == 413
        and r.get_json()["detail"] == "a shared text may have at most 5 characters; this one has 10"
    )
    assert saved(session) == 0


def test_an_unknown_shared_id_is_404_in_the_api(client) -> None:
    r = client.get("/api/v1/annotations/nope")
    assert r.status_code == 404 and r.get_json()["detail"] == "no shared annotation 'nope'"

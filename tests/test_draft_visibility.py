"""Drafts stay invisible to anonymous readers everywhere, relations included: a published term
related to a draft must not name it in the API (term, list, revisions, changes, export) or on the
web (term page, history, revision page). A write token or a signed-in editor still sees them."""

from __future__ import annotations

import json
import re

import pytest
from helpers import make_term

from glossary.extensions import db
from glossary.services import terms as term_service
from glossary.services.representation import term_to_dict

SECRET = "mimi-caogao"  # the draft's slug: must not appear anywhere an anonymous reader looks


@pytest.fixture
def leaky(session) -> None:
    make_term(session, "秘密草稿", "secret draft", slug=SECRET, status="draft")
    make_term(session, "网络主权", "cyber sovereignty", related=[{"slug": SECRET, "type": "related"}])
    make_term(session, "网络强国", "cyberpower")
    # a draft that is deleted leaves a revision comment on the terms related to it
    make_term(session, "另一草稿", "another draft", slug="ling-yi-caogao", status="draft")
    term = make_term(session, "共同富裕", "common prosperity", related=[{"slug": "ling-yi-caogao", "type": "related"}])
    draft = term_service.get_term(session, "ling-yi-caogao")
    term_service.delete_term(session, draft, "tests")
    session.commit()
    assert term.slug == "gongtong-fuyu"


def _anon_pages(client) -> dict[str, str]:
    urls = [
        "/api/v1/terms/wangluo-zhuquan",
        "/api/v1/terms/网络主权",
        "/api/v1/terms",
        "/api/v1/terms?per_page=100",
        "/api/v1/terms/wangluo-zhuquan/revisions",
        "/api/v1/terms/wangluo-zhuquan/revisions/1",
        "/api/v1/terms/gongtong-fuyu/revisions/1",
        "/api/v1/terms/gongtong-fuyu/revisions/2",
        "/api/v1/terms/gongtong-fuyu/revisions",
        "/api/v1/changes?since=2000-01-01T00:00:00Z",
        "/api/v1/export",
        "/terms/wangluo-zhuquan",
        "/terms/wangluo-zhuquan/history",
        "/terms/wangluo-zhuquan/revisions/1",
        "/terms/gongtong-fuyu/history",
        "/terms/gongtong-fuyu/revisions/1",
        "/terms/gongtong-fuyu/revisions/2",
    ]
    out = {}
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        out[url] = r.get_data(as_text=True)
    return out


def test_anonymous_readers_never_see_a_draft_named(client, leaky) -> None:
    for url, body in _anon_pages(client).items():
        for secret in (SECRET, "秘密草稿", "ling-yi-caogao", "另一草稿"):
            assert secret not in body and json.dumps(secret)[1:-1] not in body, (url, secret)
    # the published term itself is still there, with its other fields
    body = client.get("/api/v1/terms/wangluo-zhuquan").get_json()
    assert "related" not in body and body["translations"][0]["text"] == "cyber sovereignty"


def test_a_write_token_still_sees_the_relation(client, leaky, write_token) -> None:
    headers = {"Authorization": f"Bearer {write_token}"}
    body = client.get("/api/v1/terms/wangluo-zhuquan", headers=headers).get_json()
    assert body["related"] == [{"slug": SECRET, "type": "related"}]
    rev = client.get("/api/v1/terms/wangluo-zhuquan/revisions/1", headers=headers).get_json()
    assert rev["term"]["related"] == [{"slug": SECRET, "type": "related"}]
    listed = client.get("/api/v1/terms?per_page=100", headers=headers).get_json()["items"]
    assert any(r["slug"] == SECRET for t in listed for r in t.get("related", []))
    comment = client.get("/api/v1/terms/gongtong-fuyu/revisions/2", headers=headers).get_json()["comment"]
    assert comment == "relation to a draft removed: the draft was deleted"  # stored for everyone alike


def test_a_signed_in_editor_still_sees_the_relation(app, client, leaky) -> None:
    from glossary.services.auth import create_user

    with app.app_context():
        create_user(db.session, "editor", "a long enough password")
        db.session.commit()
    login = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
    form = {"csrf_token": csrf, "name": "editor", "password": "a long enough password"}
    assert client.post("/login", data=form).status_code == 303
    assert SECRET in client.get("/terms/wangluo-zhuquan/revisions/1").get_data(as_text=True)
    assert "秘密草稿" in client.get("/terms/wangluo-zhuquan").get_data(as_text=True)


def test_a_relation_to_a_term_made_draft_later_disappears(client, session, leaky) -> None:
    link = [{"slug": "wangluo-qiangguo", "type": "related"}]
    make_term(session, "数字中国", "digital China", slug="shuzi-zhongguo", related=link)
    assert client.get("/api/v1/terms/shuzi-zhongguo").get_json()["related"] == [
        {"slug": "wangluo-qiangguo", "type": "related"}
    ]
    target = term_service.get_term(session, "wangluo-qiangguo")
    term_service.save_term(session, term_service.TermInput(term_to_dict(target) | {"status": "draft"}, "tests", target))
    session.commit()
    assert "related" not in client.get("/api/v1/terms/shuzi-zhongguo").get_json()
    snap = client.get("/api/v1/terms/shuzi-zhongguo/revisions/1").get_json()["term"]
    assert snap["simplified"] == "数字中国" and "related" not in snap

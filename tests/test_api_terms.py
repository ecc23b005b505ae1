"""API v1 terms: reads, writes with tokens and ETags, revisions, changes, problem+json errors."""

from __future__ import annotations

import json

import pytest
from helpers import make_source, make_term

PROBLEM = "application/problem+json"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def terms(session) -> None:
    make_source(session)
    make_term(
        session,
        "网络主权",
        "cyber sovereignty",
        tags=["cyber"],
        forms=[{"text": "網路主權", "tag": "zh-TW"}],
        kind="concept",
    )
    make_term(session, "共同富裕", "common prosperity", tags=["economy"], kind="concept")
    make_term(session, "一国两制", "one country, two systems", tags=["taiwan-hk"], kind="policy")
    make_term(session, "草稿", "draft term", status="draft")


def assert_problem(response, status: int, text: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["type"] and body["detail"]
    if text:
        assert text in json.dumps(body, ensure_ascii=False), body
    return body


def test_list_terms_paginates_with_links(client, terms) -> None:
    r = client.get("/api/v1/terms?per_page=2")
    body = r.get_json()
    assert r.status_code == 200
    assert body["total"] == 3  # the draft is not public
    assert [t["slug"] for t in body["items"]] == ["gongtong-fuyu", "wangluo-zhuquan"]
    assert body["links"]["prev"] is None
    page2 = client.get(body["links"]["next"]).get_json()
    assert [t["slug"] for t in page2["items"]] == ["yi-guo-liang-zhi"]
    assert page2["links"]["next"] is None and page2["links"]["prev"]


def test_list_filters_and_sort(client, terms) -> None:
    assert [t["slug"] for t in client.get("/api/v1/terms?kind=policy").get_json()["items"]] == ["yi-guo-liang-zhi"]
    assert [t["slug"] for t in client.get("/api/v1/terms?tag=cyber").get_json()["items"]] == ["wangluo-zhuquan"]
    slugs = [t["slug"] for t in client.get("/api/v1/terms?sort=-slug").get_json()["items"]]
    assert slugs == sorted(slugs, reverse=True)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("page=x", "page"),
        ("page=99999999999", "page"),
        ("kind=thing", "kind"),
        ("sort=random", "sort"),
        ("status=secret", "status"),
    ],
)
def test_list_rejects_bad_parameters(client, terms, query: str, field: str) -> None:
    body = assert_problem(client.get(f"/api/v1/terms?{query}"), 400, field)
    assert body["errors"][0]["path"] == field


@pytest.mark.parametrize(
    ("url", "detail", "error"),
    [
        (
            "/api/v1/terms?page=x",
            "page must be a whole number, got 'x'",
            {"path": "page", "message": "not a whole number"},
        ),
        (
            "/api/v1/terms?per_page=0",
            "per_page must be between 1 and 100, got 0",
            {"path": "per_page", "message": "out of range 1–100"},
        ),
        (
            "/api/v1/terms?status=secret",
            "status must be one of draft, published; got 'secret'",
            {"path": "status", "message": "not an allowed value"},
        ),
        (
            "/api/v1/search?q=x&limit=1.5",
            "limit must be a whole number, got '1.5'",
            {"path": "limit", "message": "not a whole number"},
        ),
        ("/api/v1/search", "q is required", {"path": "q", "message": "required"}),
        (
            "/api/v1/changes",
            "since is required (ISO 8601, e.g. 2024-01-01T00:00:00Z)",
            {"path": "since", "message": "required"},
        ),
        (
            "/api/v1/changes?since=soon",
            "since must be an ISO 8601 date or time, got 'soon'",
            {"path": "since", "message": "not ISO 8601"},
        ),
        (
            "/api/v1/export?format=pdf",
            "format must be one of json, csv, tbx, skos, skos-jsonld",
            {"path": "format", "message": "unknown format"},
        ),
        (
            "/api/v1/sources?page=0",
            "page must be between 1 and 1000000, got 0",
            {"path": "page", "message": "out of range 1–1000000"},
        ),
    ],
)
def test_query_parameter_errors_say_what_was_wrong(client, url: str, detail: str, error: dict) -> None:
    """The schemas answer in the words the hand-written checks used, which clients may match."""
    body = assert_problem(client.get(url), 400)
    assert body["detail"] == detail and body["errors"] == [error]


def test_an_empty_whole_number_means_its_default(client, terms) -> None:
    body = client.get("/api/v1/terms?page=&per_page= 2 ").get_json()
    assert (body["page"], body["per_page"]) == (1, 2)


def test_drafts_need_a_write_token(client, terms, write_token, read_token) -> None:
    assert_problem(client.get("/api/v1/terms?status=draft"), 401)
    assert_problem(client.get("/api/v1/terms/cao-gao"), 404)
    assert client.get("/api/v1/terms/cao-gao", headers=auth(read_token)).status_code == 404
    r = client.get("/api/v1/terms?status=draft", headers=auth(write_token))
    assert [t["slug"] for t in r.get_json()["items"]] == ["caogao"]


def test_get_term_by_slug_or_any_form(client, terms) -> None:
    for key in ("wangluo-zhuquan", "网络主权", "網絡主權", "網路主權"):
        r = client.get(f"/api/v1/terms/{key}")
        assert r.status_code == 200, key
        body = r.get_json()
        assert body["slug"] == "wangluo-zhuquan"
    assert body["status"] == "published"
    assert body["links"]["self"] == "/api/v1/terms/wangluo-zhuquan"
    assert body["updated"]
    assert {"text": "網路主權", "tag": "zh-TW", "origin": "curated", "type": "script"} in body["surface_forms"]
    assert body["forms"] == [{"text": "網路主權", "tag": "zh-TW", "type": "script"}]
    assert r.headers["ETag"] and "max-age" in r.headers["Cache-Control"]
    assert_problem(client.get("/api/v1/terms/nothing-here"), 404, "nothing-here")


def test_conditional_get_returns_304(client, terms) -> None:
    r = client.get("/api/v1/terms/wangluo-zhuquan")
    again = client.get("/api/v1/terms/wangluo-zhuquan", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    listing = client.get("/api/v1/terms")
    assert client.get("/api/v1/terms", headers={"If-None-Match": listing.headers["ETag"]}).status_code == 304


def test_create_term(client, terms, write_token) -> None:
    body = {
        "simplified": "全过程人民民主",
        "translations": [{"lang": "en", "text": "whole-process people's democracy", "status": "preferred"}],
        "tags": ["governance"],
    }
    r = client.post("/api/v1/terms", json=body, headers=auth(write_token))
    assert r.status_code == 201, r.get_data(as_text=True)
    assert r.headers["Location"] == "/api/v1/terms/quanguocheng-renmin-minzhu"
    created = r.get_json()
    assert created["traditional"] == "全過程人民民主"
    assert created["pinyin"]
    revs = client.get("/api/v1/terms/quanguocheng-renmin-minzhu/revisions").get_json()
    assert revs["total"] == 1 and revs["items"][0]["action"] == "create" and revs["items"][0]["actor"] == "token:tests"


def test_an_official_rendering_carries_the_passage_that_proves_it(client, terms, write_token) -> None:
    proof = "We will develop whole-process people's democracy."
    text = "whole-process people's democracy"
    rendering = {"lang": "en", "text": text, "status": "official", "source": "test-source"}
    body = {"simplified": "全过程人民民主", "translations": [{**rendering, "excerpt": proof}]}
    r = client.post("/api/v1/terms", json=body, headers=auth(write_token))
    assert r.status_code == 201, r.get_data(as_text=True)
    got = client.get("/api/v1/terms/quanguocheng-renmin-minzhu").get_json()["translations"]
    assert got == [{**rendering, "excerpt": proof}]
    exported = client.get("/api/v1/export?format=json").get_json()
    (term,) = [t for t in exported["terms"] if t["simplified"] == "全过程人民民主"]
    assert term["translations"][0]["excerpt"] == proof


def test_create_conflicts_and_validation(client, terms, write_token) -> None:
    assert_problem(
        client.post("/api/v1/terms", json={"simplified": "网络主权"}, headers=auth(write_token)), 409, "网络主权"
    )
    assert_problem(
        client.post("/api/v1/terms", json={"simplified": "新词", "slug": "gongtong-fuyu"}, headers=auth(write_token)),
        409,
        "gongtong-fuyu",
    )
    body = assert_problem(
        client.post("/api/v1/terms", json={"simplified": "新词", "colour": "red"}, headers=auth(write_token)),
        422,
        "colour",
    )
    assert body["errors"]
    assert_problem(
        client.post("/api/v1/terms", json={"translations": []}, headers=auth(write_token)), 422, "simplified"
    )
    assert_problem(client.post("/api/v1/terms", json={"simplified": 5}, headers=auth(write_token)), 422)
    assert_problem(
        client.post(
            "/api/v1/terms",
            json={"simplified": "新词", "related": [{"slug": "ghost", "type": "related"}]},
            headers=auth(write_token),
        ),
        422,
        "ghost",
    )


def test_writes_need_a_write_token(client, terms, read_token) -> None:
    r = client.post("/api/v1/terms", json={"simplified": "新词"})
    assert_problem(r, 401)
    assert "Bearer" in r.headers["WWW-Authenticate"]
    assert_problem(client.post("/api/v1/terms", json={"simplified": "新词"}, headers=auth("gl_wrong")), 401)
    assert_problem(client.post("/api/v1/terms", json={"simplified": "新词"}, headers={"Authorization": "Basic x"}), 401)
    assert_problem(client.post("/api/v1/terms", json={"simplified": "新词"}, headers=auth(read_token)), 403)
    assert_problem(client.delete("/api/v1/terms/gongtong-fuyu", headers=auth(read_token)), 403)


def test_put_patch_delete_need_if_match(client, terms, write_token) -> None:
    h = auth(write_token)
    assert_problem(client.put("/api/v1/terms/gongtong-fuyu", json={"simplified": "共同富裕"}, headers=h), 428)
    assert_problem(client.patch("/api/v1/terms/gongtong-fuyu", json={"tags": []}, headers=h), 428)
    assert_problem(client.delete("/api/v1/terms/gongtong-fuyu", headers=h), 428)
    stale = {**h, "If-Match": '"gongtong-fuyu-v0"'}
    assert_problem(client.put("/api/v1/terms/gongtong-fuyu", json={"simplified": "共同富裕"}, headers=stale), 412)
    assert_problem(client.put("/api/v1/terms/nope", json={"simplified": "x"}, headers=stale), 404)


def test_put_replaces_and_records_a_revision(client, terms, write_token) -> None:
    etag = client.get("/api/v1/terms/gongtong-fuyu").headers["ETag"]
    new = {
        "simplified": "共同富裕",
        "kind": "policy",
        "translations": [{"lang": "en", "text": "common prosperity for all", "status": "preferred"}],
    }
    r = client.put("/api/v1/terms/gongtong-fuyu", json=new, headers={**auth(write_token), "If-Match": etag})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.headers["ETag"] != etag
    body = r.get_json()
    assert body["kind"] == "policy" and body.get("tags") is None
    revs = client.get("/api/v1/terms/gongtong-fuyu/revisions").get_json()["items"]
    assert [x["number"] for x in revs] == [2, 1]
    first = client.get("/api/v1/terms/gongtong-fuyu/revisions/1").get_json()
    assert first["term"]["tags"] == ["economy"]
    assert_problem(client.get("/api/v1/terms/gongtong-fuyu/revisions/9"), 404)
    assert_problem(
        client.put(
            "/api/v1/terms/gongtong-fuyu",
            json={**new, "slug": "other"},
            headers={**auth(write_token), "If-Match": r.headers["ETag"]},
        ),
        422,
        "slug",
    )


def test_patch_is_json_merge_patch(client, terms, write_token) -> None:
    etag = client.get("/api/v1/terms/wangluo-zhuquan").headers["ETag"]
    patch = {"tags": ["cyber", "sovereignty"], "note": "checked", "forms": None}
    r = client.patch(
        "/api/v1/terms/wangluo-zhuquan",
        data=json.dumps(patch),
        headers={**auth(write_token), "If-Match": etag, "Content-Type": "application/merge-patch+json"},
    )
    assert r.status_code == 200, r.get_data(as_text=True)
    body = r.get_json()
    assert body["tags"] == ["cyber", "sovereignty"] and body["note"] == "checked"
    assert "forms" not in body
    assert body["translations"][0]["text"] == "cyber sovereignty"  # untouched


def test_same_etag_twice_exactly_one_wins(client, terms, write_token) -> None:
    etag = client.get("/api/v1/terms/gongtong-fuyu").headers["ETag"]
    h = {**auth(write_token), "If-Match": etag}
    a = client.patch("/api/v1/terms/gongtong-fuyu", json={"note": "A"}, headers=h)
    b = client.patch("/api/v1/terms/gongtong-fuyu", json={"note": "B"}, headers=h)
    assert sorted([a.status_code, b.status_code]) == [200, 412]
    assert client.get("/api/v1/terms/gongtong-fuyu").get_json()["note"] == "A"


def test_delete_then_changes_feed(client, terms, write_token) -> None:
    since = "2000-01-01T00:00:00Z"
    etag = client.get("/api/v1/terms/yi-guo-liang-zhi").headers["ETag"]
    r = client.delete("/api/v1/terms/yi-guo-liang-zhi", headers={**auth(write_token), "If-Match": etag})
    assert r.status_code == 204
    assert_problem(client.get("/api/v1/terms/yi-guo-liang-zhi"), 404)
    changes = client.get(f"/api/v1/changes?since={since}").get_json()["items"]
    by_slug = {c["slug"]: c["change"] for c in changes}
    assert by_slug["yi-guo-liang-zhi"] == "deleted"
    assert by_slug["wangluo-zhuquan"] == "added"
    latest = max(c["at"] for c in changes)
    again = client.get("/api/v1/changes", query_string={"since": latest}).get_json()
    assert [c["slug"] for c in again["items"]] == ["yi-guo-liang-zhi"]  # since is inclusive
    assert again["until"] == latest
    assert_problem(client.get("/api/v1/changes"), 400, "since")
    assert_problem(client.get("/api/v1/changes?since=yesterday"), 400, "ISO 8601")


def test_sources_and_source_detail(client, session) -> None:
    make_source(session, id="aspi-x", title="China's cyber vision")
    make_term(
        session,
        "网络主权",
        "cyber sovereignty",
        excerpts=[{"source": "aspi-x", "text": "cyber sovereignty (网络主权)"}],
    )
    listing = client.get("/api/v1/sources").get_json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == "aspi-x"
    detail = client.get("/api/v1/sources/aspi-x").get_json()
    assert detail["terms"] == ["wangluo-zhuquan"]
    assert detail["excerpts"][0]["text"] == "cyber sovereignty (网络主权)"
    assert_problem(client.get("/api/v1/sources/none"), 404)


def test_health_and_export(client, terms) -> None:
    health = client.get("/api/v1/health").get_json()
    assert health["status"] == "ok" and health["terms"] == 3
    r = client.get("/api/v1/export?format=json")
    doc = json.loads(r.data)
    assert doc["format"] == "glossary/1" and len(doc["terms"]) == 3
    assert "attachment" in r.headers["Content-Disposition"]
    assert_problem(client.get("/api/v1/export?format=xlsx"), 400, "format")


@pytest.mark.parametrize(
    ("kwargs", "status", "text"),
    [
        ({"data": "{bad", "content_type": "application/json"}, 400, "invalid JSON"),
        ({"data": b"\xff\xfe{}", "content_type": "application/json"}, 400, "UTF-8"),
        ({"data": "simplified=x", "content_type": "application/x-www-form-urlencoded"}, 415, "application/json"),
        ({"data": '["list"]', "content_type": "application/json"}, 400, "JSON object"),
        ({"data": "[" * 100 + "]" * 100, "content_type": "application/json"}, 400, "nested"),
        ({"data": '{"simplified": "a\\u0000b"}', "content_type": "application/json"}, 400, "NUL"),
        ({"data": '{"simplified": "a\\ud800b"}', "content_type": "application/json"}, 400, "surrogate"),
    ],
)
def test_bad_bodies(client, write_token, kwargs: dict, status: int, text: str) -> None:
    assert_problem(client.post("/api/v1/terms", headers=auth(write_token), **kwargs), status, text)


def test_method_not_allowed_and_unknown_paths_are_problems(client) -> None:
    r = client.delete("/api/v1/terms")
    assert_problem(r, 405)
    assert "GET" in r.headers["Allow"]
    assert_problem(client.get("/api/v1/nothing"), 404)


def test_cors_for_reads_not_writes(client, terms, write_token) -> None:
    assert client.get("/api/v1/terms").headers["Access-Control-Allow-Origin"] == "*"
    pre = client.options(
        "/api/v1/annotate", headers={"Origin": "https://x.example", "Access-Control-Request-Method": "POST"}
    )
    assert pre.headers["Access-Control-Allow-Origin"] == "*" and "POST" in pre.headers["Access-Control-Allow-Methods"]
    r = client.post("/api/v1/terms", json={"simplified": "新词"}, headers=auth(write_token))
    assert "Access-Control-Allow-Origin" not in r.headers


def test_anonymous_client_cannot_change_anything(client, terms) -> None:
    before = client.get("/api/v1/export").data
    for method, url in [
        ("post", "/api/v1/terms"),
        ("put", "/api/v1/terms/gongtong-fuyu"),
        ("patch", "/api/v1/terms/gongtong-fuyu"),
        ("delete", "/api/v1/terms/gongtong-fuyu"),
    ]:
        r = getattr(client, method)(url, json={"simplified": "共同富裕", "note": "hacked"}, headers={"If-Match": "*"})
        assert r.status_code == 401, (method, url)
    assert client.get("/api/v1/export").data == before


def test_cached_lookup_reflects_changes_from_another_process(app, make_app, client, terms, write_token) -> None:
    other = make_app().test_client()
    assert client.get("/api/v1/terms/共同富裕").get_json().get("note") is None  # now cached in this process
    etag = other.get("/api/v1/terms/gongtong-fuyu").headers["ETag"]
    r = other.patch(
        "/api/v1/terms/gongtong-fuyu",
        json={"note": "changed elsewhere"},
        headers={**auth(write_token), "If-Match": etag},
    )
    assert r.status_code == 200
    for key in ("共同富裕", "gongtong-fuyu"):
        fresh = client.get(f"/api/v1/terms/{key}")
        assert fresh.get_json()["note"] == "changed elsewhere"
        assert fresh.headers["ETag"] == r.headers["ETag"]


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("translations", [{"lang": "en", "text": "word " * 80 + "w", "status": "preferred"}], "translations[0].text"),
        ("translations", [{"lang": "en-" + "-".join(["abcdefgh"] * 4), "text": "x", "status": "preferred"}], "lang"),
        ("simplified", "网" * 101, "simplified"),
        ("traditional", "網" * 101, "traditional"),
        ("forms", [{"text": "網" * 101, "tag": "zh-TW"}], "forms[0].text"),
        ("pinyin", "wang " * 80 + "w", "pinyin"),
        ("tags", ["a" * 65], "tags[0]"),
    ],
)
def test_overlong_fields_are_422_naming_the_field(client, write_token, field: str, value: object, path: str) -> None:
    body = {"simplified": "新词", field: value}
    problem = assert_problem(client.post("/api/v1/terms", json=body, headers=auth(write_token)), 422, path)
    assert any(e["path"].endswith(path) for e in problem["errors"]), problem
    assert client.get("/api/v1/terms").get_json()["total"] == 0


def test_simplified_whose_derived_pinyin_is_too_long_names_simplified(client, write_token) -> None:
    problem = assert_problem(
        client.post("/api/v1/terms", json={"simplified": "壮" * 100}, headers=auth(write_token)), 422, "pinyin"
    )
    assert problem["errors"][0]["path"] == "term.simplified"
    r = client.post("/api/v1/terms", json={"simplified": "壮" * 100, "pinyin": "zhuàng"}, headers=auth(write_token))
    assert r.status_code == 201, r.get_data(as_text=True)


def test_translation_at_the_length_limit_is_stored_and_found(client, write_token) -> None:
    text = " ".join(f"w{i:02d}x" for i in range(79)) + " tail5"  # 80 words, as long as a translation may be
    assert len(text) == 400
    body = {"simplified": "长译文", "translations": [{"lang": "en", "text": text, "status": "preferred"}]}
    r = client.post("/api/v1/terms", json=body, headers=auth(write_token))
    assert r.status_code == 201, r.get_data(as_text=True)
    for q in ("w00x w01x", "w05x w06x", "w77x w78x tail5"):
        hits = client.get("/api/v1/search", query_string={"q": q}).get_json()["items"]
        assert [h["slug"] for h in hits] == [r.get_json()["slug"]], q
        m = hits[0]["matched"]
        assert m["value"][m["start"] : m["end"]] == q
    longer_key = " ".join(["Straße"] * 57)  # 398 characters whose search key (strasse …) is 455
    body = {"simplified": "街道", "translations": [{"lang": "de", "text": longer_key, "status": "preferred"}]}
    assert client.post("/api/v1/terms", json=body, headers=auth(write_token)).status_code == 201


def test_a_drafts_revisions_are_for_writers_only(client, terms, write_token, read_token) -> None:
    for url in ("/api/v1/terms/caogao/revisions", "/api/v1/terms/caogao/revisions/1"):
        assert_problem(client.get(url), 404)
        assert_problem(client.get(url, headers=auth(read_token)), 404)
        assert client.get(url, headers=auth(write_token)).status_code == 200, url
    assert client.get("/api/v1/terms/gongtong-fuyu/revisions/1").status_code == 200
    etag = client.get("/api/v1/terms/gongtong-fuyu").headers["ETag"]
    client.delete("/api/v1/terms/gongtong-fuyu", headers={**auth(write_token), "If-Match": etag})
    assert_problem(client.get("/api/v1/terms/gongtong-fuyu/revisions/1"), 404)  # as on the web: editors only
    assert client.get("/api/v1/terms/gongtong-fuyu/revisions/2", headers=auth(write_token)).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/terms",
        "/api/v1/terms?status=draft",
        "/api/v1/terms/caogao",
        "/api/v1/terms/caogao/revisions",
        "/api/v1/terms/caogao/revisions/1",
        "/api/v1/search?q=draft",
        "/api/v1/changes?since=2000-01-01",
    ],
)
def test_responses_that_may_hold_drafts_are_never_stored_by_shared_caches(client, terms, write_token, url) -> None:
    r = client.get(url, headers=auth(write_token))
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.headers["Cache-Control"] == "private, no-store"
    assert "Authorization" in r.headers["Vary"]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/terms", "/api/v1/terms/wangluo-zhuquan", "/api/v1/terms/wangluo-zhuquan/revisions", "/api/v1/search?q=x"],
)
def test_anonymous_responses_stay_cacheable_and_vary_with_authorization(client, terms, url) -> None:
    r = client.get(url)
    assert r.headers["Cache-Control"].startswith("public, max-age=")
    assert "Authorization" in r.headers["Vary"]


def test_write_responses_are_private(client, terms, write_token) -> None:
    r = client.post("/api/v1/terms", json={"simplified": "新词", "status": "draft"}, headers=auth(write_token))
    assert r.status_code == 201 and r.headers["Cache-Control"] == "private, no-store"


def _write(client, method: str, slug: str, token: str, body: dict) -> dict:
    etag = client.get(f"/api/v1/terms/{slug}").headers["ETag"]
    r = getattr(client, method)(f"/api/v1/terms/{slug}", json=body, headers={**auth(token), "If-Match": etag})
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def test_patching_simplified_derives_traditional_pinyin_and_forms_again(client, terms, write_token) -> None:
    body = _write(client, "patch", "wangluo-zhuquan", write_token, {"simplified": "网络空间主权"})
    assert (body["simplified"], body["traditional"], body["pinyin"]) == (
        "网络空间主权",
        "網絡空間主權",
        "wǎngluò kōngjiān zhǔquán",
    )
    forms = {(f["text"], f["origin"]) for f in body["surface_forms"]}
    assert ("網絡空間主權", "derived") in forms and ("網路主權", "curated") in forms  # the editors' form is kept
    assert not {text for text, _ in forms} & {"网络主权", "網絡主權"}
    assert client.get("/api/v1/terms/網絡主權").status_code == 404
    assert client.get("/api/v1/terms/網絡空間主權").get_json()["slug"] == "wangluo-zhuquan"


def test_a_patch_that_sets_traditional_or_pinyin_with_simplified_keeps_them(client, terms, write_token) -> None:
    patch = {"simplified": "丁戊己", "pinyin": "dīng wù jǐ"}
    body = _write(client, "patch", "gongtong-fuyu", write_token, patch)
    assert (body["traditional"], body["pinyin"]) == ("丁戊己", "dīng wù jǐ")
    body = _write(client, "patch", "gongtong-fuyu", write_token, {"simplified": "庚辛壬", "traditional": "庚辛壬"})
    assert body["pinyin"] == "gēng xīn rén" and [f["text"] for f in body["surface_forms"]] == ["庚辛壬"]


def test_put_without_traditional_or_pinyin_derives_them(client, terms, write_token) -> None:
    body = _write(client, "put", "gongtong-fuyu", write_token, {"simplified": "庚辛壬"})
    assert (body["traditional"], body["pinyin"]) == ("庚辛壬", "gēng xīn rén")
    assert [f["text"] for f in body["surface_forms"]] == ["庚辛壬"]


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("patch", {"updated": "x", "links": {}, "surface_forms": []}),
        ("patch", {}),
        ("patch", {"tags": ["cyber"], "simplified": "网络主权"}),
        ("put", "current"),
    ],
)
def test_a_write_that_changes_nothing_records_nothing(client, terms, write_token, method: str, body) -> None:
    before = client.get("/api/v1/terms/wangluo-zhuquan")
    if body == "current":
        body = before.get_json()
    r = getattr(client, method)(
        "/api/v1/terms/wangluo-zhuquan", json=body, headers={**auth(write_token), "If-Match": before.headers["ETag"]}
    )
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.headers["ETag"] == before.headers["ETag"]
    assert r.get_json() == before.get_json()
    assert client.get("/api/v1/terms/wangluo-zhuquan/revisions").get_json()["total"] == 1
    feed = client.get("/api/v1/changes?since=2000-01-01").get_json()["items"]
    assert [(c["change"], c["revision"]) for c in feed if c["slug"] == "wangluo-zhuquan"] == [("added", 1)]


def test_revisions_name_the_token_that_wrote_them(client, app, terms) -> None:
    from conftest import _token

    token = _token(app, "newsroom-bot", "write")
    etag = client.get("/api/v1/terms/gongtong-fuyu").headers["ETag"]
    r = client.patch("/api/v1/terms/gongtong-fuyu", json={"note": "checked"}, headers={**auth(token), "If-Match": etag})
    assert r.status_code == 200
    (latest, *_) = client.get("/api/v1/terms/gongtong-fuyu/revisions").get_json()["items"]
    assert latest["actor"] == "token:newsroom-bot"


@pytest.mark.parametrize("url", ["/api/v1/terms/wangluo-zhuquan", "/api/v1/terms", "/api/v1/export"])
def test_if_none_match_compares_weakly_and_star_matches(client, terms, url: str) -> None:
    etag = client.get(url).headers["ETag"]
    for header in (f"W/{etag}", f'"other", W/{etag}', "*"):
        r = client.get(url, headers={"If-None-Match": header})
        assert r.status_code == 304 and r.data == b"", header
    assert client.head(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_api_without_a_trailing_slash_is_a_problem_too(client) -> None:
    r = client.get("/api")
    assert_problem(r, 404)
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_unknown_api_paths_are_open_to_any_origin_like_other_reads(client) -> None:
    r = client.get("/api/v1/nothing", headers={"Origin": "https://x.example"})
    assert_problem(r, 404)
    assert r.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("url", "method", "allowed"),
    [
        ("/api/v1/terms/wangluo-zhuquan", "GET", True),
        ("/api/v1/search", "GET", True),
        ("/api/v1/annotate", "POST", True),
        ("/api/v1/terms", "POST", False),
        ("/api/v1/terms/wangluo-zhuquan", "PUT", False),
        ("/api/v1/terms/wangluo-zhuquan", "PATCH", False),
        ("/api/v1/terms/wangluo-zhuquan", "DELETE", False),
    ],
)
def test_cors_preflight_allows_reads_and_annotate_but_never_writes(client, terms, url, method, allowed) -> None:
    r = client.options(
        url,
        headers={
            "Origin": "https://x.example",
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert r.status_code == 200
    if allowed:
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        assert method in r.headers["Access-Control-Allow-Methods"].split(", ")
        assert "Authorization" not in r.headers["Access-Control-Allow-Headers"]  # tokens stay same-origin
    else:
        assert not any(k.startswith("Access-Control-Allow") for k, _ in r.headers.items()), dict(r.headers)


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ('"gongtong-fuyu-v0", {etag}', 200),
        ('{etag},"gongtong-fuyu-v0"', 200),
        ('"gongtong-fuyu-v0" , {etag} ', 200),
        ('"gongtong-fuyu-v0", "gongtong-fuyu-v9"', 412),
        ("W/{etag}", 412),
        ('"gongtong-fuyu-v0", W/{etag}', 412),
    ],
)
def test_if_match_list_holding_the_current_etag_matches(client, terms, write_token, header, status) -> None:
    """RFC 9110 §13.1.1: If-Match is a list of entity tags, compared strongly (W/ never matches)."""
    etag = client.get("/api/v1/terms/gongtong-fuyu").headers["ETag"]
    r = client.patch(
        "/api/v1/terms/gongtong-fuyu",
        json={"note": "checked"},
        headers={**auth(write_token), "If-Match": header.replace("{etag}", etag)},
    )
    assert r.status_code == status, r.get_data(as_text=True)
    if status == 412:
        assert_problem(r, 412, "has changed")

"""Hostile and bad input: nothing returns 500, every error names what was wrong."""

from __future__ import annotations

import json
import time

import pytest
from helpers import make_term, term_doc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.formats import FormatError
from glossary.formats.glossary1 import parse, validate_document
from glossary.services.errors import ServiceError

SCRIPT = '<script>alert("x")</script>'
SQLISH = "'; DROP TABLE terms; --"


@pytest.fixture
def terms(session) -> None:
    make_term(session, "网络主权", "cyber sovereignty")


def test_two_million_character_single_line(app, terms) -> None:
    text = ("推动构建人类命运共同体，维护网络主权。" * 110_000)[:2_000_000]
    assert "\n" not in text and len(text) == 2_000_000
    started = time.perf_counter()
    r = app.test_client().post("/api/v1/annotate", json={"text": text})
    elapsed = time.perf_counter() - started
    assert r.status_code == 200
    body = r.get_json()
    assert body["chars"] == 2_000_000
    assert body["terms"] == [{"slug": "wangluo-zhuquan", "count": 105_263}]
    assert elapsed < 60


def test_one_hundred_thousand_matches(client, terms) -> None:
    text = "网络主权 " * 100_000
    # format html is capped at GLOSSARY_ANNOTATE_HTML_MAX_CHARS (issue 19): 100,000 matches as offsets
    assert client.post("/api/v1/annotate", json={"text": text, "format": "html"}).status_code == 413
    r = client.post("/api/v1/annotate", json={"text": text})
    assert r.status_code == 200
    body = r.get_json()
    assert len(body["matches"]) == 100_000
    last = body["matches"][-1]
    assert text[last["start"] : last["end"]] == "网络主权"


def test_one_char_over_the_limit(app, terms) -> None:
    app.config["MAX_TEXT_CHARS"] = 1000
    c = app.test_client()
    assert c.post("/api/v1/annotate", json={"text": "x" * 1000}).status_code == 200
    r = c.post("/api/v1/annotate", json={"text": "x" * 1001})
    assert r.status_code == 413 and "1001 characters; the limit is 1000" in r.get_json()["detail"]


@pytest.mark.parametrize(
    "q", [SQLISH, "%", "_", "\\", "' OR 1=1 --", SCRIPT, "\x00", "🙂" * 50, "Robert'); DROP TABLE search_keys;--"]
)
def test_search_survives_hostile_queries(client, terms, q: str) -> None:
    r = client.get("/api/v1/search", query_string={"q": q})
    assert r.status_code in (200, 400), r.status_code
    assert client.get("/api/v1/terms/wangluo-zhuquan").status_code == 200
    assert client.get("/api/v1/search?q=网络主权").get_json()["items"][0]["slug"] == "wangluo-zhuquan"


def test_invalid_utf8_in_the_query_string(client, terms) -> None:
    assert client.get("/api/v1/search?q=%ED%A0%80%FF").status_code in (200, 400)
    assert client.get("/api/v1/terms/%ED%A0%80%FF").status_code == 404


def test_nul_in_urls_is_refused(client, terms) -> None:
    for url in ("/api/v1/terms/%00", "/api/v1/search?q=a%00b", "/api/v1/sources/x%00", "/search?q=%00"):
        r = client.get(url)
        assert r.status_code == 400, url
        assert "NUL" in r.get_data(as_text=True)


@pytest.mark.parametrize("key", [SQLISH, "../../etc/passwd", "..%2F..%2F", SCRIPT, "a" * 5000])
def test_term_lookup_with_hostile_keys(client, terms, key: str) -> None:
    r = client.get(f"/api/v1/terms/{key}")
    assert r.status_code == 404
    assert r.mimetype == "application/problem+json"
    assert "<script>" not in r.get_data(as_text=True)


@pytest.mark.parametrize("fmt", ["../../etc/passwd", "json;rm -rf /", SCRIPT, "JSON"])
def test_export_formats_that_are_paths_or_code(client, terms, fmt: str) -> None:
    r = client.get("/api/v1/export", query_string={"format": fmt})
    assert r.status_code == 400 and "format" in r.get_json()["detail"]


@pytest.mark.parametrize("query", ["page=1000000000000", "per_page=999999999", "page=-1", "page=1e9", "per_page="])
def test_huge_or_odd_pagination(client, terms, query: str) -> None:
    r = client.get(f"/api/v1/terms?{query}")
    assert r.status_code in (200, 400)
    if r.status_code == 400:
        assert r.get_json()["errors"][0]["path"] in ("page", "per_page")


def test_html_and_sql_in_every_field_are_stored_verbatim_and_escaped(client, session, write_token) -> None:
    body = {
        "simplified": "测试词",
        "note": SCRIPT,
        "tags": ["x"],
        "translations": [{"lang": "en", "text": SCRIPT, "status": "preferred", "note": SQLISH}],
        "definitions": [{"lang": "en", "text": SCRIPT + " **bold** " + SQLISH}],
    }
    r = client.post("/api/v1/terms", json=body, headers={"Authorization": f"Bearer {write_token}"})
    assert r.status_code == 201
    stored = client.get("/api/v1/terms/测试词").get_json()
    assert stored["note"] == SCRIPT and stored["translations"][0]["note"] == SQLISH
    html = client.post("/api/v1/annotate", json={"text": "测试词", "format": "html"}).get_json()["html"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    for page in ("/terms/ceshici", "/search?q=测试词", "/"):
        text = client.get(page).get_data(as_text=True)
        assert "<script>alert" not in text, page


def test_forms_whose_pinyin_has_no_letters_still_get_valid_distinct_slugs(client, write_token) -> None:
    """',Å' has no pinyin to make a slug of: the first such term is 'term', the next was '-2'
    (schemathesis found it), which no slug pattern allows."""
    auth = {"Authorization": f"Bearer {write_token}"}
    slugs = [
        client.post("/api/v1/terms", json={"simplified": s}, headers=auth).get_json()["slug"] for s in (",Å", "。。")
    ]
    assert slugs == ["term", "term-2"]
    assert client.get("/api/v1/terms/term-2").get_json()["simplified"] == "。。"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "ftp://example.org/x",
        "https://example.org/a b",
    ],
)
def test_source_urls_that_are_not_http_are_refused(client, session, url: str) -> None:
    """Source pages and citations link a source's url: only http(s) may get there."""
    from glossary.models import Source
    from glossary.services import interchange

    doc = term_doc(
        {"simplified": "测试五", "excerpts": [{"source": "evil", "text": "测试五"}]},
        sources=[{"id": "evil", "title": "t", "url": url, "language": "en"}],
    )
    with pytest.raises(ServiceError) as exc:
        interchange.load(session, doc, "test")
    session.rollback()
    assert exc.value.errors[0]["path"] == "sources[0].url"
    assert "is not an http:// or https:// URL" in exc.value.errors[0]["message"]
    assert session.get(Source, "evil") is None
    assert client.get("/sources/evil").status_code == 404


def test_an_https_source_url_is_linked(client, session) -> None:
    from glossary.services import interchange

    url = "HTTPS://www.aspi.org.au/report/chinas-cyber-vision?x=1#p9"
    doc = term_doc(
        {"simplified": "测试五"}, sources=[{"id": "aspi", "title": "Cyber vision", "url": url, "language": "en"}]
    )
    interchange.load(session, doc, "test")
    session.commit()
    page = client.get("/sources/aspi").get_data(as_text=True)
    assert f'href="{url}"' in page


# --- NUL and lone surrogates: refused by glossary/1 validation, the same on every database ---

UNSTORABLE = [("\x00", "NUL character"), ("\ud800", "lone surrogate")]
SOURCE = {"id": "src", "title": "A source"}


def _docs(bad: str) -> list[tuple[dict, str]]:
    """Documents with ``bad`` in one field each, and the path the error must name."""
    return [
        (term_doc({"simplified": f"测{bad}试"}), "terms[0].simplified"),
        (term_doc({"simplified": "测试", "note": f"a{bad}b"}), "terms[0].note"),
        (
            term_doc({"simplified": "测试", "translations": [{"lang": "en", "text": f"x{bad}", "status": "official"}]}),
            "terms[0].translations[0].text",
        ),
        (term_doc({"simplified": "测试"}, sources=[SOURCE | {"title": f"t{bad}"}]), "sources[0].title"),
        (
            term_doc({"simplified": "测试", "excerpts": [{"source": "src", "text": f"e{bad}"}]}, sources=[SOURCE]),
            "terms[0].excerpts[0].text",
        ),
    ]


@pytest.mark.parametrize(("bad", "what"), UNSTORABLE, ids=["nul", "surrogate"])
def test_unstorable_characters_are_refused_naming_the_field(session, bad: str, what: str) -> None:
    from glossary.models import Source, Term
    from glossary.services import interchange

    for doc, path in _docs(bad):
        with pytest.raises(FormatError) as exc:
            validate_document(doc)
        assert exc.value.errors[0]["path"] == path and what in exc.value.errors[0]["message"]
        with pytest.raises(ServiceError) as exc:  # the import goes through the same check
            interchange.load(session, doc, "test")
        assert exc.value.status == 422 and exc.value.errors[0]["path"] == path
        session.rollback()
    with pytest.raises(FormatError) as exc:  # a single term, as the API and the editor save one
        from glossary.formats.glossary1 import validate_term

        validate_term({"simplified": "测试", "first_use": {"date": "2010", "note": f"n{bad}"}})
    assert exc.value.errors[0]["path"] == "term.first_use.note"
    assert session.query(Term).count() == 0 and session.query(Source).count() == 0


@pytest.fixture
def signed_in(app, session, client):
    from glossary.services.auth import create_user

    create_user(session, "editor", "correct horse battery")
    session.commit()
    login = {"csrf_token": _csrf(client, "/login"), "name": "editor", "password": "correct horse battery"}
    assert client.post("/login", data=login).status_code == 303
    return client


def _csrf(client, url: str) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


@pytest.mark.parametrize(
    ("field", "value", "error_id"),
    [
        ("note", "a\x00b", "err-note"),
        ("simplified", "测\x00试", "err-simplified"),
        ("comment", "a\x00b", "err-comment"),
    ],
)
def test_nul_in_the_editor_is_a_field_error_not_a_500(app, signed_in, field: str, value: str, error_id: str) -> None:
    from glossary.extensions import db
    from glossary.models import Term

    data = {"csrf_token": _csrf(signed_in, "/edit/new"), "simplified": "测试四", "kind": "concept", "status": "draft"}
    r = signed_in.post("/edit/new", data=data | {field: value, "action": "save"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert f'id="{error_id}">contains a NUL character' in html
    with app.app_context():
        assert db.session.query(Term).count() == 0


def test_nul_in_a_sign_in_name_is_a_failed_sign_in(signed_in) -> None:
    signed_in.post("/logout", data={"csrf_token": _csrf(signed_in, "/edit")})
    r = signed_in.post("/login", data={"csrf_token": _csrf(signed_in, "/login"), "name": "edi\x00tor", "password": "x"})
    assert r.status_code == 200 and "do not match an editor account" in r.get_data(as_text=True)


# --- property tests for the importer ------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
term_like = st.fixed_dictionaries(
    {"simplified": st.text(min_size=1, max_size=8)},
    optional={
        "translations": st.lists(
            st.fixed_dictionaries(
                {
                    "lang": st.sampled_from(["en", "fr", "x", ""]),
                    "text": st.text(max_size=10),
                    "status": st.sampled_from(["preferred", "official", "nope"]),
                }
            ),
            max_size=3,
        ),
        "tags": st.lists(st.text(max_size=6), max_size=3),
        "kind": st.text(max_size=8),
        "extra": json_values,
    },
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        json_values, st.fixed_dictionaries({"format": st.just("glossary/1"), "terms": st.lists(term_like, max_size=4)})
    )
)
def test_validation_never_crashes(doc: object) -> None:
    try:
        validate_document(doc)
    except FormatError as exc:
        assert exc.errors and all("path" in e and e["message"] for e in exc.errors)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_parse_of_arbitrary_bytes_never_crashes(data: bytes) -> None:
    try:
        parse(data)
    except FormatError as exc:
        assert str(exc)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(term_like, min_size=1, max_size=3))
def test_import_of_random_terms_is_all_or_nothing(seeded_session_factory, terms: list) -> None:
    from glossary.models import Term
    from glossary.services import interchange

    session = seeded_session_factory()
    before = session.query(Term).count()
    doc = {"format": "glossary/1", "terms": terms}
    try:
        interchange.load(session, doc, "prop")
        session.commit()
        assert session.query(Term).count() >= before
    except (ServiceError, FormatError):
        session.rollback()
        assert session.query(Term).count() == before
    finally:
        session.close()


@pytest.fixture
def seeded_session_factory(app, terms):
    from sqlalchemy.orm import sessionmaker

    from glossary.extensions import db

    return sessionmaker(db.engine(app), expire_on_commit=False)


def test_json_body_with_duplicate_keys_and_huge_numbers(client, write_token) -> None:
    raw = '{"simplified": "甲", "simplified": "乙", "kind": 1e999}'
    r = client.post(
        "/api/v1/terms", data=raw, content_type="application/json", headers={"Authorization": f"Bearer {write_token}"}
    )
    assert r.status_code in (400, 422)
    assert json.loads(r.data)["detail"]


HUGE = "9" * 5000


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/v1/annotate", '{"text": "x", "nested": ' + HUGE + "}"),
        ("post", "/api/v1/terms", '{"simplified": "网络主权", "first_use": {"date": ' + HUGE + "}}"),
        ("put", "/api/v1/terms/wangluo-zhuquan", '{"simplified": "网络主权", "note": -' + HUGE + "}"),
        ("patch", "/api/v1/terms/wangluo-zhuquan", '{"tags": [' + HUGE + "]}"),
        ("post", "/api/v1/terms", '{"simplified": "网络主权", "x": ' + "9" * 20 + "}"),
    ],
)
def test_huge_json_numbers_are_a_400_naming_the_problem(client, terms, write_token, method, url, body) -> None:
    """Python refuses to read an integer of more than 4,300 digits (a ValueError json.loads
    does not turn into a JSONDecodeError), and no column holds more than 64 bits: both are the
    client's mistake, answered before anything is read or written."""
    headers = {"Authorization": f"Bearer {write_token}", "If-Match": '"wangluo-zhuquan-v1"'}
    r = getattr(client, method)(url, data=body, content_type="application/json", headers=headers)
    assert r.status_code == 400, r.get_data(as_text=True)[:300]
    assert r.mimetype == "application/problem+json"
    assert "number" in r.get_json()["detail"] and "64-bit" in r.get_json()["detail"]


@pytest.mark.parametrize("number", [2**31, 2**63, 2**64, 10**30])
@pytest.mark.parametrize("prefix", ["/api/v1/terms/wangluo-zhuquan/revisions/", "/terms/wangluo-zhuquan/revisions/"])
def test_revision_numbers_beyond_the_column_are_404(client, terms, prefix: str, number: int) -> None:
    """Revision numbers are 32-bit on PostgreSQL and 64-bit on SQLite; beyond that no revision
    can exist, so the answer is 404, not the driver's overflow as a 500."""
    r = client.get(f"{prefix}{number}")
    assert r.status_code == 404
    if prefix.startswith("/api"):
        assert r.mimetype == "application/problem+json" and f"no revision {number}" in r.get_json()["detail"]

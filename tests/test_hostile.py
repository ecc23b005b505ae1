"""Hostile and bad input: nothing returns 500, every error names what was wrong."""

from __future__ import annotations

import json
import time

import pytest
from helpers import make_term
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.formats import FormatError
from glossary.formats.glossary1 import parse, validate_document
from glossary.services.errors import ServiceError

SCRIPT = '<script>alert("x")</script>'
SQLISH = "'; DROP TABLE terms; --"


@pytest.fixture
def terms(session) -> None:  # noqa: ANN001
    make_term(session, "网络主权", "cyber sovereignty")


def test_two_million_character_single_line(app, terms) -> None:  # noqa: ANN001
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


def test_one_hundred_thousand_matches(client, terms) -> None:  # noqa: ANN001
    text = "网络主权 " * 100_000
    r = client.post("/api/v1/annotate", json={"text": text, "format": "html"})
    assert r.status_code == 200
    body = r.get_json()
    assert len(body["matches"]) == 100_000
    assert body["html"].count("<a ") == 100_000
    last = body["matches"][-1]
    assert text[last["start"] : last["end"]] == "网络主权"


def test_one_char_over_the_limit(app, terms) -> None:  # noqa: ANN001
    app.config["MAX_TEXT_CHARS"] = 1000
    c = app.test_client()
    assert c.post("/api/v1/annotate", json={"text": "x" * 1000}).status_code == 200
    r = c.post("/api/v1/annotate", json={"text": "x" * 1001})
    assert r.status_code == 413 and "1001 characters; the limit is 1000" in r.get_json()["detail"]


@pytest.mark.parametrize(
    "q", [SQLISH, "%", "_", "\\", "' OR 1=1 --", SCRIPT, "\x00", "🙂" * 50, "Robert'); DROP TABLE search_keys;--"]
)
def test_search_survives_hostile_queries(client, terms, q: str) -> None:  # noqa: ANN001
    r = client.get("/api/v1/search", query_string={"q": q})
    assert r.status_code in (200, 400), r.status_code
    assert client.get("/api/v1/terms/wangluo-zhuquan").status_code == 200
    assert client.get("/api/v1/search?q=网络主权").get_json()["items"][0]["slug"] == "wangluo-zhuquan"


def test_invalid_utf8_in_the_query_string(client, terms) -> None:  # noqa: ANN001
    assert client.get("/api/v1/search?q=%ED%A0%80%FF").status_code in (200, 400)
    assert client.get("/api/v1/terms/%ED%A0%80%FF").status_code == 404


def test_nul_in_urls_is_refused(client, terms) -> None:  # noqa: ANN001
    for url in ("/api/v1/terms/%00", "/api/v1/search?q=a%00b", "/api/v1/sources/x%00", "/search?q=%00"):
        r = client.get(url)
        assert r.status_code == 400, url
        assert "NUL" in r.get_data(as_text=True)


@pytest.mark.parametrize("key", [SQLISH, "../../etc/passwd", "..%2F..%2F", SCRIPT, "a" * 5000])
def test_term_lookup_with_hostile_keys(client, terms, key: str) -> None:  # noqa: ANN001
    r = client.get(f"/api/v1/terms/{key}")
    assert r.status_code == 404
    assert r.mimetype == "application/problem+json"
    assert "<script>" not in r.get_data(as_text=True)


@pytest.mark.parametrize("fmt", ["../../etc/passwd", "json;rm -rf /", SCRIPT, "JSON"])
def test_export_formats_that_are_paths_or_code(client, terms, fmt: str) -> None:  # noqa: ANN001
    r = client.get("/api/v1/export", query_string={"format": fmt})
    assert r.status_code == 400 and "format" in r.get_json()["detail"]


@pytest.mark.parametrize("query", ["page=1000000000000", "per_page=999999999", "page=-1", "page=1e9", "per_page="])
def test_huge_or_odd_pagination(client, terms, query: str) -> None:  # noqa: ANN001
    r = client.get(f"/api/v1/terms?{query}")
    assert r.status_code in (200, 400)
    if r.status_code == 400:
        assert r.get_json()["errors"][0]["path"] in ("page", "per_page")


def test_html_and_sql_in_every_field_are_stored_verbatim_and_escaped(client, session, write_token) -> None:  # noqa: ANN001
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
def test_import_of_random_terms_is_all_or_nothing(seeded_session_factory, terms: list) -> None:  # noqa: ANN001
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
def seeded_session_factory(app, terms):  # noqa: ANN001, ANN201
    from sqlalchemy.orm import sessionmaker

    from glossary.extensions import db

    return sessionmaker(db.engine(app), expire_on_commit=False)


def test_json_body_with_duplicate_keys_and_huge_numbers(client, write_token) -> None:  # noqa: ANN001
    raw = '{"simplified": "甲", "simplified": "乙", "kind": 1e999}'
    r = client.post(
        "/api/v1/terms", data=raw, content_type="application/json", headers={"Authorization": f"Bearer {write_token}"}
    )
    assert r.status_code in (400, 422)
    assert json.loads(r.data)["detail"]

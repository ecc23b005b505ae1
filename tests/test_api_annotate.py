"""POST /api/v1/annotate: shape, formats, limits, errors, and freshness across processes."""

from __future__ import annotations

import pytest
from helpers import make_term

from glossary.extensions import db


@pytest.fixture
def terms(session) -> None:
    make_term(
        session,
        "人类命运共同体",
        "community with a shared future for mankind",
        translations=[
            {"lang": "en", "text": "community with a shared future for mankind", "status": "preferred"},
            {"lang": "fr", "text": "communauté d'avenir partagé pour l'humanité", "status": "alternative"},
        ],
    )
    make_term(session, "命运共同体", "community with a shared future")
    make_term(session, "网络主权", "cyber sovereignty")


def test_json_result(client, terms) -> None:
    text = "推动构建人類命運共同體，維護網路主權。"
    r = client.post("/api/v1/annotate", json={"text": text})
    assert r.status_code == 200
    body = r.get_json()
    assert body["chars"] == len(text)
    assert [(m["surface"], m["slug"]) for m in body["matches"]] == [
        ("人類命運共同體", "renlei-mingyun-gongtongti"),
        ("網路主權", "wangluo-zhuquan"),
    ]
    for m in body["matches"]:
        assert text[m["start"] : m["end"]] == m["surface"]
        assert m["confidence"] == "high" and m["lang"] == "en"
    assert body["terms"] == [{"slug": "renlei-mingyun-gongtongti", "count": 1}, {"slug": "wangluo-zhuquan", "count": 1}]


def test_gloss_language_with_english_fallback(client, terms) -> None:
    body = client.post("/api/v1/annotate", json={"text": "人类命运共同体与网络主权", "lang": "fr"}).get_json()
    assert [(m["gloss"], m["lang"]) for m in body["matches"]] == [
        ("communauté d'avenir partagé pour l'humanité", "fr"),
        ("cyber sovereignty", "en"),
    ]


def test_nested(client, terms) -> None:
    body = client.post("/api/v1/annotate", json={"text": "构建人类命运共同体", "nested": True}).get_json()
    assert [(m["slug"], m.get("nested", False)) for m in body["matches"]] == [
        ("renlei-mingyun-gongtongti", False),
        ("mingyun-gongtongti", True),
    ]


def test_html_format_escapes_and_links(client, terms) -> None:
    text = "<img src=x onerror=alert(1)>\n网络主权"
    body = client.post("/api/v1/annotate", json={"text": text, "format": "html", "ruby": True}).get_json()
    html = body["html"]
    assert "<img" not in html and "&lt;img" in html
    assert 'href="/terms/wangluo-zhuquan"' in html and 'data-gloss="cyber sovereignty"' in html
    assert "<rt>wǎngluò zhǔquán</rt>" in html and "<br>" in html


def test_empty_text(client, terms) -> None:
    body = client.post("/api/v1/annotate", json={"text": ""}).get_json()
    assert body == {"matches": [], "terms": [], "chars": 0}


@pytest.mark.parametrize(
    ("kwargs", "status", "text"),
    [
        ({"json": {}}, 400, "text is required"),
        ({"json": {"text": 5}}, 400, "must be a string"),
        (
            {
                "json": {"text": "x", "format": "pdf"},
            },
            400,
            "format",
        ),
        ({"json": {"text": "x", "nested": "yes"}}, 400, "nested"),
        ({"json": {"text": "x", "lang": ""}}, 400, "lang"),
        ({"json": {"text": "x", "colour": 1}}, 400, "unknown field"),
        ({"json": ["x"]}, 400, "JSON object"),
        ({"data": "{", "content_type": "application/json"}, 400, "invalid JSON"),
        ({"data": b'{"text": "\xff"}', "content_type": "application/json"}, 400, "UTF-8"),
        ({"data": '{"text": "\\udc00"}', "content_type": "application/json"}, 400, "surrogate"),
        ({"data": "text=x", "content_type": "text/plain"}, 415, "application/json"),
    ],
)
def test_bad_requests(client, terms, kwargs: dict, status: int, text: str) -> None:
    r = client.post("/api/v1/annotate", **kwargs)
    assert r.status_code == status
    assert r.mimetype == "application/problem+json"
    assert text in r.get_json()["detail"] or text in str(r.get_json().get("errors"))


def test_too_long_is_413_stating_the_limit(app, terms) -> None:
    app.config["MAX_TEXT_CHARS"] = 10
    r = app.test_client().post("/api/v1/annotate", json={"text": "网络主权" * 3})
    assert r.status_code == 413
    assert "the limit is 10" in r.get_json()["detail"]


def test_request_bodies_are_limited_by_default(app) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == app.config["MAX_TEXT_CHARS"] * 6 + (1 << 20)
    big = b'{"text": "' + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 10) + b'"}'
    r = app.test_client().post("/api/v1/annotate", data=big, content_type="application/json")
    assert r.status_code == 413 and r.mimetype == "application/problem+json"
    assert f"larger than {app.config['MAX_CONTENT_LENGTH']} bytes" in r.get_json()["detail"]


def test_oversize_body_is_413(app, terms) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 100
    r = app.test_client().post("/api/v1/annotate", json={"text": "x" * 200})
    assert r.status_code == 413 and r.mimetype == "application/problem+json"


def test_nul_bytes_in_text_are_fine(client, terms) -> None:
    body = client.post("/api/v1/annotate", json={"text": "\x00网络主权\x00"}).get_json()
    assert body["matches"][0]["start"] == 1


def test_a_change_in_one_process_reaches_another(app, make_app, terms) -> None:
    """Two app instances on one database, as two gunicorn workers would be."""
    other = make_app()
    assert other.extensions["glossary.annotator"] is not app.extensions["glossary.annotator"]
    a, b = app.test_client(), other.test_client()
    text = "坚持共同富裕，维护网络主权"
    assert [m["slug"] for m in b.post("/api/v1/annotate", json={"text": text}).get_json()["matches"]] == [
        "wangluo-zhuquan"
    ]
    with app.app_context():
        make_term(db.session, "共同富裕", "common prosperity")
    b.post("/api/v1/annotate", json={"text": text})  # starts b's rebuild in the background
    other.extensions["glossary.annotator"].wait()
    assert [m["slug"] for m in b.post("/api/v1/annotate", json={"text": text}).get_json()["matches"]] == [
        "gongtong-fuyu",
        "wangluo-zhuquan",
    ]
    with app.app_context():
        from glossary.services.terms import delete_term, get_term

        delete_term(db.session, get_term(db.session, "wangluo-zhuquan"), "tests")
        db.session.commit()
    b.post("/api/v1/annotate", json={"text": text})
    other.extensions["glossary.annotator"].wait()
    assert [m["slug"] for m in b.post("/api/v1/annotate", json={"text": text}).get_json()["matches"]] == [
        "gongtong-fuyu"
    ]
    assert [m["slug"] for m in a.post("/api/v1/annotate", json={"text": text}).get_json()["matches"]] == [
        "gongtong-fuyu"
    ]


def test_drafts_are_not_annotated(client, session) -> None:
    make_term(session, "共同富裕", "common prosperity", status="draft")
    assert client.post("/api/v1/annotate", json={"text": "共同富裕"}).get_json()["matches"] == []


def test_rate_limit_answers_429_with_retry_after(app, make_app, terms) -> None:
    limited = make_app(RATELIMIT_ENABLED=True, RATELIMIT_ANNOTATE="2 per minute", RATELIMIT_SEARCH="2 per minute")
    c = limited.test_client()
    codes = [c.post("/api/v1/annotate", json={"text": "x"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    r = c.post("/api/v1/annotate", json={"text": "x"})
    assert r.mimetype == "application/problem+json" and int(r.headers["Retry-After"]) > 0
    codes = [c.get("/api/v1/search?q=x").status_code for _ in range(3)]
    assert codes[-1] == 429


def test_every_bad_option_is_named_the_first_in_the_detail(client, terms) -> None:
    body = {"text": "x", "ruby": "no", "nested": 1, "format": "pdf", "lang": ""}
    problem = client.post("/api/v1/annotate", json=body).get_json()
    assert problem["detail"] == "lang: must be a language tag such as en or fr"
    assert [e["path"] for e in problem["errors"]] == ["lang", "format", "nested", "ruby"]
    assert problem["errors"][1:] == [
        {"path": "format", "message": "must be json or html"},
        {"path": "nested", "message": "must be true or false"},
        {"path": "ruby", "message": "must be true or false"},
    ]


@pytest.mark.parametrize(
    ("body", "message"), [({"text": None}, "required string"), ({"text": ["x"]}, "must be a string")]
)
def test_text_null_is_missing_and_a_list_is_not_a_string(client, terms, body: dict, message: str) -> None:
    problem = client.post("/api/v1/annotate", json=body).get_json()
    assert problem["errors"] == [{"path": "text", "message": message}]

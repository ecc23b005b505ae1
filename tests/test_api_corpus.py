"""The corpus API: documents (list, search, detail, upload), attestations and trends, each
parameter and each error path, against a small corpus whose figures are counted by hand."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from corpus_helpers import filler, write_corpus
from helpers import make_term
from jsonschema import Draft202012Validator
from pdfmaker import pdf_with_text, pdf_without_text

from glossary.formats.documents import read_document
from glossary.models import Document, Term
from glossary.services import corpus

DOCS = [
    {"file": "r1954.txt", "date": "1954-09-23", "kind": "government-work-report",
     "text": "坚持总体国家安全观。" + filler(1, 985) + "国家安全。"},
    {"file": "r1958.txt", "date": "1958-02", "kind": "government-work-report", "text": filler(2, 500)},
    {"file": "s2014.txt", "date": "2014-04-15", "kind": "speech", "text": "維護國家安全。" + filler(3, 993)},
    {"file": "l2014.txt", "date": "2014", "kind": "law", "text": "保障自主权和国家主权。" + filler(4, 989)},
]  # fmt: skip


@pytest.fixture
def loaded(session, tmp_path):
    for simplified, gloss, policy in [("国家安全", "national security", "auto"),
                                      ("总体国家安全观", "holistic security", "auto"),
                                      ("主权", "sovereignty", "confirm")]:  # fmt: skip
        make_term(session, simplified, gloss, annotation_policy=policy)
    make_term(session, "网络主权", "cyber sovereignty", status="draft")
    report = corpus.import_directory(session, write_corpus(tmp_path / "c", DOCS))
    assert report.errors == [] and report.documents == 4
    return session


def _slug(session, simplified: str) -> str:
    return session.scalar(sa.select(Term.slug).where(Term.simplified == simplified))


def _doc_id(session, file: str) -> int:
    return session.scalar(sa.select(Document.id).where(Document.file == file))


def _problem(response, status: int, path: str | None, words: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert words in body["detail"], body
    if path is not None:
        assert body["errors"][0]["path"] == path, body
    return body


# --- documents: list and search


def test_documents_are_listed_in_date_order_with_the_corpus_version(client, loaded) -> None:
    response = client.get("/api/v1/documents")
    assert response.status_code == 200 and response.headers["ETag"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert [d["date"] for d in body["items"]] == ["1954-09-23", "1958-02", "2014", "2014-04-15"]
    assert body["total"] == 4 and body["corpus"]["documents"] == 4 and body["corpus"]["version"].startswith("4@")
    first = body["items"][0]
    assert first["links"] == {"self": f"/api/v1/documents/{first['id']}", "html": f"/documents/{first['id']}"}
    assert "text" not in first


def test_documents_filter_by_kind_and_year_and_page(client, loaded) -> None:
    assert [d["kind"] for d in client.get("/api/v1/documents?kind=law").get_json()["items"]] == ["law"]
    assert [d["date"] for d in client.get("/api/v1/documents?year=2014").get_json()["items"]] == ["2014", "2014-04-15"]
    page = client.get("/api/v1/documents?per_page=3&page=2").get_json()
    assert [d["date"] for d in page["items"]] == ["2014-04-15"] and page["links"]["next"] is None
    assert "page=1" in page["links"]["prev"]
    _problem(client.get("/api/v1/documents?kind=poem"), 400, "kind", "kind must be one of")
    _problem(client.get("/api/v1/documents?year=MMXIV"), 400, "year", "year must be a whole number")
    _problem(client.get("/api/v1/documents?per_page=101"), 400, "per_page", "between 1 and 100")


def test_q_searches_the_texts_across_scripts(client, loaded) -> None:
    """國家安全 (traditional) finds the documents writing 国家安全, and the other way round."""
    found = client.get("/api/v1/documents", query_string={"q": "國家安全"}).get_json()
    assert sorted(d["date"] for d in found["items"]) == ["1954-09-23", "2014-04-15"]
    assert client.get("/api/v1/documents", query_string={"q": "自主权", "kind": "law"}).get_json()["total"] == 1
    assert client.get("/api/v1/documents", query_string={"q": "自主权", "kind": "speech"}).get_json()["total"] == 0
    assert client.get("/api/v1/documents", query_string={"q": "100%_"}).get_json()["total"] == 0  # no wildcards
    assert client.get("/api/v1/documents", query_string={"q": ""}).get_json()["total"] == 4  # an empty box
    _problem(client.get("/api/v1/documents", query_string={"q": " \u200b "}), 400, "q", "q holds nothing to search for")
    too_long = client.get("/api/v1/documents", query_string={"q": "长" * 201})
    _problem(too_long, 400, "q", "q is 201 characters; at most 200")


# --- one document


def test_a_document_with_its_text_and_the_matches_the_counts_are_made_of(client, loaded) -> None:
    doc_id = _doc_id(loaded, "r1954.txt")
    plain = client.get(f"/api/v1/documents/{doc_id}").get_json()
    assert plain["title"] == "标题 r1954.txt" and plain["chars"] == 1000
    assert "text" not in plain and "matches" not in plain
    full = client.get(f"/api/v1/documents/{doc_id}?text=1&annotate=1").get_json()
    assert full["text"] == DOCS[0]["text"]
    spans = [(m["term"], full["text"][m["start"] : m["end"]], m["nested"]) for m in full["matches"]]
    security, holistic = _slug(loaded, "国家安全"), _slug(loaded, "总体国家安全观")
    assert spans == [(holistic, "总体国家安全观", False), (security, "国家安全", True), (security, "国家安全", False)]
    attested = client.get(f"/api/v1/terms/{security}/attestations").get_json()
    assert attested["by_year"][0]["occurrences"] == sum(m["term"] == security for m in full["matches"])
    law = client.get(f"/api/v1/documents/{_doc_id(loaded, 'l2014.txt')}?annotate=1").get_json()
    assert [(m["surface"], m["sense_checked"]) for m in law["matches"]] == [("主权", False)]  # policy confirm


def test_document_errors(client, loaded) -> None:
    _problem(client.get("/api/v1/documents/99999"), 404, None, "no document 99999")
    for beyond in (2**31, 2**63):  # past PostgreSQL's integer, and past 64 bits
        _problem(client.get(f"/api/v1/documents/{beyond}"), 404, None, f"no document {beyond}")
    _problem(client.get("/api/v1/documents/1?text=yes"), 400, "text", "text must be one of 0, 1")
    assert client.get("/api/v1/documents/abc").status_code == 404


# --- upload


@pytest.fixture
def auth(write_token) -> dict:
    return {"Authorization": f"Bearer {write_token}"}


def _form(**fields: object) -> dict:
    return {"date": "2022-10-16", "kind": "congress-report", "title": "二十大报告", **fields}


def test_a_json_upload_is_indexed_before_the_reply(client, loaded, auth) -> None:
    security = _slug(loaded, "国家安全")
    before = client.get(f"/api/v1/terms/{security}/attestations").get_json()["occurrences"]
    body = {"date": "2022-10", "kind": "congress-report", "title": "二十大报告", "issuer": "Xi Jinping",
            "text": "统筹发展和安全，维护国家安全。" + filler(9, 200)}  # fmt: skip
    response = client.post("/api/v1/documents", json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert response.headers["Location"] == f"/api/v1/documents/{created['id']}"
    assert (created["date"], created["year"], created["issuer"]) == ("2022-10", 2022, "Xi Jinping")
    assert [m["term"] for m in created["matches"]] == [security]
    after = client.get(f"/api/v1/terms/{security}/attestations").get_json()
    assert after["occurrences"] == before + 1 and after["by_year"][-1]["year"] == 2022
    again = client.post("/api/v1/documents", json=body, headers=auth)
    _problem(again, 409, "file", f"already document {created['id']}")


def test_a_multipart_upload_reads_the_file_as_the_importer_does(client, loaded, auth) -> None:
    html = "<html><head><title>x</title></head><body><p>坚持总体国家安全观</p></body></html>".encode()
    data = _form(file=(io.BytesIO(html), "report.html"), title_en="Report")
    response = client.post("/api/v1/documents", data=data, headers=auth, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["title_en"] == "Report" and created["chars"] == len(read_document("report.html", html))
    assert [m["surface"] for m in created["matches"]] == ["总体国家安全观", "国家安全"]
    pdf = pdf_with_text("国家安全")
    response = client.post("/api/v1/documents", data=_form(file=(io.BytesIO(pdf), "r.pdf")), headers=auth,
                           content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize(
    ("fields", "path", "words"),
    [
        ({"date": "2022-13-01"}, "date", "not a real date"),
        ({"date": "16 Oct 2022"}, "date", "not ISO 8601"),
        ({"kind": "poem"}, "kind", "unknown kind 'poem'"),
        ({"title": ""}, "title", "required"),
        ({"file": (io.BytesIO("国家安全".encode("gb18030")), "r.txt")}, "file", "UTF-8"),
        ({"file": (io.BytesIO(pdf_without_text()), "r.pdf")}, "file", "no text layer"),
        ({"file": (io.BytesIO("国家安全".encode()), "r.exe")}, "file", "unknown file type"),
        ({"colour": "red"}, "colour", "unknown field"),
        ({"file": (io.BytesIO(b"\xe5\x9b\xbd\x00"), "nul.txt")}, "file", "the text contains a NUL character"),
        ({"issuer": "Xi\x00"}, "issuer", "NUL character"),
        ({"file": (io.BytesIO("国家安全".encode()), "n\x00.txt")}, "file", "NUL character"),
    ],
)
def test_a_bad_upload_is_refused_naming_the_field_and_imports_nothing(
    client, loaded, auth, fields, path, words
) -> None:
    data = _form(**{"file": (io.BytesIO("国家安全。".encode()), "ok.txt")} | fields)
    status = 400 if path == "colour" else 422
    _problem(client.post("/api/v1/documents", data=data, headers=auth, content_type="multipart/form-data"),
             status, path, words)  # fmt: skip
    assert loaded.scalar(sa.select(sa.func.count(Document.id))) == 4


def test_upload_needs_a_write_token_a_file_or_text_and_stays_under_the_text_limit(
    make_app, loaded, auth, client
) -> None:
    body = {"date": "2022", "kind": "law", "title": "法", "text": "国家安全"}
    _problem(client.post("/api/v1/documents", json=body), 401, None, "write scope")
    _problem(client.post("/api/v1/documents", json=body | {"text": ""}, headers=auth), 422, "text", "required")
    _problem(client.post("/api/v1/documents", json=body | {"file": "x"}, headers=auth), 415, None, "multipart")
    _problem(client.post("/api/v1/documents", data=_form(), headers=auth, content_type="multipart/form-data"),
             422, "file", "required")  # fmt: skip
    _problem(
        client.post("/api/v1/documents", data="x", headers=auth, content_type="text/plain"),
        415,
        None,
        "send multipart/form-data (a file) or application/json (text), not text/plain",
    )
    small = make_app(MAX_TEXT_CHARS=10).test_client()
    _problem(small.post("/api/v1/documents", json=body | {"text": "国" * 11}, headers=auth), 422, "file",
             "11 characters; at most 10")  # fmt: skip


# --- attestations


def test_attestations_have_the_issue_shape_and_find_a_term_by_any_form(client, loaded) -> None:
    security = _slug(loaded, "国家安全")
    body = client.get("/api/v1/terms/國家安全/attestations").get_json()
    assert body["term"] == security and body["label"] is None and body["annotation_policy"] == "auto"
    assert set(body) >= {"term", "corpus", "earliest", "documents", "occurrences", "by_year", "concordance"}
    assert (body["documents"], body["occurrences"]) == (2, 3)
    assert body["earliest"]["date"] == "1954-09-23" and body["earliest"]["document"]["kind"] == "government-work-report"
    assert [(y["year"], y["per_100k"]) for y in body["by_year"]] == [(1954, 200.0), (1958, 0.0), (2014, 50.0)]
    assert body["corpus"]["from"] == "1954-09-23"
    page = client.get(f"/api/v1/terms/{security}/attestations?per_page=2&page=2").get_json()["concordance"]
    assert (page["total"], page["page"], [i["match"] for i in page["items"]]) == (3, 2, ["國家安全"])
    speech = client.get(f"/api/v1/terms/{security}/attestations?kind=speech").get_json()
    assert speech["occurrences"] == 1 and speech["earliest"]["date"] == "2014-04-15"


def test_a_term_not_linked_in_prose_is_labelled_and_drafts_are_hidden(client, loaded, auth) -> None:
    sovereignty = client.get(f"/api/v1/terms/{_slug(loaded, '主权')}/attestations").get_json()
    assert sovereignty["label"] == "string occurrences, sense not checked" and sovereignty["occurrences"] == 1
    draft = _slug(loaded, "网络主权")
    _problem(client.get(f"/api/v1/terms/{draft}/attestations"), 404, None, draft)
    as_editor = client.get(f"/api/v1/terms/{draft}/attestations", headers=auth)
    assert as_editor.status_code == 200 and as_editor.get_json()["occurrences"] == 0
    assert as_editor.headers["Cache-Control"] == "private, no-store"
    _problem(client.get("/api/v1/terms/no-such-term/attestations"), 404, None, "no-such-term")
    _problem(client.get(f"/api/v1/terms/{draft}/attestations?kind=poem"), 400, "kind", "kind must be one of")


# --- trends


def test_trends_json_and_csv_give_the_same_numbers_with_the_corpus_version(client, loaded) -> None:
    security, sovereignty = _slug(loaded, "国家安全"), _slug(loaded, "主权")
    body = client.get(f"/api/v1/trends?terms={security},{sovereignty}").get_json()
    assert body["corpus"]["version"].startswith("4@") and body["measure"] == "per_100k"
    assert [(s["term"], s["label"]) for s in body["series"]] == [
        (security, None), (sovereignty, "string occurrences, sense not checked")]  # fmt: skip
    assert [(p["year"], p["value"], p["occurrences"]) for p in body["series"][0]["points"]] == [
        (1954, 200.0, 2), (1958, 0.0, 0), (2014, 50.0, 1)]  # fmt: skip
    response = client.get(f"/api/v1/trends?terms={security},{sovereignty}&format=csv")
    assert response.mimetype == "text/csv" and response.headers["ETag"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["term"], int(r["year"]), float(r["value"]), int(r["occurrences"]), int(r["documents"]))
            for r in rows] == [(s["term"], p["year"], p["value"], p["occurrences"], p["documents"])
                               for s in body["series"] for p in s["points"]]  # fmt: skip
    assert {r["corpus_version"] for r in rows} == {body["corpus"]["version"]}
    again = client.get(f"/api/v1/trends?terms={security},{sovereignty}&format=csv",
                       headers={"If-None-Match": response.headers["ETag"]})  # fmt: skip
    assert again.status_code == 304


def test_trends_by_share_of_documents_kind_and_years(client, loaded) -> None:
    sovereignty = _slug(loaded, "主权")
    share = client.get(f"/api/v1/trends?terms={sovereignty}&measure=documents&from=1955&to=2014").get_json()
    assert [(p["year"], p["value"]) for p in share["series"][0]["points"]] == [(1958, 0.0), (2014, 0.5)]
    law = client.get(f"/api/v1/trends?terms={sovereignty}&kind=law").get_json()
    assert [(p["year"], p["value"]) for p in law["series"][0]["points"]] == [(2014, 100.0)]


def test_trends_errors_name_the_term_or_parameter(client, loaded) -> None:
    security = _slug(loaded, "国家安全")
    _problem(client.get(f"/api/v1/trends?terms={security},nope"), 422, "terms", "no term 'nope'")
    _problem(client.get(f"/api/v1/trends?terms={_slug(loaded, '网络主权')}"), 422, "terms", "no term")  # a draft
    nine = ",".join(f"t{i}" for i in range(9))
    _problem(client.get(f"/api/v1/trends?terms={nine}"), 422, "terms", "'t8' is the 9th")
    _problem(client.get("/api/v1/trends?terms=,"), 422, "terms", "at least one")
    _problem(client.get("/api/v1/trends"), 400, "terms", "terms is required")
    _problem(client.get(f"/api/v1/trends?terms={security}&measure=raw"), 400, "measure", "per_100k, documents")
    _problem(client.get(f"/api/v1/trends?terms={security}&from=then"), 400, "from", "whole number")
    _problem(client.get(f"/api/v1/trends?terms={security}&format=xml"), 400, "format", "json, csv")


def test_replies_with_real_data_fit_the_documented_schemas(client, loaded) -> None:
    """Every corpus read's 200 reply on the loaded corpus validates against its OpenAPI schema
    (schemathesis sees mostly empty or missing data; this sees every field filled)."""
    doc = client.get("/api/v1/openapi.json").get_json()
    security, sovereignty = _slug(loaded, "国家安全"), _slug(loaded, "主权")
    doc_id = _doc_id(loaded, "r1954.txt")
    urls = {
        "/api/v1/documents": "/api/v1/documents?q=国家安全",
        "/api/v1/documents/{document_id}": f"/api/v1/documents/{doc_id}?text=1&annotate=1",
        "/api/v1/terms/{key}/attestations": f"/api/v1/terms/{security}/attestations",
        "/api/v1/trends": f"/api/v1/trends?terms={security},{sovereignty}&measure=documents",
    }
    for path, url in urls.items():
        schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        body = client.get(url).get_json()
        Draft202012Validator({**schema, "components": doc["components"]}).validate(body)

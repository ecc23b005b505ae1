"""Annotating a file: the annotate page and POST /api/v1/annotate read .txt, .html, .docx and
.pdf with the corpus import's reader, refuse unreadable files naming them, apply the text limits
and the character budget to the text read, and the page offers the terms as a neutralised CSV."""

from __future__ import annotations

import csv
import html
import io
import re

import docx
import pytest
from helpers import make_term
from pdfmaker import pdf_with_text, pdf_without_text
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

TEXT = "坚持网络主权，完善治理体系。"


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FILES = {
    "speech.txt": TEXT.encode(),
    "page.html": f"<html><head><title>网络主权</title></head><p>{TEXT}</p><script>'治理'</script></body>".encode(),
    "report.docx": docx_bytes("坚持网络主权，", "完善治理体系。"),
    "report.pdf": pdf_with_text(TEXT),
}


@pytest.fixture
def terms(session) -> None:
    make_term(session, "网络主权", "cyber sovereignty")
    make_term(session, "治理体系", '=HYPERLINK("http://evil")')  # a gloss a spreadsheet would run


def body(response) -> str:
    return response.get_data(as_text=True)


def page_post(client, fields: dict, file: tuple[str, bytes] | None = None):
    """The no-JavaScript form post, as a browser sends it: multipart with the CSRF token."""
    form = body(client.get("/annotate"))
    data: dict = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', form).group(1), **fields}
    if file:
        data["file"] = FileStorage(io.BytesIO(file[1]), file[0])
    boundary, payload = encode_multipart(data)
    return client.post("/annotate", data=payload, content_type=f"multipart/form-data; boundary={boundary}")


def api_post(client, file: tuple[str, bytes] | None, **fields: str):
    data: dict = dict(fields)
    if file:
        data["file"] = FileStorage(io.BytesIO(file[1]), file[0])
    boundary, payload = encode_multipart(data)
    return client.post("/api/v1/annotate", data=payload, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_format_is_annotated_on_the_page_without_javascript(client, terms, name: str) -> None:
    r = page_post(client, {"action": "annotate", "text": ""}, (name, FILES[name]))
    page = body(r)
    assert r.status_code == 200, page
    annotated = page[page.index('id="annotated"') : page.index('<aside class="found"')]
    assert re.findall(r'href="/terms/([\w-]+)"', annotated) == ["wangluo-zhuquan", "zhili-tixi"]
    assert f"Read {name}. Found 2 glossary terms" in page
    # the text read stands in the box, so downloading or annotating again needs no second upload
    box = page[page.index('id="annotate-text"') : page.index("</textarea>")]
    assert "网络主权" in box and "治理体系" in box


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_format_is_annotated_by_the_api_with_the_text_it_read(client, terms, name: str) -> None:
    r = api_post(client, (name, FILES[name]), format="html", nested="false")
    assert r.status_code == 200, r.get_json()
    reply = r.get_json()
    assert [m["slug"] for m in reply["matches"]] == ["wangluo-zhuquan", "zhili-tixi"]
    for m in reply["matches"]:  # the offsets index the text returned
        assert reply["text"][m["start"] : m["end"]] == m["surface"]
    assert reply["chars"] == len(reply["text"])
    assert 'href="/terms/wangluo-zhuquan"' in reply["html"]


def test_a_json_annotate_reply_has_no_text_field(client, terms) -> None:
    assert "text" not in client.post("/api/v1/annotate", json={"text": TEXT}).get_json()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", pdf_without_text(), "scan.pdf: the PDF has no text layer (a scan?); run OCR on it first"),
        ("broken.docx", b"PK not a zip", "broken.docx: not a readable .docx file"),
        ("notes.rtf", b"{\\rtf1}", "notes.rtf: unknown file type '.rtf'"),
        ("gbk.txt", "网络主权".encode("gb18030"), "gbk.txt: line 1: not valid UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_is_named_on_the_page_and_by_the_api(
    client, terms, name: str, data: bytes, message: str
) -> None:
    r = page_post(client, {"action": "annotate"}, (name, data))
    assert r.status_code == 400
    assert f"The file could not be read: {message}" in html.unescape(body(r))
    r = api_post(client, (name, data))
    assert r.status_code == 400
    assert r.get_json()["detail"].startswith(f"file {message}")
    assert r.get_json()["errors"][0]["path"] == "file"


def test_api_upload_errors_name_the_field(client, terms) -> None:
    r = api_post(client, None, lang="en")
    assert r.status_code == 400 and r.get_json()["detail"] == "file is required (the document as a file)"
    r = api_post(client, ("a.txt", TEXT.encode()), text="also text")
    assert r.status_code == 400 and r.get_json()["detail"] == "send a file or a text, not both"
    r = api_post(client, ("a.txt", TEXT.encode()), nested="maybe")
    assert r.status_code == 400 and r.get_json()["errors"][0]["path"] == "nested"
    r = api_post(client, ("a.txt", TEXT.encode()), colour="red")
    assert r.status_code == 400 and r.get_json()["detail"] == "unknown field(s): colour"


def test_a_file_longer_than_the_limits_is_refused_by_its_extracted_characters(make_app, db_url, monkeypatch) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    client = make_app(MAX_TEXT_CHARS=50, ANNOTATE_HTML_MAX_CHARS=20).test_client()
    long_docx = ("big.docx", docx_bytes("网络主权" * 15))  # 60 characters in a file of some kilobytes
    r = api_post(client, long_docx)
    assert r.status_code == 413 and r.get_json()["detail"] == "text has 60 characters; the limit is 50"
    r = page_post(client, {"action": "annotate"}, long_docx)
    assert r.status_code == 413 and "The file big.docx has 60 characters; the limit is 50." in body(r)
    r = page_post(client, {"action": "annotate"}, ("mid.docx", docx_bytes("网络主权" * 6)))
    assert r.status_code == 413 and "The file mid.docx has 24 characters; an annotated page shows at most 20." in body(
        r
    )


def test_a_request_body_over_the_configured_size_is_refused(make_app, db_url, monkeypatch) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    client = make_app(MAX_CONTENT_LENGTH=2000).test_client()
    r = api_post(client, ("big.txt", b"x" * 5000))
    assert r.status_code == 413 and r.get_json()["detail"] == "request body larger than 2000 bytes"


def test_uploads_are_charged_by_the_characters_read_not_the_bytes_sent(make_app, db_url, monkeypatch) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    client = make_app(RATELIMIT_ENABLED=True, RATELIMIT_ANNOTATE_CHARS="30 per minute").test_client()
    small_docx = ("a.docx", docx_bytes(TEXT))  # 14 characters in a file of thousands of bytes
    assert len(small_docx[1]) > 1000
    assert api_post(client, small_docx).status_code == 200
    assert api_post(client, small_docx).status_code == 200
    r = api_post(client, small_docx)
    assert r.status_code == 429 and "this text has 14" in r.get_json()["detail"]


def test_terms_download_as_csv_with_formulas_neutralised(client, terms) -> None:
    r = page_post(client, {"action": "csv", "text": TEXT + "网络主权"})
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"] == 'attachment; filename="annotated-terms.csv"'
    raw = r.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["simplified", "traditional", "pinyin", "english", "occurrences", "possible_matches", "url"]
    assert rows[1][:5] == ["网络主权", "網絡主權", "wǎngluò zhǔquán", "cyber sovereignty", "2"]
    assert rows[1][6] == "http://localhost/terms/wangluo-zhuquan"
    assert rows[2][3] == '\'=HYPERLINK("http://evil")'


def test_an_uploaded_file_downloads_as_annotated_html(client, terms) -> None:
    r = page_post(client, {"action": "download"}, ("report.pdf", FILES["report.pdf"]))
    assert r.status_code == 200 and r.headers["Content-Disposition"] == 'attachment; filename="annotated.html"'
    assert 'href="http://localhost/terms/wangluo-zhuquan"' in body(r)


def test_the_form_offers_a_file_and_both_downloads(client) -> None:
    page = body(client.get("/annotate"))
    assert '<input type="file" id="annotate-file" name="file" accept=".txt,.md,.html,.htm,.docx,.pdf' in page
    assert 'value="download">Download annotated HTML' in page and 'value="csv">Download terms as CSV' in page


def test_the_openapi_document_declares_the_multipart_upload(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    content = spec["paths"]["/api/v1/annotate"]["post"]["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    upload = spec["components"]["schemas"]["AnnotateUpload"]
    assert upload["properties"]["file"]["format"] == "binary" and upload["required"] == ["file"]


def test_a_form_sent_with_no_file_chosen_annotates_its_text(client, terms) -> None:
    """A browser sends the file field empty (no name, no bytes) when none was chosen."""
    r = page_post(client, {"action": "annotate", "text": TEXT}, ("", b""))
    assert r.status_code == 200 and "Found 2 glossary terms" in body(r) and "Read " not in body(r)

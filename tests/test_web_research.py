"""The phrase concordance and compare pages, and the issuer filter of the term page's concordance."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
from corpus_helpers import filler, write_corpus
from helpers import make_term

from glossary.models import Document
from glossary.services import corpus

DOCS = [
    {"file": "a.txt", "date": "2017-10-18", "kind": "congress-report", "issuer": "Xi Jinping",
     "text": "坚持国家安全。" * 2 + "维护主权。" + filler(1, 500)},
    {"file": "b.txt", "date": "2022-10-16", "kind": "congress-report", "issuer": "Xi Jinping",
     "text": "坚持国家安全。" * 5 + filler(2, 500)},
    {"file": "c.txt", "date": "2022", "kind": "law", "issuer": "NPC", "text": "維護國家安全。" + filler(3, 500)},
]  # fmt: skip


@pytest.fixture
def library(session, tmp_path):
    make_term(session, "国家安全", "national security")
    make_term(session, "主权", "sovereignty")
    directory = write_corpus(tmp_path / "c", DOCS, extra_columns=("issuer",))
    assert corpus.import_directory(session, directory).errors == []
    return session


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_phrase_page_lists_lines_that_link_to_their_place(client, library) -> None:
    page = _text(client.get("/concordance?q=國家安全&issuer=NPC"))
    assert "1 uses in 1 documents counted of NPC; 1 line." in page
    (href,) = re.findall(r'class="kwic-line" href="([^"]+)"', page)
    path, _, directive = href.partition("#:~:text=")
    document_id = library.scalar(sa.select(Document.id).where(Document.file == "c.txt"))
    assert path == f"/documents/{document_id}"
    assert unquote(directive) == "維護-,國家安全,-。" + DOCS[2]["text"][7:12]
    empty = client.get("/concordance")
    assert empty.status_code == 200 and "kwic-line" not in _text(empty)


def test_phrase_page_names_a_bad_phrase_or_kind(client, library) -> None:
    short = client.get("/concordance?q=国")
    assert short.status_code == 400 and "q must be at least 2 characters" in _text(short)
    kind = client.get("/concordance?q=国家安全&kind=poem")
    assert kind.status_code == 400 and "unknown document kind 'poem'" in _text(kind)


def test_compare_page_shows_each_list_and_names_bad_sides(client, library) -> None:
    page = client.get("/compare?a=year:2017,kind:congress-report&b=year:2022,kind:congress-report")
    text = _text(page)
    assert page.status_code == 200
    assert re.findall(r'<h2 id="(\w+)">', text) == ["only_a", "only_b", "rose", "fell"]
    only_a = text[text.index('id="only_a"') : text.index('id="only_b"')]
    assert ">主权</a>" in only_a
    rose = text[text.index('id="rose"') : text.index('id="fell"')]
    assert ">国家安全</a>" in rose and "标题 a.txt" in text
    bad = client.get("/compare?a=year:2017&b=kind:poem")
    assert bad.status_code == 400 and "b: cannot read 'kind:poem'" in _text(bad)
    none = client.get("/compare?a=year:1900&b=year:2022")
    assert none.status_code == 404 and "a: 'year:1900' selects no documents" in _text(none)


def test_term_concordance_filters_by_issuer(client, library) -> None:
    page = _text(client.get("/terms/guojia-anquan/concordance?issuer=NPC"))
    assert "1 line of NPC." in page and "國家安全" in page
    assert '<option value="NPC" selected>NPC (1)</option>' in page

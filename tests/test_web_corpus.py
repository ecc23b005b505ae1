"""The corpus pages on the seed glossary and a small imported corpus: the term page's
"In the corpus" section, its CSV, /documents, a document page and /trends, with their errors."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa
from corpus_helpers import filler, write_corpus

from glossary.extensions import db
from glossary.models import Document
from glossary.services import corpus

DOCS = [
    # 1954, 1000 characters: 国家安全 once inside 总体国家安全观 and once alone
    {"file": "r1954.txt", "date": "1954-09-23", "kind": "government-work-report",
     "text": "坚持总体国家安全观。" + filler(1, 985) + "国家安全。"},
    {"file": "r1958.txt", "date": "1958-02", "kind": "government-work-report", "text": filler(2, 500)},
    # 2014: a speech (traditional script, a speaker) and a law using 国家安全 23 times and 系统 (policy: never)
    {"file": "s2014.txt", "date": "2014-04-15", "kind": "speech", "title_en": "On security; speaker: Xi Jinping",
     "text": "維護國家安全。" + filler(3, 993)},
    {"file": "l2014.txt", "date": "2014", "kind": "law",
     "text": "建立系统。" + "国家安全。" * 23 + filler(4, 880)},
]  # fmt: skip


@pytest.fixture
def site(seeded, tmp_path):
    with seeded.app_context():
        report = corpus.import_directory(db.session, write_corpus(tmp_path / "c", DOCS))
        assert report.errors == [] and report.documents == 4
        ids = {d.file: d.id for d in db.session.scalars(sa.select(Document))}
    return seeded.test_client(), ids


def _text(html: str) -> str:
    cells = re.sub(r"</?(?:td|th|tr|dt|dd)\b[^>]*>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cells))


def _csv_rows(client, path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(client.get(path).get_data(as_text=True))))


def test_the_term_page_shows_the_earliest_attestation_labelled_honestly_with_counts(site) -> None:
    client, ids = site
    page = client.get("/terms/guojia-anquan").get_data(as_text=True)
    section = page[page.index('id="in-corpus"') :]
    text = _text(section)
    assert "Earliest in this library's corpus of 4 documents, 1954–2014 — not necessarily the first use" in text
    assert "23 September 1954" in text and "标题 r1954.txt" in text
    assert "坚持总体<mark>国家安全</mark>观。" in section  # the sentence, the term highlighted
    assert f'href="/documents/{ids["r1954.txt"]}#o-4-8"' in section  # the exact place
    assert "26 occurrences in 3 of 4 documents" in text
    assert "Corpus version: 4 documents, last import 20" in text
    # the summary at the top carries it too, before the definition
    head = _text(page[: page.index('class="entry-body"')])
    assert "Earliest in our corpus 23 September 1954, 标题 r1954.txt (of 4 documents)" in head


def test_the_chart_draws_years_without_documents_as_gaps_with_a_table_and_csv_beside_it(site) -> None:
    client, _ = site
    page = client.get("/terms/guojia-anquan").get_data(as_text=True)
    svg = page[page.index('<svg class="chart"') : page.index("</svg>", page.index('<svg class="chart"'))]
    assert 'role="img"' in svg and svg.count('class="gap"') == 2  # 1955–1957 and 1959–2013
    assert svg.count('class="dot"') == 2  # 1958 is a zero: on the baseline, no dot
    assert svg[svg.index('class="band"') :].count("<rect") == 3  # a bar for each year with documents
    assert "<polyline" not in svg  # no two consecutive years have documents: nothing is joined across a gap
    start = page.index('<figcaption id="corpus-chart-caption"')
    caption = _text(page[start : page.index("</figcaption>", start)])
    assert "Not used in 1 of the 3 years with documents (1958)" in caption  # said, since no dot shows it
    table = _text(page[page.index("The numbers for the 2 years it is used in") : page.index("</table>")])
    assert "the other 1 years with documents have none (every year is in the CSV and JSON)" in table
    assert "1954 2 1 1 1,000 200.0 1 government-work-report" in table
    assert "1958" not in table  # its zero row is in the CSV and JSON
    assert "2014 24 2 2 2,000 1200.0 1 law, 1 speech" in table
    assert "The corpus is uneven: 2 government-work-report, 1 law, 1 speech." in _text(page)
    assert 'href="/terms/guojia-anquan/corpus.csv"' in page
    (json_href,) = re.findall(r'href="(/api/v1/terms/guojia-anquan/attestations[^"]*)"', page)
    by_year = client.get(json_href.replace("&amp;", "&")).get_json()["by_year"]
    assert [(r["year"], r["occurrences"]) for r in by_year] == [(1954, 2), (1958, 0), (2014, 24)]


def test_the_corpus_csv_has_the_tables_numbers_and_the_corpus_version_on_every_row(site) -> None:
    client, _ = site
    response = client.get("/terms/guojia-anquan/corpus.csv")
    counted = ("matches",) * 3
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="guojia-anquan-corpus-4docs.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["year"], r["occurrences"], r["per_100k"]) for r in rows] == [
        ("1954", "2", "200.0"), ("1958", "0", "0.0"), ("2014", "24", "1200.0")]  # fmt: skip
    assert tuple(r["counted"] for r in rows) == counted
    assert {r["corpus_documents_total"] for r in rows} == {"4"} and all(r["corpus_last_import"] for r in rows)
    assert client.get("/terms/no-such-term/corpus.csv").status_code == 404


def test_entries_not_linked_in_prose_say_their_figures_are_unchecked_strings(site) -> None:
    client, _ = site
    text = _text(client.get("/terms/xitong").get_data(as_text=True))
    assert "string occurrences, sense not checked" in text and "1 occurrence" in text
    rows = _csv_rows(client, "/terms/xitong/corpus.csv")
    assert {r["counted"] for r in rows} == {"string occurrences, sense not checked"}
    assert "sense not checked" not in _text(client.get("/terms/guojia-anquan").get_data(as_text=True))


def test_the_term_page_shows_the_first_concordance_lines_and_links_to_them_all(site) -> None:
    client, ids = site
    page = client.get("/terms/guojia-anquan").get_data(as_text=True)
    assert "26 lines, the first 5 by date." in _text(page) and page.count('class="kwic-line"') == 5
    assert f'href="/documents/{ids["r1954.txt"]}#o-4-8"' in page  # date order: 1954 first
    assert '<a href="/terms/guojia-anquan/concordance">All 26 lines, with filters' in page
    assert 'href="/concordance?q=%E5%9B%BD%E5%AE%B6%E5%AE%89%E5%85%A8"' in page  # the phrase concordance


def test_the_concordance_page_is_paged_filtered_by_kind_and_each_line_is_a_permalink(site) -> None:
    client, ids = site
    first = client.get("/terms/guojia-anquan/concordance").get_data(as_text=True)
    assert "26 lines, page 1 of 2" in _text(first) and first.count('class="kwic-line"') == 20
    second = client.get("/terms/guojia-anquan/concordance?page=2").get_data(as_text=True)
    assert 'rel="next" href="/terms/guojia-anquan/concordance?page=2"' in first and 'rel="prev"' not in first
    assert second.count('class="kwic-line"') == 6 and 'rel="next"' not in second
    assert 'rel="prev" href="/terms/guojia-anquan/concordance?page=1"' in second
    assert '<ol class="kwic" start="21">' in second
    speech = client.get("/terms/guojia-anquan/concordance?kind=speech").get_data(as_text=True)
    assert "1 line in speech documents" in _text(speech)
    (href,) = re.findall(r'class="kwic-line" href="([^"]+)"', speech)
    assert href == f"/documents/{ids['s2014.txt']}#o-2-6"
    assert "維護國家安全。" in _text(speech[speech.index('class="kwic-line"') :])
    by_speaker = client.get("/terms/guojia-anquan/concordance?issuer=Xi+Jinping").get_data(as_text=True)
    assert "1 line of Xi Jinping" in _text(by_speaker)
    assert client.get("/terms/國家安全/concordance").headers["Location"] == "/terms/guojia-anquan/concordance"
    assert client.get("/terms/no-such-term/concordance").status_code == 404


def test_the_term_pages_old_concordance_links_lead_to_the_concordance_page(site) -> None:
    client, _ = site
    response = client.get("/terms/guojia-anquan?ckind=speech&cissuer=Xi+Jinping&cpage=1")
    assert response.status_code == 301
    assert response.headers["Location"] == "/terms/guojia-anquan/concordance?kind=speech&issuer=Xi+Jinping&page=1"


@pytest.mark.parametrize(
    ("path", "message"),
    [("/terms/guojia-anquan?ckind=sermon", "unknown document kind 'sermon'; use one of congress-report"),
     ("/terms/guojia-anquan?cpage=0", "cpage must be a whole number of 1 or more, not '0'"),
     ("/terms/guojia-anquan?cpage=x", "cpage must be a whole number of 1 or more, not 'x'"),
     ("/terms/guojia-anquan/concordance?kind=sermon", "unknown document kind 'sermon'; use one of congress-report"),
     ("/terms/guojia-anquan/concordance?page=0", "page must be a whole number of 1 or more, not '0'")],
)  # fmt: skip
def test_bad_concordance_parameters_are_a_400_naming_what_was_wrong(site, path: str, message: str) -> None:
    client, _ = site
    response = client.get(path)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")


def test_an_unknown_term_is_404(site) -> None:
    client, _ = site
    assert client.get("/terms/no-such-term").status_code == 404


def test_without_documents_the_section_says_so(seeded) -> None:
    page = seeded.test_client().get("/terms/guojia-anquan").get_data(as_text=True)
    assert "The library has no documents yet" in page and "Earliest in our corpus" not in page


def test_documents_are_listed_by_year_kind_and_speaker_and_searched_in_either_script(site) -> None:
    client, ids = site
    page = client.get("/documents").get_data(as_text=True)
    assert "4 documents, oldest first" in _text(page) and "Xi Jinping (1)" in page
    assert page.index("标题 r1954.txt") < page.index("标题 r1958.txt") < page.index("标题 s2014.txt")

    def titles(query: str) -> list[str]:
        return re.findall(r"标题 (\w+)\.txt", client.get(f"/documents?{query}").get_data(as_text=True))

    assert titles("kind=speech") == ["s2014"]
    assert titles("year=1958") == ["r1958"]
    assert titles("issuer=Xi+Jinping") == ["s2014"]
    assert titles("q=国家安全") == ["r1954", "l2014", "s2014"]  # 國家安全 folds; 2014 (year only) sorts first
    assert titles("q=國家安全&kind=law") == ["l2014"]
    assert titles("q=100%25") == []  # a % is a character, not a wildcard
    assert "No document matches" in client.get("/documents?q=不存在的说法").get_data(as_text=True)
    assert titles("page=2") == []


@pytest.mark.parametrize(
    ("query", "message"),
    [("kind=sermon", "unknown document kind 'sermon'"), ("year=19x4", "year must be a year such as 2017, not '19x4'"),
     ("page=-1", "page must be a whole number of 1 or more, not '-1'")],
)  # fmt: skip
def test_bad_document_filters_are_a_400_naming_what_was_wrong(site, query: str, message: str) -> None:
    client, _ = site
    response = client.get(f"/documents?{query}")
    assert response.status_code == 400 and message in response.get_data(as_text=True).replace("&#39;", "'")


def test_a_document_page_annotates_its_text_with_the_counted_matches_and_lists_its_terms(site) -> None:
    client, ids = site
    page = client.get(f"/documents/{ids['r1954.txt']}").get_data(as_text=True)
    # the outer term is a link; the nested one an anchor inside it, both where the counts put them
    assert (
        '坚持<a class="occ" id="o-2-9" href="/terms/zongti-guojia-anquanguan" title="总体国家安全观">总体'
        '<span class="occ occ-nested" id="o-4-8" title="国家安全">国家安全</span>观</a>。'
    ) in page
    assert 'id="o-995-999"' in page
    terms = _text(page[page.index('id="terms-title"') : page.index("</table>")])
    assert "2 terms, 3 occurrences" in terms and "国家安全 guójiā ānquán 2" in terms
    assert "outside copyright under Article 5 of the PRC Copyright Law" in page
    law = client.get(f"/documents/{ids['l2014.txt']}").get_data(as_text=True)
    assert law.count('class="occ"') == 24  # 23 × 国家安全 and 系统, each counted
    speech = _text(client.get(f"/documents/{ids['s2014.txt']}").get_data(as_text=True))
    assert "Speaker or issuer Xi Jinping" in speech
    assert client.get("/documents/99999").status_code == 404


def test_trends_compare_terms_with_a_chart_a_table_and_a_csv_and_a_shareable_url(site) -> None:
    client, _ = site
    page = client.get("/trends?terms=guojia-anquan,zongti-guojia-anquanguan").get_data(as_text=True)
    assert page.count('<g class="series"') == 2 and page.count('class="gap"') == 2
    table = _text(page[page.index("<table") : page.index("</table>")])
    assert "1954 1 200.0 (2; 1) 100.0 (1; 1)" in table and "2014 2 1200.0 (24; 2) 0.0 (0; 0)" in table
    assert 'href="/trends.csv?terms=guojia-anquan,zongti-guojia-anquanguan&amp;measure=per_100k"' in page
    share = _text(
        client.get("/trends?terms=guojia-anquan&measure=documents&kind=government-work-report").get_data(as_text=True)
    )
    assert "1954 1 100.0% (2; 1)" in share and "1958 1 0.0% (0; 0)" in share and "2014" not in share.split("Year")[-1]
    # headwords in either script become slugs, so the address is stable
    moved = client.get("/trends?terms=國家安全,总体国家安全观&measure=documents")
    assert moved.status_code == 302
    assert moved.headers["Location"].endswith("/trends?terms=guojia-anquan,zongti-guojia-anquanguan&measure=documents")
    rows = _csv_rows(client, "/trends.csv?terms=guojia-anquan&measure=documents")
    assert [(r["year"], r["value"], r["corpus_documents"]) for r in rows] == [
        ("1954", "1.0", "1"),
        ("1958", "0.0", "1"),
        ("2014", "1.0", "2"),
    ]
    assert {r["corpus_documents_total"] for r in rows} == {"4"}
    empty = client.get("/trends")
    assert empty.status_code == 200 and "<svg" not in empty.get_data(as_text=True).split("<main")[1]


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [("terms=guojia-anquan&measure=share", 400, "measure must be one of per_100k, documents, not 'share'"),
     ("terms=guojia-anquan&kind=sermon", 400, "unknown document kind 'sermon'"),
     ("terms=" + ",".join(["guojia-anquan"] * 9), 400, "at most 8 terms, not 9"),
     ("terms=guojia-anquan,no-such-term", 404, "no term 'no-such-term'")],
)  # fmt: skip
def test_bad_trends_requests_name_what_was_wrong(site, query: str, status: int, message: str) -> None:
    client, _ = site
    for path in ("/trends", "/trends.csv"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == status, path
        if path == "/trends" or status == 400:
            assert message in response.get_data(as_text=True).replace("&#39;", "'"), path
    assert client.get("/trends.csv").status_code == 400


def test_a_corpus_of_one_document_is_named_in_the_singular(seeded, tmp_path) -> None:
    with seeded.app_context():
        assert corpus.import_directory(db.session, write_corpus(tmp_path / "c", DOCS[:1])).documents == 1
    client = seeded.test_client()
    found = _text(client.get("/terms/guojia-anquan").get_data(as_text=True))
    assert "Earliest in this library's corpus of 1 document, 1954 — not necessarily" in found
    assert "(of 1 document)" in found
    missing = _text(client.get("/terms/wangluo-zhuquan").get_data(as_text=True))
    assert "Not found in this library's corpus of 1 document, 1954." in missing

"""Browser tests of the corpus pages (Chromium via Playwright, skipped without it): the term
page's section states its earliest attestation honestly, a concordance permalink lands on the
occurrence in the document, and the pages fit a phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from corpus_helpers import filler, write_corpus
from test_browser import browser, open_page, pytestmark, server, shot, sync_api  # noqa: F401  (fixtures shared)

DOCS = [
    {"file": "r1954.txt", "date": "1954-09-23", "kind": "government-work-report",
     "text": "坚持总体国家安全观。" + filler(1, 985) + "国家安全。"},
    {"file": "s2014.txt", "date": "2014-04-15", "kind": "speech", "title_en": "On security; speaker: Xi Jinping",
     "text": filler(3, 3000) + "維護國家安全。" + filler(5, 3000)},
]  # fmt: skip


@pytest.fixture(scope="module")
def corpus_server(server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:  # noqa: F811
    """The module's server with a two-document corpus imported."""
    from glossary.extensions import db
    from glossary.services import corpus

    url, app = server
    with app.app_context():
        report = corpus.import_directory(db.session, write_corpus(tmp_path_factory.mktemp("corpus"), DOCS))
        assert report.errors == [] and report.documents == 2
    yield url, app


def test_the_term_page_states_the_earliest_attestation_honestly(corpus_server, open_page) -> None:  # noqa: F811
    page = open_page()
    page.goto("/terms/guojia-anquan")
    section = page.locator("#in-corpus")
    label = section.locator(".earliest figcaption")
    sync_api.expect(label).to_contain_text(
        "Earliest in this library's corpus of 2 documents, 1954–2014 — not necessarily the first use"
    )
    sync_api.expect(label).to_contain_text("23 September 1954")
    sync_api.expect(section.locator(".earliest mark")).to_have_text("国家安全")
    sync_api.expect(page.locator(".summary-facts")).to_contain_text("Earliest in our corpus")
    assert page.locator(".fact-earliest dd").bounding_box()["y"] < 800  # in the first screen
    sync_api.expect(section.locator("svg.chart")).to_be_visible()
    shot(page, "term_corpus")


def test_a_concordance_permalink_lands_on_the_occurrence_in_the_document(corpus_server, open_page) -> None:  # noqa: F811
    page = open_page()
    page.goto("/terms/guojia-anquan/concordance?kind=speech")
    line = page.locator("a.kwic-line")
    sync_api.expect(line).to_have_count(1)
    href = line.get_attribute("href")
    anchor = href.split("#", 1)[1]
    line.click()
    page.wait_for_url(f"**{href}")
    target = page.locator(":target")
    sync_api.expect(target).to_have_text("國家安全")
    assert target.get_attribute("id") == anchor
    # scrolled into view (the site scrolls smoothly, so wait for the scroll to end there)
    page.wait_for_function(
        "() => { const r = document.querySelector(':target').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )
    assert page.evaluate("getComputedStyle(document.querySelector(':target')).backgroundColor") == "rgb(255, 229, 138)"
    shot(page, "document_permalink")


@pytest.mark.parametrize(
    "path",
    [
        "/terms/guojia-anquan",
        "/terms/guojia-anquan/concordance",
        "/documents",
        "/documents/1",
        "/trends?terms=guojia-anquan,zongti-guojia-anquanguan",
    ],  # fmt: skip
)
def test_corpus_pages_fit_a_phone_screen(corpus_server, open_page, path: str) -> None:  # noqa: F811
    page = open_page(width=390)
    page.goto(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a phone"
    if path in ("/terms/guojia-anquan", "/trends?terms=guojia-anquan,zongti-guojia-anquanguan"):
        # chart labels stay readable when the drawing shrinks
        size = page.evaluate(
            "(() => { const t = document.querySelector('svg.chart text.tick');"
            " return t.getBoundingClientRect().height; })()"
        )
        assert size >= 11, f"chart labels are {size}px tall on a phone"
    shot(page, "phone" + path.replace("/", "_").replace("?", "_"))

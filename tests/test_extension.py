"""The browser extension (extension/, Manifest V3) and the bookmarklet, in Debian's Chromium driven
by Playwright: the unpacked extension is loaded into a persistent context (headless=new runs
extensions) and annotates a fixture page served from another origin through a real glossary
server. A test cannot click the toolbar button (the user gesture that grants activeTab), so it
loads a copy of the extension whose manifest grants the fixture's host and calls the button's
own handler, annotateTab, in the service worker."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import FIXTURE, extension_glossary, fixture_site

CHROMIUM = Path("/usr/bin/chromium")
EXTENSION = Path(__file__).resolve().parent.parent / "extension"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="browser tests need Chromium at /usr/bin/chromium (apt-get install chromium); skipped",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install playwright)")


@pytest.fixture(scope="module")
def glossary(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """A glossary server with two terms (one only a possible match), counting annotate requests."""
    with extension_glossary(tmp_path_factory.mktemp("extension")) as served:
        yield served


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The fixture page, on an origin of its own (another port), with scripts of its own."""
    with fixture_site() as url:
        yield url


@pytest.fixture
def extension_context(tmp_path: Path) -> Iterator[tuple[object, object]]:
    copy = tmp_path / "extension"
    shutil.copytree(EXTENSION, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["host_permissions"] = ["http://127.0.0.1/*"]  # stands in for the user's click (activeTab)
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=False,
            args=[
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                f"--disable-extensions-except={copy}",
                f"--load-extension={copy}",
            ],
        )
        worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker")
        yield context, worker
        context.close()


def boxes(page) -> list[list[float]]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('h1, p, textarea, button')).map(e => {
            const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })"""
    )


def test_the_extension_annotates_on_request_without_changing_layout_or_scripts(
    extension_context, glossary, site
) -> None:
    context, worker = extension_context
    server, seen = glossary
    extension_id = worker.url.split("/")[2]
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto(f"chrome-extension://{extension_id}/options.html")
    page.get_by_label("Glossary server").fill(server + "/")
    page.get_by_role("button", name="Save").click()
    sync_api.expect(page.locator("#server-status")).to_have_text(f"Saved: pages will be annotated by {server}.")

    page.goto(site + "/")
    before = boxes(page)
    page.wait_for_timeout(500)
    assert seen == []  # nothing leaves the browser until the user asks
    worker.evaluate("async () => { const [tab] = await chrome.tabs.query({active: true}); await annotateTab(tab.id); }")
    terms = page.locator("[data-glossary-term]")
    sync_api.expect(terms).to_have_count(5)  # h1, three in #p1 (one a possible match), #narrow
    assert len(seen) == 1 and seen[0].startswith("chrome-extension://")
    assert page.locator("#p1 [data-glossary-term]").all_inner_texts() == ["网络主权", "共同富裕", "网络主权"]
    assert page.locator("#hidden [data-glossary-term], #box [data-glossary-term]").count() == 0
    assert page.locator("#box").input_value() == "网络主权在输入框里"
    assert boxes(page) == before  # the same layout, to the pixel

    low = page.locator("[data-glossary-confidence=low]")
    assert low.inner_text() == "共同富裕"
    assert low.evaluate("e => getComputedStyle(e).textDecorationStyle") == "dotted"
    assert terms.first.evaluate("e => getComputedStyle(e).textDecorationStyle") == "solid"

    card = page.locator("#glossary-card")
    page.locator("#p1 [data-glossary-term]").first.hover()
    sync_api.expect(card).to_be_visible()
    sync_api.expect(card).to_contain_text("cyber sovereignty")
    sync_api.expect(card).to_contain_text("wǎngluò zhǔquán")
    sync_api.expect(card.get_by_role("link")).to_have_attribute("href", f"{server}/terms/wangluo-zhuquan")
    box = card.bounding_box()
    viewport = page.viewport_size
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= viewport["width"] and box["y"] + box["height"] <= viewport["height"]
    low.focus()  # keyboard: a term takes focus and shows its card
    sync_api.expect(card).to_contain_text("possible match — check context")
    page.keyboard.press("Escape")
    sync_api.expect(card).to_be_hidden()

    page.locator("#count").click()  # the page's own scripts still work
    sync_api.expect(page.locator("#count")).to_have_text("1")
    page.locator("#p1 [data-glossary-term]").first.click()
    assert page.evaluate("window.paragraphClicks") == 1

    page.keyboard.press("Escape")  # the term's card would cover the button
    page.locator("#more").click()  # content loaded later is annotated too
    sync_api.expect(page.locator("#late [data-glossary-term]")).to_have_text("网络主权")
    assert len(seen) == 2
    assert errors == []


def test_sites_chosen_in_the_options_are_annotated_when_they_load(extension_context, glossary, site) -> None:
    context, worker = extension_context
    server, seen = glossary
    worker.evaluate(f"() => chrome.storage.sync.set({{server: {json.dumps(server)}, sites: [{json.dumps(site)}]}})")
    page = context.new_page()
    page.set_default_timeout(15_000)
    count = len(seen)
    page.goto(site + "/")
    sync_api.expect(page.locator("[data-glossary-term]")).to_have_count(5)
    assert len(seen) == count + 1
    worker.evaluate("() => chrome.storage.sync.set({sites: []})")
    page.goto(site + "/?again")
    page.wait_for_timeout(800)
    assert page.locator("[data-glossary-term]").count() == 0 and len(seen) == count + 1


def test_the_bookmarklet_from_the_tools_page_annotates_a_page(glossary, site) -> None:
    server, seen = glossary
    with sync_api.sync_playwright() as playwright:
        # both servers are on 127.0.0.1: Chromium's local network access check would ask the user
        # whether a page may load from "the local network", as it never does for a public server
        args = ["--headless=new", "--no-sandbox", "--disable-features=LocalNetworkAccessChecks"]
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.goto(server + "/tools")
        href = page.locator("#bookmarklet-link").get_attribute("href")
        assert href.startswith("javascript:") and f"{server}/tools/page-annotator.js" in href
        page.goto(site + "/")
        # the fixture's own CSP allows no connections: the bookmarklet needs a page that lets it fetch
        page.route(
            site + "/",
            lambda route: route.fulfill(
                body=FIXTURE.replace("connect-src 'none'", "connect-src *").replace(
                    "default-src 'self';", "default-src *;"
                ),
                content_type="text/html",
            ),
        )
        page.goto(site + "/")
        page.evaluate(href[len("javascript:") :])
        sync_api.expect(page.locator("[data-glossary-term]")).to_have_count(5)
        page.locator("[data-glossary-term]").first.hover()
        sync_api.expect(page.locator("#glossary-card a")).to_have_attribute("href", f"{server}/terms/wangluo-zhuquan")
        browser.close()


def test_the_annotate_page_reads_an_uploaded_file_with_javascript(glossary, tmp_path: Path) -> None:
    """The fetch-upgraded form sends the file too, shows its annotation, and puts its text in the box."""
    import docx

    server, _ = glossary
    document = docx.Document()
    document.add_paragraph("我们要坚持网络主权。")
    document.save(tmp_path / "speech.docx")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--headless=new", "--no-sandbox"])
        page = browser.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(server + "/annotate")
        page.get_by_label("Or upload a file").set_input_files(str(tmp_path / "speech.docx"))
        page.evaluate("window.notReloaded = true")
        page.get_by_role("button", name="Annotate", exact=True).click()
        sync_api.expect(page.locator("#annotate-status")).to_have_text(
            "Read speech.docx. Found 1 glossary term (1 occurrence)."
        )
        sync_api.expect(page.locator("#annotated a[href='/terms/wangluo-zhuquan']")).to_have_count(1)
        sync_api.expect(page.locator("#annotate-text")).to_have_value("我们要坚持网络主权。")
        assert page.get_by_label("Or upload a file").input_value() == ""
        assert page.evaluate("window.notReloaded") is True  # fetched into this page, not a new page load
        browser.close()
        assert errors == []

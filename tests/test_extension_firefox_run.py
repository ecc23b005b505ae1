"""The browser extension (extension/) running in a real Firefox: Debian's Firefox ESR, headless on a
fresh profile, driven through WebDriver BiDi (tests/firefox_bidi.py), installs the extension as a
temporary (unsigned) add-on and annotates the fixture page from another origin through a live
glossary server, the checks tests/test_extension.py makes in Chromium.

Two paths a user takes, neither needing the toolbar button (which a test cannot press):
- the toolbar button's own handler, annotateTab, called in the background page, on a copy of the
  extension whose manifest grants the fixture's host (standing in for the click's activeTab grant);
- the extension as shipped: the server and a site set on the options page by real clicks and
  keystrokes (the site's host permission asked for and granted there), the site then annotated
  when its pages load, and no longer once removed.
Skipped where firefox-esr is absent, except under CI, where that fails."""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from firefox_bidi import FIREFOX, Bidi, firefox
from live_server import extension_glossary, fixture_site

EXTENSION = Path(__file__).resolve().parent.parent / "extension"
MANIFEST = json.loads((EXTENSION / "manifest.json").read_text())
ADDON_ID = MANIFEST["browser_specific_settings"]["gecko"]["id"]
UUID = "0b6d3c1e-5f2a-4c8b-9e7d-a1b2c3d4e5f6"  # the extension's moz-extension:// host, fixed in the profile
OPTIONS = f"moz-extension://{UUID}/options.html"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(FIREFOX).exists() and not os.environ.get("CI"),  # in CI a missing browser must fail
        reason="needs Firefox ESR (apt-get install firefox-esr); skipped",
    ),
]

PROFILE = {
    "extensions.webextensions.uuids": json.dumps({ADDON_ID: UUID}),
    # permissions.request() from the options page, called on a real click, is granted without
    # the doorhanger a headless browser cannot show: the user's "Allow"
    "extensions.webextOptionalPermissionPrompts": False,
}

TERMS = "[data-glossary-term]"
CARD = "document.querySelector('[data-glossary-card]').shadowRoot.getElementById('glossary-card')"
# the toolbar button's handler, run in the background page from the options page, on the tab of `url`
ANNOTATE = """async (url) => {
    const tab = (await browser.tabs.query({})).find(t => t.url === url);
    const background = await browser.runtime.getBackgroundPage();
    await background.annotateTab(tab.id);
}"""
BOXES = """() => Array.from(document.querySelectorAll('h1, p, textarea, button')).map(e => {
    const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })"""


@pytest.fixture(scope="module")
def glossary(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    with extension_glossary(tmp_path_factory.mktemp("extension")) as served:
        yield served


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with fixture_site() as url:
        yield url


def start(extension: Path) -> Iterator[Bidi]:
    with firefox(PROFILE) as bidi:
        installed = bidi.command("webExtension.install", {"extensionData": {"type": "path", "path": str(extension)}})
        assert installed == {"extension": ADDON_ID}
        bidi.command("session.subscribe", {"events": ["log.entryAdded"]})
        yield bidi


@pytest.fixture
def granted(tmp_path: Path) -> Iterator[Bidi]:
    """Firefox with a copy of the extension whose manifest grants 127.0.0.1 (the click's activeTab)."""
    copy = tmp_path / "extension"
    shutil.copytree(EXTENSION, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["host_permissions"] = ["http://127.0.0.1/*"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    yield from start(copy)


@pytest.fixture
def shipped() -> Iterator[Bidi]:
    """Firefox with the extension as it is in extension/."""
    yield from start(EXTENSION)


def errors(bidi: Bidi, context: str) -> list[str]:
    """The page's uncaught errors, and the annotator's own reports of a failure."""
    entries = [e["params"] for e in bidi.events if e["method"] == "log.entryAdded"]
    return [
        e.get("text") or ""
        for e in entries
        if e.get("source", {}).get("context") == context
        and (e.get("level") == "error" or "Glossary annotator" in (e.get("text") or ""))
    ]


def set_server(bidi: Bidi, server: str) -> str:
    """The server typed into the options page and saved, as a user does; the options tab."""
    options = bidi.tab(OPTIONS)
    bidi.wait(options, "() => document.getElementById('server').value === 'http://127.0.0.1:5000'")
    bidi.type(options, "#server", server + "/")
    bidi.click(options, "#server-form button")
    saved = bidi.wait(options, "() => document.getElementById('server-status').textContent")
    assert saved == f"Saved: pages will be annotated by {server}."
    return options


def test_firefox_runs_the_extension_on_request_without_changing_layout_or_scripts(granted, glossary, site) -> None:
    bidi = granted
    server, seen = glossary
    count = len(seen)
    options = set_server(bidi, server)

    page = bidi.tab(site + "/")
    before = bidi.call(page, BOXES)
    # nothing leaves the browser until the user asks: give a wrongly eager extension time to show it
    bidi.call(page, "() => new Promise(r => setTimeout(r, 500))")
    assert len(seen) == count
    bidi.call(options, ANNOTATE, site + "/")
    assert bidi.wait(page, f"() => document.querySelectorAll('{TERMS}').length === 5")  # h1, three in #p1, #narrow
    assert len(seen) == count + 1 and seen[-1].startswith(f"moz-extension://{UUID}"), seen
    texts = "s => Array.from(document.querySelectorAll(s), e => e.textContent)"
    assert bidi.call(page, texts, f"#p1 {TERMS}") == ["网络主权", "共同富裕", "网络主权"]
    assert bidi.call(page, texts, f"#hidden {TERMS}, #box {TERMS}") == []
    assert bidi.call(page, "() => document.getElementById('box').value") == "网络主权在输入框里"
    assert bidi.call(page, BOXES) == before  # the same layout, to the pixel

    style = "(s) => getComputedStyle(document.querySelector(s)).textDecorationStyle"
    assert bidi.call(page, texts, "[data-glossary-confidence=low]") == ["共同富裕"]
    assert bidi.call(page, style, "[data-glossary-confidence=low]") == "dotted"
    assert bidi.call(page, style, TERMS) == "solid"

    bidi.hover(page, f"#p1 {TERMS}")
    card = bidi.wait(page, f"() => {CARD}.style.display === 'block' && {CARD}.textContent")
    assert "cyber sovereignty" in card and "wǎngluò zhǔquán" in card
    assert bidi.call(page, f"() => {CARD}.querySelector('a').href") == f"{server}/terms/wangluo-zhuquan"
    inside = f"""() => {{ const r = {CARD}.getBoundingClientRect();
        return r.x >= 0 && r.y >= 0 && r.right <= innerWidth && r.bottom <= innerHeight; }}"""
    assert bidi.call(page, inside)
    bidi.call(page, "() => document.querySelector('[data-glossary-confidence=low]').focus()")  # keyboard
    assert bidi.wait(page, f"() => {CARD}.textContent.includes('possible match — check context')")
    bidi.press(page, "\ue00c")  # Escape
    assert bidi.wait(page, f"() => {CARD}.style.display === 'none'")

    bidi.click(page, "#count")  # the page's own scripts still work
    assert bidi.call(page, "() => document.getElementById('count').textContent") == "1"
    bidi.click(page, f"#p1 {TERMS}")
    assert bidi.call(page, "() => window.paragraphClicks") == 1

    bidi.press(page, "\ue00c")  # the term's card would cover the button
    bidi.click(page, "#more")  # content loaded later is annotated too
    assert bidi.wait(page, f"() => document.querySelector('#late {TERMS}')?.textContent") == "网络主权"
    assert len(seen) == count + 2
    assert errors(bidi, page) == []


def test_firefox_annotates_the_sites_chosen_on_the_options_page_when_they_load(shipped, glossary, site) -> None:
    bidi = shipped
    server, seen = glossary
    # the server by another name than the site's host: its answers reach the extension by CORS,
    # not by a host permission, as a real glossary server's do
    server = server.replace("127.0.0.1", "localhost")
    options = set_server(bidi, server)
    bidi.type(options, "#site", "ftp://127.0.0.1/")
    bidi.click(options, "#site-form button")
    status = "() => document.getElementById('site-status').textContent"
    assert bidi.wait(options, status) == "Only http and https sites can be annotated."
    bidi.type(options, "#site", site)
    bidi.click(options, "#site-form button")  # asks for the site's host permission: granted (PROFILE)
    assert bidi.wait(options, f"() => ({status})().startsWith('Added')")
    assert bidi.call(options, status) == f"Added: pages of {site} will be annotated when they load."
    origins = bidi.call(options, "async () => (await browser.permissions.getAll()).origins")
    assert origins == ["http://127.0.0.1/*"]  # Firefox's match patterns have no port (extension/options.js)

    count = len(seen)
    page = bidi.tab(site + "/")
    assert bidi.wait(page, f"() => document.querySelectorAll('{TERMS}').length === 5")
    assert len(seen) == count + 1 and seen[-1].startswith(f"moz-extension://{UUID}"), seen
    assert bidi.call(page, "() => document.querySelector('[data-glossary-confidence=low]').textContent") == "共同富裕"
    bidi.hover(page, f"#p1 {TERMS}")
    assert bidi.wait(page, f"() => {CARD}.querySelector('a')?.href") == f"{server}/terms/wangluo-zhuquan"
    assert errors(bidi, page) == []

    bidi.click(options, "#sites button")  # "Remove": the permission is given back, the site forgotten
    assert bidi.wait(options, "() => document.querySelectorAll('#sites li').length === 0")
    assert bidi.wait(options, "async () => (await browser.permissions.getAll()).origins.length === 0")
    bidi.navigate(page, site + "/?again")
    bidi.call(page, "() => new Promise(r => setTimeout(r, 800))")  # time for a wrongly kept site to be annotated
    assert bidi.call(page, f"() => document.querySelectorAll('{TERMS}').length") == 0
    assert len(seen) == count + 1


def test_firefox_reports_a_glossary_server_it_cannot_reach_and_leaves_the_page_alone(granted, site) -> None:
    bidi = granted
    with socket.socket() as probe:  # a port nothing listens on any more
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    options = set_server(bidi, f"http://127.0.0.1:{closed}")
    page = bidi.tab(site + "/")
    bidi.call(options, ANNOTATE, site + "/")
    warning = bidi.event(lambda e: "Glossary annotator" in (e.get("text") or ""))
    assert warning["source"]["context"] == page and warning["level"] == "warn"
    assert warning["text"] == "Glossary annotator: NetworkError when attempting to fetch resource."
    assert bidi.call(page, f"() => document.querySelectorAll('{TERMS}').length") == 0

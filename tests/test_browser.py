"""Browser tests: Debian's Chromium, driven by Playwright, against a real server on the seed glossary.

They check what only a browser can: search as you type, the annotate page's cards and toggles,
the editor's live preview, that no page trips the Content-Security-Policy, and that pages fit a
phone. Skipped (with the reason shown) where /usr/bin/chromium is absent; CI installs it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from live_server import migrated_app, serving

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "browser-test-password"
SCREENSHOTS = os.environ.get("GLOSSARY_SCREENSHOTS")  # a directory to keep screenshots in, if set

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),  # in CI a missing browser must fail, not skip
        reason="browser tests need Chromium at /usr/bin/chromium (apt-get install chromium); skipped",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright (pip install playwright)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Flask]]:
    """The app on a free port of 127.0.0.1, on its own migrated and seeded SQLite database."""
    from glossary.extensions import db
    from glossary.services import interchange
    from glossary.services.auth import create_user
    from glossary.services.seed import load_seed

    app = migrated_app(tmp_path_factory.mktemp("browser"))
    with app.app_context():
        interchange.load(db.session, load_seed(), "seed", keep_existing=True)
        create_user(db.session, "editor", PASSWORD)
        db.session.commit()
    with serving(app) as url:
        yield url, app
    db.engine(app).dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def shot(page: object, name: str) -> None:
    """Keep a screenshot for a person to look at (GLOSSARY_SCREENSHOTS=dir)."""
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def open_page(browser, server) -> Iterator:
    """Opens pages in fresh browser contexts (no cookies); the test fails on any console error,
    which is also how a Content-Security-Policy violation shows up; ``expected`` names the errors a
    test provokes (by a part of their text)."""
    contexts, errors = [], []

    def make(width: int = 1280, javascript: bool = True, expected: tuple[str, ...] = (), touch: bool = False) -> object:
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            base_url=server[0],
            java_script_enabled=javascript,
            has_touch=touch,
            is_mobile=touch,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)

        def console(message: object) -> None:
            if message.type == "error" and not any(part in message.text for part in expected):
                errors.append(message.text)

        page.on("console", console)
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == []


def test_search_as_you_type_then_open_the_term(open_page) -> None:
    page = open_page()
    page.goto("/")
    box = page.get_by_label("Search in Chinese (simplified or traditional), pinyin or English")
    box.press_sequentially("cyber sov", delay=30)
    option = page.get_by_role("option").filter(has_text="网络主权")
    sync_api.expect(option).to_be_visible()
    sync_api.expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    sync_api.expect(page.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    option.click()
    page.wait_for_url("**/terms/wangluo-zhuquan")
    heading = page.get_by_role("heading", level=1)
    sync_api.expect(heading).to_contain_text("网络主权")
    assert heading.locator("[lang=zh-Hans]").count() == 1
    sync_api.expect(page.locator("dd[lang=zh-Hant]")).to_have_text("網絡主權")
    sync_api.expect(page.locator(".entry-gloss")).to_have_text("cyber sovereignty")
    sync_api.expect(page.get_by_role("button", name="Copy citation")).to_be_visible()
    sync_api.expect(page.get_by_role("link", name="JSON (glossary/1)")).to_have_attribute(
        "href", "/api/v1/terms/wangluo-zhuquan"
    )


def test_the_search_form_still_works_as_a_plain_form(open_page) -> None:
    page = open_page()
    page.goto("/")
    box = page.get_by_label("Search in Chinese (simplified or traditional), pinyin or English")
    box.fill("網絡主權")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    sync_api.expect(page.locator(".hit-title").first).to_contain_text("网络主权")


def test_annotate_links_both_scripts_shows_cards_and_opens_the_entry(open_page) -> None:
    page = open_page()
    page.goto("/annotate")
    text = "当今世界正经历百年未有之大变局。我们坚持網絡主權，维护网络主权。"
    page.get_by_label("Text", exact=True).fill(text)
    sync_api.expect(page.locator("#annotate-chars")).to_have_text(str(len(text)))
    page.get_by_role("button", name="Annotate", exact=True).click()
    sync_api.expect(page.locator("#annotate-status")).to_contain_text("Found")
    assert page.url.endswith("/annotate")  # no page load: the JavaScript path

    traditional = page.locator('#annotated a.term[data-slug="wangluo-zhuquan"]').first
    sync_api.expect(traditional).to_have_text("網絡主權", use_inner_text=True)  # as written in the text
    sync_api.expect(page.locator('#annotated a.term[data-slug="bainian-weiyou-zhi-da-bianju"]')).to_have_count(1)
    sync_api.expect(page.locator('#found-list li[data-slug="wangluo-zhuquan"] .jump')).to_have_text("Jump ×2")

    traditional.hover()
    card = page.locator("#term-card")
    sync_api.expect(card).to_be_visible()
    sync_api.expect(card).to_contain_text("wǎngluò zhǔquán")
    sync_api.expect(card).to_contain_text("cyber sovereignty")
    sync_api.expect(card).to_contain_text("First use")
    sync_api.expect(traditional).to_have_attribute("aria-describedby", "term-card")

    page.mouse.move(0, 0)
    sync_api.expect(card).to_be_hidden()
    page.locator('#annotated a.term[data-slug="bainian-weiyou-zhi-da-bianju"]').focus()  # keyboard users too
    sync_api.expect(card).to_be_visible()
    sync_api.expect(card).to_contain_text("bǎinián")
    page.keyboard.press("Escape")
    sync_api.expect(card).to_be_hidden()

    page.get_by_label("pinyin above terms").check()
    sync_api.expect(page.locator("#annotated rt").first).to_be_visible()
    page.get_by_role("button", name="Jump to the 2 occurrences of 网络主权").click()
    sync_api.expect(traditional).to_be_focused()
    page.get_by_role("button", name="Jump to the 2 occurrences of 网络主权").click()
    sync_api.expect(page.locator('#annotated a.term[data-slug="wangluo-zhuquan"]').nth(1)).to_be_focused()

    traditional.click()
    page.wait_for_url("**/terms/wangluo-zhuquan")
    sync_api.expect(page.get_by_role("heading", level=1)).to_contain_text("网络主权")


def test_on_a_touch_screen_the_first_tap_shows_the_card_and_the_second_opens_the_entry(open_page) -> None:
    page = open_page(width=390, touch=True)
    page.goto("/annotate")
    page.get_by_label("Text", exact=True).fill("我们坚持網絡主權，推进中国式现代化。")
    page.get_by_role("button", name="Annotate", exact=True).tap()
    sync_api.expect(page.locator("#annotate-status")).to_contain_text("Found")
    card = page.locator("#term-card")
    page.locator('#annotated a.term[data-slug="wangluo-zhuquan"]').tap()
    sync_api.expect(card).to_contain_text("cyber sovereignty")
    page.locator('#annotated a.term[data-slug="zhongguoshi-xiandaihua"]').tap()  # another term: its card
    sync_api.expect(card).to_contain_text("Chinese modernization")
    assert page.url.endswith("/annotate")
    assert card.get_by_role("link", name="Open entry").bounding_box()["height"] >= 24  # WCAG 2.2 target size
    card.get_by_role("link", name="Open entry").tap()
    page.wait_for_url("**/terms/zhongguoshi-xiandaihua")
    page.go_back()
    page.get_by_role("button", name="Annotate", exact=True).tap()
    term = page.locator('#annotated a.term[data-slug="wangluo-zhuquan"]')
    term.tap()
    sync_api.expect(card).to_contain_text("Open entry")
    term.tap()  # the same term again
    page.wait_for_url("**/terms/wangluo-zhuquan")


def test_with_pinyin_on_a_phone_no_term_is_split_across_lines(open_page) -> None:
    page = open_page(width=390)
    page.goto("/annotate")
    text = "当今世界正经历百年未有之大变局，我们坚持網絡主權，推进中国式现代化，实现中国梦，推进一带一路建设。" * 3
    page.get_by_label("Text", exact=True).fill(text)
    page.get_by_label("pinyin above terms").check()
    page.get_by_role("button", name="Annotate", exact=True).click()
    sync_api.expect(page.locator("#annotate-status")).to_contain_text("15 occurrences")
    lines = page.locator("#annotated a.term").evaluate_all("links => links.map(a => a.getClientRects().length)")
    assert lines == [1] * 15, lines
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_keyboard_users_can_skip_past_the_terms_in_the_text(open_page) -> None:
    page = open_page()
    page.goto("/annotate")
    page.get_by_label("Text", exact=True).fill("当今世界正经历百年未有之大变局。我们坚持網絡主權，维护网络主权。")
    page.get_by_role("button", name="Annotate", exact=True).click()
    skip = page.get_by_role("link", name="Skip to the terms found")
    sync_api.expect(skip).to_be_visible()
    skip.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # past every link in the text, into the list
    sync_api.expect(page.locator("#found-list a").first).to_be_focused()


def test_annotate_says_why_when_the_server_refuses_the_text(open_page) -> None:
    page = open_page(expected=("status of 400",))
    page.goto("/annotate")
    page.get_by_label("Text", exact=True).fill("我们坚持網絡主權。")
    page.context.clear_cookies()  # the session, and with it the form's CSRF token, expired
    page.get_by_role("button", name="Annotate", exact=True).click()
    sync_api.expect(page.locator("#annotate-status")).to_contain_text("This form has expired")
    sync_api.expect(page.locator("#annotate-result")).to_be_hidden()
    assert page.url.endswith("/annotate")


def test_lookups_and_annotation_work_without_javascript(open_page) -> None:
    page = open_page(javascript=False)
    page.goto("/")
    page.get_by_label("Search in Chinese (simplified or traditional), pinyin or English").fill("cyber sovereignty")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="网络主权 網絡主權").first.click()
    page.wait_for_url("**/terms/wangluo-zhuquan")
    page.goto("/annotate")
    page.get_by_label("Text", exact=True).fill("我们坚持網絡主權。")
    page.get_by_label("pinyin above terms").check()
    page.get_by_role("button", name="Annotate", exact=True).click()
    link = page.locator('#annotated a.term[data-slug="wangluo-zhuquan"]')
    sync_api.expect(link).to_have_count(1)
    sync_api.expect(page.locator("#annotated rt").first).to_be_visible()
    sync_api.expect(page.locator("#found-list")).to_contain_text("cyber sovereignty")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download annotated HTML").click()
    assert download.value.suggested_filename == "annotated.html"


def test_buttons_that_need_javascript_stay_hidden_without_it(open_page) -> None:
    page = open_page(javascript=False)
    page.goto("/terms/wangluo-zhuquan")
    sync_api.expect(page.locator("#cite-plain")).to_be_visible()  # the citation itself is there
    copy = page.locator("button.copy")  # in the markup, for cite.js to reveal
    sync_api.expect(copy).to_have_count(2)
    sync_api.expect(copy.first).to_be_hidden()
    sync_api.expect(copy.last).to_be_hidden()
    page.goto("/login?next=/edit/new")
    page.get_by_label("Name").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/edit/new")
    sync_api.expect(page.locator("#section-translations fieldset.row")).to_have_count(1)  # a blank row instead
    add = page.locator('button.add-row[data-add="translations"]')
    sync_api.expect(add).to_have_count(1)
    sync_api.expect(add).to_be_hidden()


def test_a_long_text_is_annotated_in_one_go_and_stays_usable(open_page) -> None:
    page = open_page()
    page.goto("/annotate")
    paragraph = (
        "当今世界正经历百年未有之大变局，我们坚持網絡主權，推进中国式现代化，"
        + "实现中国梦，推进一带一路建设，构建人类命运共同体。\n"
    )
    page.get_by_label("Text", exact=True).evaluate(  # a paste: one input event for the whole text
        "(box, text) => { box.value = text; box.dispatchEvent(new Event('input', {bubbles: true})); }",
        paragraph * 3000,  # 180,000 characters, 18,000 terms
    )
    sync_api.expect(page.locator("#annotate-chars")).to_have_text("180,000")
    page.get_by_role("button", name="Annotate", exact=True).click()
    sync_api.expect(page.locator("#annotate-status")).to_contain_text("18,000 occurrences", timeout=60_000)
    assert page.locator("#annotated a.term").count() == 18_000
    last = page.locator('#annotated a.term[data-slug="wangluo-zhuquan"]').last
    last.scroll_into_view_if_needed()
    last.hover()
    sync_api.expect(page.locator("#term-card")).to_contain_text("cyber sovereignty")
    # the page answers within the default timeouts: pinyin on (it froze for 20 s when the whole
    # text was one block), a jump back to the first occurrence with the pinyin shown, pinyin off
    page.get_by_label("pinyin above terms").check()
    sync_api.expect(last.locator("rt").first).to_be_visible()
    page.get_by_role("button", name="Jump to the 3000 occurrences of 网络主权").click()
    sync_api.expect(page.locator('#annotated a.term[data-slug="wangluo-zhuquan"]').first).to_be_focused()
    sync_api.expect(page.locator("#annotate-status")).to_have_text("Occurrence 1 of 3,000.")
    page.get_by_label("pinyin above terms").uncheck()
    sync_api.expect(last.locator("rt").first).to_be_hidden()


def test_annotate_counts_characters_and_stops_at_the_limit(open_page, server) -> None:
    app = server[1]
    limit = app.config["MAX_TEXT_CHARS"]
    app.config["MAX_TEXT_CHARS"] = 10
    try:
        page = open_page()
        page.goto("/annotate")
        sync_api.expect(page.locator("#annotate-count")).to_have_text("0 of 10 characters")
        text = page.get_by_label("Text", exact=True)
        text.fill("网络主权𠀀")  # an astral character counts once, as on the server
        sync_api.expect(page.locator("#annotate-chars")).to_have_text("5")
        annotate = page.get_by_role("button", name="Annotate", exact=True)
        sync_api.expect(annotate).to_be_enabled()
        text.fill("网络主权" * 3)
        sync_api.expect(page.locator("#annotate-chars")).to_have_text("12")
        sync_api.expect(annotate).to_be_disabled()
        sync_api.expect(page.locator("#annotate-status")).to_contain_text("longer than the limit of 10 characters")
    finally:
        app.config["MAX_TEXT_CHARS"] = limit


def test_an_editor_edits_a_term_with_live_preview_and_sees_the_revision(open_page) -> None:
    page = open_page()
    page.goto("/edit/zhongguoshi-xiandaihua")
    page.wait_for_url(re.compile(r"/login\?next="))
    page.get_by_label("Name").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/edit/zhongguoshi-xiandaihua")
    sync_api.expect(page.locator("[data-derived=traditional]")).to_have_text("中國式現代化")

    simplified = page.get_by_label("Simplified (required)")
    simplified.fill("中国式现代化道路")
    sync_api.expect(page.locator("[data-derived=traditional], #derived-list dd[lang=zh-Hant]").first).to_have_text(
        "中國式現代化道路"
    )
    sync_api.expect(page.get_by_label("Traditional")).to_have_attribute("placeholder", "中國式現代化道路")
    simplified.fill("中国式现代化")

    page.get_by_role("button", name="Add another translation").click()
    rows = page.locator("#section-translations fieldset.row")
    new_row = rows.last
    new_row.get_by_label("Rendering").fill("Chinese path to modernization")
    new_row.get_by_label("Status").select_option("alternative")
    page.get_by_label("Summary of this change").fill("add a rendering")
    page.get_by_role("button", name="Save as a new revision").click()

    page.wait_for_url("**/terms/zhongguoshi-xiandaihua")
    sync_api.expect(page.locator(".flash-success")).to_contain_text("as revision 2")
    sync_api.expect(page.locator(".translations").first).to_contain_text("Chinese path to modernization")
    page.get_by_role("link", name="Revision history").click()
    sync_api.expect(page.locator(".revisions")).to_contain_text("add a rendering")
    page.get_by_role("link", name="Revision 2").click()
    sync_api.expect(page.locator("table.diff ins")).to_contain_text("en · alternative: Chinese path to modernization")
    sync_api.expect(page.get_by_role("button", name="Restore revision 2")).to_have_count(0)  # it is current


def test_new_term_preview_warns_of_a_form_another_term_owns(open_page) -> None:
    page = open_page()
    page.goto("/login?next=/edit/new")
    page.get_by_label("Name").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/edit/new")
    sync_api.expect(page.locator("#preview-button")).to_be_hidden()  # JavaScript previews live
    page.get_by_label("Simplified (required)").fill("网络主权")
    sync_api.expect(page.locator("#derived-clashes")).to_contain_text("is already a form of wangluo-zhuquan")
    sync_api.expect(page.get_by_label("Pinyin")).to_have_attribute("placeholder", "wǎngluò zhǔquán")
    page.get_by_label("Pinyin").fill("wǎng luò zhǔ quán")  # saving would build the slug from this
    sync_api.expect(page.get_by_label("Slug", exact=True)).to_have_attribute("placeholder", "wang-luo-zhu-quan")
    sync_api.expect(page.locator("#derived-list code")).to_have_text("wang-luo-zhu-quan")
    sync_api.expect(page.locator("#derived-list")).to_contain_text("Slug, from your pinyin")
    font = "dd => getComputedStyle(dd).fontFamily"
    assert page.locator('#derived-list dd[lang="zh-Hant"]').evaluate(font).startswith('"Noto Serif CJK')
    assert "Serif CJK" not in page.locator('#derived-list dd[lang="zh-Latn-pinyin"]').evaluate(font)  # Latin type


def test_timeline_points_link_to_terms(open_page) -> None:
    page = open_page()
    page.goto("/timeline")
    point = page.locator("svg.timeline-chart a.point").first
    sync_api.expect(point).to_be_visible()
    href = point.get_attribute("href")
    point.click()
    page.wait_for_url(f"**{href}")
    assert re.search(r"/terms/[a-z0-9-]+$", page.url)


def contrast(page: object, selector: str) -> float:
    """WCAG contrast of an element's text colour against the page background."""
    colours = page.evaluate(
        """s => [getComputedStyle(document.querySelector(s)).color, getComputedStyle(document.body).backgroundColor]""",
        selector,
    )

    def luminance(css: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted(map(luminance, colours), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_404_page_is_readable(open_page) -> None:
    page = open_page(expected=("status of 404",))
    page.goto("/terms/no-such-term")
    sync_api.expect(page.locator(".error-code")).to_have_text("404")
    assert contrast(page, ".error-code") >= 4.5


@pytest.mark.parametrize("path", ["/", "/terms/wangluo-zhuquan", "/annotate", "/timeline", "/sources", "/terms"])
def test_pages_fit_a_phone_screen(open_page, path: str) -> None:
    page = open_page(width=390)
    page.goto(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a phone"
    shot(page, "phone" + path.replace("/", "_"))


def _sign_in_to(page, path: str) -> None:
    page.goto(f"/login?next={path}")
    page.get_by_label("Name").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{path}")


def test_editor_errors_show_beside_each_field_as_it_is_typed_and_after_saving(open_page) -> None:
    """The defect: errors came only after submit, listed at the top. Now a field says what is wrong
    when it is left, beside it, announced through aria-describedby; a server-side error after
    saving is beside its field too."""
    page = open_page(expected=("status of 422",))  # the refused save
    _sign_in_to(page, "/edit/new")
    page.get_by_label("Simplified (required)").fill("数字中国")
    date = page.locator("#f-first_use-date")
    date.fill("June 2010")
    date.press("Tab")
    error = page.locator("#err-first_use-date")
    sync_api.expect(error).to_have_text("Use YYYY, YYYY-MM or YYYY-MM-DD.")
    sync_api.expect(date).to_have_attribute("aria-invalid", "true")
    assert "err-first_use-date" in date.get_attribute("aria-describedby").split()
    assert page.locator("#error-summary").count() == 0 and page.url.endswith("/edit/new")  # not submitted
    date.fill("2015-12")
    sync_api.expect(error).to_have_text("")  # cleared as soon as it is right
    sync_api.expect(date).not_to_have_attribute("aria-invalid", "true")

    row = page.locator("#section-translations fieldset.row").first
    row.get_by_label("Source").fill("aspi-2021")  # a row with a source but no rendering
    row.get_by_label("Source").press("Tab")
    sync_api.expect(page.locator("#err-translations-0-text")).to_have_text("Required (or tick Remove).")
    page.get_by_role("button", name="Save").click()  # refused in the page: focus goes to the field
    sync_api.expect(row.get_by_label("Rendering")).to_be_focused()
    row.get_by_label("Rendering").fill("Digital China")
    row.get_by_label("Source").fill("no-such-source")  # only the server knows the sources
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    beside = page.locator("#err-translations-0-source")
    sync_api.expect(beside).to_have_text("unknown source 'no-such-source'")
    sync_api.expect(page.locator("#f-translations-0-source")).to_have_attribute("aria-invalid", "true")
    sync_api.expect(page.locator("#error-summary")).not_to_contain_text("unknown source")
    sync_api.expect(page.locator("#error-summary a")).to_have_text("Translation 1: Source")


def test_tags_become_tokens_and_a_tag_typed_with_a_space_is_hyphenated(open_page, server) -> None:
    """The defect: tags were split on spaces, so "party building" became two tags."""
    page = open_page()
    _sign_in_to(page, "/edit/new")
    page.get_by_label("Simplified (required)").fill("党建引领")
    tags = page.get_by_label("Tags", exact=True)
    tags.fill("party building")
    tags.press("Enter")
    sync_api.expect(page.locator(".tokens .token")).to_have_text(["party-building×"])
    sync_api.expect(page.locator("#tags-note")).to_contain_text("“party building” becomes party-building")
    tags.fill("Cyber,")
    tags.press_sequentially("bad_tag")
    tags.press("Tab")
    sync_api.expect(page.locator(".tokens .token span")).to_have_text(["party-building", "cyber"])
    sync_api.expect(page.locator("#err-tags")).to_contain_text("“bad_tag” is not a tag")
    sync_api.expect(tags).to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Remove tag cyber").click()
    tags.fill("")
    tags.press("Tab")
    sync_api.expect(page.locator("#err-tags")).to_have_text("")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/terms/**")
    sync_api.expect(page.locator(".flash-success")).to_contain_text("as revision 1")
    sync_api.expect(page.locator("ul.tags li")).to_have_text(["#party-building"])  # one tag, not two


def test_without_javascript_tags_are_typed_with_commas_and_errors_stay_beside_fields(open_page) -> None:
    page = open_page(javascript=False, expected=("status of 422",))
    _sign_in_to(page, "/edit/new")
    page.get_by_label("Simplified (required)").fill("党建工作")
    date = page.locator("#f-first_use-date")
    date.fill("June 2010")
    page.get_by_label("Tags", exact=True).fill("party building, rule-of-law")
    page.get_by_role("button", name="Save").click()  # the browser's own check (the pattern) stops it
    assert date.evaluate("input => input.validity.patternMismatch") and page.url.endswith("/edit/new")
    date.fill("2015")
    page.locator("#f-first_use-source").fill("no-such-source")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    sync_api.expect(page.locator("#err-first_use-source")).to_have_text("unknown source 'no-such-source'")
    sync_api.expect(page.locator("#f-first_use-source")).to_have_attribute("aria-invalid", "true")
    sync_api.expect(page.locator("#note-tags")).to_contain_text("“party building” becomes party-building")
    sync_api.expect(page.get_by_label("Tags", exact=True)).to_have_value("party-building, rule-of-law")
    page.locator("#f-first_use-source").fill("")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/terms/**")
    sync_api.expect(page.locator("ul.tags li")).to_have_text(["#party-building", "#rule-of-law"])

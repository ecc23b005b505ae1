"""Browser tests of issue 18's reading defects (Chromium via Playwright, skipped without it):
pinyin over each character, low-confidence matches, traditional type, the term card, the
annotate result, phones and the term page's summary. Few page loads, several checks each."""

from __future__ import annotations

import re

import pytest
from test_browser import browser, open_page, pytestmark, server, shot, sync_api  # noqa: F401  (fixtures shared)


def _colour(css: str) -> tuple[float, float, float]:
    return tuple(int(c) / 255 for c in re.findall(r"\d+", css)[:3])  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_on_own_background(locator: object) -> float:
    """WCAG contrast of an element's text against the first opaque background behind it."""
    colours = locator.evaluate(
        """node => {
            const colour = getComputedStyle(node).color;
            for (let n = node; n; n = n.parentElement) {
                const bg = getComputedStyle(n).backgroundColor;
                if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return [colour, bg];
            }
            return [colour, 'rgb(255, 255, 255)'];
        }"""
    )
    light, dark = sorted((_luminance(_colour(c)) for c in colours), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_pinyin_sits_over_each_character_readable_and_the_choice_is_remembered(open_page) -> None:  # noqa: F811
    page = open_page(width=390)
    page.goto("/annotate")
    page.get_by_label("Text", exact=True).fill("我们坚持網絡主權，推进中国式现代化。")
    page.get_by_label("pinyin above terms").check()
    page.get_by_role("button", name="Annotate", exact=True).click()
    sync_api.expect(page.locator("#annotate-status")).to_contain_text("Found")
    term = page.locator('#annotated a.term[data-slug="wangluo-zhuquan"]')
    sync_api.expect(term.locator("rt")).to_have_text(["wǎng", "luò", "zhǔ", "quán"])
    boxes = [term.locator("rt").nth(i).bounding_box() for i in range(4)]
    assert all(a["x"] + a["width"] <= b["x"] + 1 for a, b in zip(boxes, boxes[1:], strict=False))  # side by side
    rt = term.locator("rt").first
    assert float(rt.evaluate("n => parseFloat(getComputedStyle(n).fontSize)")) >= 12
    assert contrast_on_own_background(rt) >= 4.5  # WCAG AA, on the term's tint
    shot(page, "annotate-pinyin-phone")
    page.goto("/annotate")  # a fresh load (not a reload, which restores the form): remembered
    sync_api.expect(page.get_by_label("pinyin above terms")).to_be_checked()
    page.get_by_label("pinyin above terms").uncheck()
    page.goto("/annotate")
    sync_api.expect(page.get_by_label("pinyin above terms")).not_to_be_checked()


def test_possible_matches_look_different_and_the_card_says_so_and_links_the_entry(open_page) -> None:  # noqa: F811
    page = open_page()
    page.goto("/annotate")
    text = "我们坚持网络\n主权。" + "推进中国式现代化，加快发展新质生产力。\n" * 12  # the result starts below the fold
    page.get_by_label("Text", exact=True).fill(text)
    page.get_by_role("button", name="Annotate", exact=True).click()
    title = page.locator("#result-title")
    sync_api.expect(title).to_be_focused()  # taken to the result, which was off-screen
    sync_api.expect(title).to_be_in_viewport()  # retried: the scroll there is smooth (it takes a while)
    sync_api.expect(title).to_contain_text("3 terms, 25 occurrences, 1 only a possible match")
    legend = page.get_by_role("list", name="Legend")
    sync_api.expect(legend).to_contain_text("possible match — check context")

    possible = page.locator('#annotated a.term-low[data-slug="wangluo-zhuquan"]')
    card = page.locator("#term-card")
    page.mouse.move(0, 0)  # not resting on a term of the text, which scrolled under it
    page.keyboard.press("Tab")  # from the result's heading: the skip link, then the first term
    page.keyboard.press("Tab")
    sync_api.expect(possible).to_be_focused()
    sync_api.expect(card).to_contain_text("possible match — check context")
    page.keyboard.press("Escape")
    style = possible.evaluate("a => [getComputedStyle(a).borderBottomStyle, getComputedStyle(a).color]")
    assert style == ["dotted", "rgb(91, 96, 102)"]  # dotted and muted
    sure = page.locator('#annotated a.term-high[data-slug="xinzhi-shengchanli"]').first
    assert sure.evaluate("a => getComputedStyle(a).borderBottomStyle") == "solid"
    listed = page.locator('#found-list li[data-slug="wangluo-zhuquan"]')
    sync_api.expect(listed).to_be_hidden()  # not in the list unless asked for
    sync_api.expect(page.locator("#found-terms")).to_contain_text("1 possible match not listed")
    page.get_by_label("possible matches in the list of terms").check()
    sync_api.expect(listed).to_be_visible()
    sync_api.expect(listed).to_contain_text("only a possible match")

    sure.hover()
    sync_api.expect(card).to_contain_text("Official English: new quality productive forces")
    sync_api.expect(card).to_contain_text("xīnzhì shēngchǎnlì")
    definition = card.locator(".card-definition")
    sync_api.expect(definition).to_contain_text("Xi Jinping")
    assert definition.inner_text().count(". ") == 0  # one sentence
    box, view = card.bounding_box(), page.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= view["width"]
    card.get_by_role("link", name="Open entry").click()  # the pointer moves onto the card: it stays
    page.wait_for_url("**/terms/xinzhi-shengchanli")


def test_the_card_stays_inside_a_narrow_phone_screen(open_page) -> None:  # noqa: F811
    page = open_page(width=360, touch=True)
    page.goto("/annotate")
    page.get_by_label("Text", exact=True).fill("今天我们在这里继续推进中国式现代化，网络主权")
    page.get_by_role("button", name="Annotate", exact=True).tap()
    card = page.locator("#term-card")
    for slug in ("zhongguoshi-xiandaihua", "wangluo-zhuquan"):
        page.locator(f'#annotated a.term[data-slug="{slug}"]').tap()
        sync_api.expect(card.get_by_role("link", name="Open entry")).to_be_visible()
        box = card.bounding_box()  # relative to the viewport
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, (slug, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"], (slug, box)
        assert card.get_by_role("link", name="Open entry").bounding_box()["height"] >= 44
    shot(page, "annotate-card-phone")


def test_traditional_and_regional_forms_use_a_traditional_font_stack(open_page) -> None:  # noqa: F811
    page = open_page()
    page.goto("/terms/wangluo-zhuquan")
    page.evaluate(  # a Hong Kong form, as the page would show one (the seed has none)
        """() => { const s = document.createElement('span'); s.className = 'hanzi'; s.lang = 'zh-Hant-HK';
                   s.id = 'hk'; s.textContent = '網絡主權'; document.querySelector('dl.scripts').append(s); }"""
    )
    font = "n => getComputedStyle(n).fontFamily.split(',')[0]"
    assert page.locator("h1 [lang=zh-Hans]").evaluate(font) == '"Noto Serif CJK SC"'
    assert page.locator("dd[lang=zh-Hant]").evaluate(font) == '"Noto Serif CJK TC"'
    assert page.locator("dd[lang=zh-Hant-TW]").evaluate(font) == '"Noto Serif CJK TC"'
    assert page.locator("#hk").evaluate(font) == '"Noto Serif CJK HK"'
    assert page.locator(".entry-pinyin").evaluate(font) != '"Noto Serif CJK TC"'


PHONE_PAGES = [
    "/",
    "/terms",
    "/terms/wangluo-zhuquan",
    "/terms/wangluo-zhuquan/history",
    "/terms/renlei-mingyun-gongtongti",  # a long URL in its first-use note once widened it
    "/search?q=网络",
    "/search?q=nothing-matches-this",
    "/annotate",
    "/timeline",
    "/sources",
    "/sources/aspi-2021-cyber-vision",
    "/documents",
    "/trends",
    "/login",
    "/no-such-page",
]


def test_a_phone_gets_a_compact_header_finger_sized_targets_and_the_whole_timeline(open_page) -> None:  # noqa: F811
    page = open_page(width=390, touch=True)
    page.goto("/annotate")
    height = page.locator("header.site").bounding_box()["height"]
    print(f"header at 390 px: {height:.0f} px tall")
    assert height <= 110, height  # it was 189
    targets = page.locator("header.site a, header.site button, header.site input, main button, .options label")
    small = targets.evaluate_all(
        "ns => ns.filter(n => n.getClientRects().length && n.getBoundingClientRect().height < 44).map(n => n.outerHTML)"
    )
    assert small == []
    sync_api.expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Sources")).to_be_attached()
    shot(page, "phone-annotate-header")

    page.goto("/timeline")
    ticks = page.locator("svg.timeline-chart text.tick")
    last = ticks.last.bounding_box()
    assert last["x"] + last["width"] <= 390, last  # the latest years are on screen, not scrolled away
    assert page.locator(".timeline-scroll").evaluate("n => n.scrollWidth <= n.clientWidth")
    assert ticks.first.evaluate("t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a") >= 11
    shot(page, "phone-timeline")


def test_no_page_scrolls_sideways_on_a_360_px_phone(open_page) -> None:  # noqa: F811
    page = open_page(width=360, expected=("status of 404",))
    wide = {}
    for path in PHONE_PAGES:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide[path] = overflow
    page.goto("/annotate")
    page.get_by_label("Text", exact=True).fill(
        "当今世界正经历百年未有之大变局，我们坚持網絡主權，推进中国式现代化。" * 4
    )
    page.get_by_label("pinyin above terms").check()
    page.get_by_role("button", name="Annotate", exact=True).click()
    sync_api.expect(page.locator("#annotate-status")).to_contain_text("Found")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        wide["/annotate (result)"] = overflow
    assert wide == {}, f"pages wider than 360 px: {wide}"


@pytest.fixture(scope="module")
def with_corpus(server, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, object]:  # noqa: F811
    """The module's server with a one-document corpus attesting 新质生产力."""
    from corpus_helpers import filler, write_corpus

    from glossary.extensions import db
    from glossary.services import corpus

    docs = [{"file": "r2024.txt", "date": "2024-03-05", "kind": "government-work-report",
             "text": filler(1, 500) + "加快发展新质生产力。" + filler(2, 500)}]  # fmt: skip
    with server[1].app_context():
        report = corpus.import_directory(db.session, write_corpus(tmp_path_factory.mktemp("corpus"), docs))
        assert report.errors == [] and report.documents == 1
    return server


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_the_term_pages_summary_fits_the_first_screen(with_corpus, open_page, width: int, height: int) -> None:  # noqa: F811
    page = open_page(width=width, touch=width < 500)
    page.set_viewport_size({"width": width, "height": height})
    response = page.goto("/terms/xinzhi-shengchanli")
    size = len(response.body())
    print(f"term page HTML at {width}x{height}: {size:,} bytes")
    assert size <= 60_000
    summary = page.get_by_role("banner", name="Summary").or_(page.locator("header.summary"))
    facts = {
        "simplified": page.locator("h1 [lang=zh-Hans]"),
        "traditional": summary.locator("dd[lang=zh-Hant]"),
        "pinyin": summary.locator(".entry-pinyin"),
        "official English": summary.locator(".fact-official dd"),
        "definition": summary.locator(".fact-definition dd"),
        "first use": summary.locator(".fact-first-use dd"),
        "earliest in our corpus": summary.locator(".fact-earliest dd"),
        "kind": summary.locator("a.kind"),
        "tags": summary.locator("ul.tags"),
    }
    sync_api.expect(facts["official English"]).to_contain_text("new quality productive forces")
    sync_api.expect(summary.locator(".fact-earliest dt")).to_have_text("Earliest in our corpus")
    sync_api.expect(facts["earliest in our corpus"]).to_contain_text("5 March 2024")
    below = {
        name: box["y"] + box["height"]
        for name, f in facts.items()
        if (box := f.bounding_box())["y"] + box["height"] > height
    }
    assert below == {}, f"below the first screen at {width}x{height}: {below}"
    shot(page, f"term-summary-{width}")

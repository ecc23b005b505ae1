"""Browser tests of issue 18's reading defects (Chromium via Playwright, skipped without it):
pinyin over each character, low-confidence matches, traditional type, the term card, the
annotate result, phones and the term page's summary. Few page loads, several checks each."""

from __future__ import annotations

import re

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

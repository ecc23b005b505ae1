"""Every page in Chromium (Playwright, skipped without it): axe-core finds no serious or critical
accessibility problem, and a screenshot of each at desktop (1280x800) and phone (390x844) size
goes to GLOSSARY_SCREENSHOTS (CI keeps test-artifacts/screenshots). Also the API reference
(Swagger UI served by the app, no request leaves the server) and the term page's folded sections."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from corpus_helpers import filler, write_corpus
from test_browser import PASSWORD, browser, open_page, pytestmark, server, shot, sync_api  # noqa: F401  (fixtures shared)

axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="needs axe-playwright-python (axe-core)")

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
DOCS = [
    {"file": "r2017.txt", "date": "2017-10-18", "kind": "congress-report", "title_en": "Report to the 19th Congress",
     "text": filler(1, 400) + "推动构建人类命运共同体，维护网络主权。" + filler(2, 400)},
    {"file": "r2022.txt", "date": "2022-10-16", "kind": "congress-report", "title_en": "Report to the 20th Congress",
     "text": filler(3, 400) + "以中国式现代化全面推进中华民族伟大复兴，构建人类命运共同体。" + filler(4, 400)},
    {"file": "s2021.txt", "date": "2021-07-01", "kind": "speech", "title_en": "Centenary speech; speaker: Xi Jinping",
     "text": filler(5, 300) + "实现中华民族伟大复兴。" + filler(6, 300)},
]  # fmt: skip
PUBLIC = {
    "home": "/",
    "term": "/terms/renlei-mingyun-gongtongti",
    "search": "/search?q=sovereignty",
    "search-none": "/search?q=nothing-matches-this",
    "browse": "/terms",
    "documents": "/documents",
    "document": "/documents/1",
    "trends": "/trends?terms=renlei-mingyun-gongtongti,zhonghua-minzu-weida-fuxing",
    "compare": "/compare?a=year:2017&b=year:2022",
    "concordance": "/concordance?q=命运共同体",
    "term-concordance": "/terms/renlei-mingyun-gongtongti/concordance",
    "sources": "/sources",
    "source": "/sources/aspi-2021-cyber-vision",
    "timeline": "/timeline",
    "history": "/terms/wangluo-zhuquan/history",
    "api-docs": "/api/docs",
}
EDITOR = {"editor-new": "/edit/new", "editor-term": "/edit/wangluo-zhuquan", "review-first-use": "/review/first-use",
          "review-candidates": "/candidates"}  # fmt: skip


@pytest.fixture(scope="module")
def site(server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:  # noqa: F811
    """The module's server with a three-document corpus, so the corpus pages have something to show."""
    from glossary.extensions import db
    from glossary.services import corpus

    url, app = server
    with app.app_context():
        report = corpus.import_directory(db.session, write_corpus(tmp_path_factory.mktemp("corpus"), DOCS))
        assert report.errors == [] and report.documents == 3
    yield url, app


def serious(page: object) -> list[str]:
    """axe-core's serious and critical violations on the page as it stands, one line each."""
    results = axe.Axe().run(page).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:4]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def look(page: object, name: str) -> list[str]:
    """axe at desktop size, then a screenshot at each size."""
    found = serious(page)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"{name}-{size}")
    return found


def wait_for_scripts(page: object, name: str) -> None:
    if name == "api-docs":  # Swagger UI parses 1.6 MB of script first: slow on a busy machine
        sync_api.expect(page.locator(".opblock").first).to_be_visible(timeout=60_000)


@pytest.mark.parametrize("name", list(PUBLIC))
def test_public_pages_pass_axe(site, open_page, name: str) -> None:  # noqa: F811
    page = open_page()
    response = page.goto(PUBLIC[name])
    assert response.status == 200, name
    wait_for_scripts(page, name)
    found = look(page, name)
    assert found == [], "\n".join(found)


def test_the_annotate_page_and_its_result_pass_axe(site, open_page) -> None:  # noqa: F811
    page = open_page(expected=("status of 422",))  # the bad date, refused
    page.goto("/annotate")
    assert look(page, "annotate") == []
    page.get_by_label("Text", exact=True).fill("我们坚持网络\n主权，推动构建人类命运共同体。" * 3)
    page.get_by_label("pinyin above terms").check()
    page.get_by_role("button", name="Annotate", exact=True).click()
    sync_api.expect(page.locator("#annotate-status")).to_contain_text("Found")
    assert look(page, "annotate-result") == []
    # a dated text; then a bad date (past the browser's own pattern check): the server's message
    page.get_by_label("Date of the text").fill("2016")
    page.get_by_role("button", name="Annotate", exact=True).click()
    sync_api.expect(page.locator("#annotate-status")).to_contain_text("Found")
    page.locator("#annotate-date").evaluate("input => input.removeAttribute('pattern')")
    page.get_by_label("Date of the text").fill("2016-7")
    page.get_by_role("button", name="Annotate", exact=True).click()
    sync_api.expect(page.locator("#annotate-status")).to_contain_text("Date of the text: “2016-7” is not a date")
    assert look(page, "annotate-bad-date") == []


def test_editor_and_review_pages_pass_axe(site, open_page) -> None:  # noqa: F811
    page = open_page()
    page.goto("/login")
    assert look(page, "login") == []
    page.get_by_label("Name").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/edit")
    found = {}
    for name, path in EDITOR.items():
        page.set_viewport_size({"width": 1280, "height": 800})
        assert page.goto(path).status == 200, path
        found[name] = look(page, name)
    assert found == dict.fromkeys(EDITOR, [])


def test_api_reference_renders_every_operation_with_examples_from_the_server_alone(site, open_page) -> None:  # noqa: F811
    url, app = site
    page = open_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto("/api/docs")
    operations = page.locator(".opblock")
    sync_api.expect(operations.first).to_be_visible(timeout=60_000)
    spec = page.request.get("/api/v1/openapi.json").json()
    count = sum(len(ops) for ops in spec["paths"].values())
    sync_api.expect(operations).to_have_count(count)
    sync_api.expect(page.locator(".opblock-summary-path", has_text="/api/v1/terms/{key}").first).to_be_visible()
    assert "`" not in page.locator("#swagger-ui").inner_text()  # descriptions rendered, not raw Markdown

    term = page.locator(".opblock-get", has=page.locator('[data-path="/api/v1/terms/{key}"]')).first
    term.locator(".opblock-summary").click()
    sync_api.expect(term.locator(".parameters input[placeholder='key']")).to_be_visible()
    example = term.locator(".parameter__example, .example").first  # the request's example value
    sync_api.expect(example).to_contain_text("wangluo-zhuquan")
    response = term.locator(".responses-table .response[data-code='200']")
    sync_api.expect(response.locator(".microlight, .highlight-code").first).to_contain_text('"simplified"')

    annotate = page.locator(".opblock-post", has=page.locator('[data-path="/api/v1/annotate"]')).first
    annotate.locator(".opblock-summary").click()
    sync_api.expect(
        annotate.locator(".body-param__example, .opblock-description-wrapper + div .microlight").first
    ).to_be_visible()
    shot(page, "api-docs-expanded")
    outside = [r for r in requested if not r.startswith((url, "data:"))]
    assert outside == []


def test_the_term_page_folds_long_sections_under_counted_summaries(site, open_page) -> None:  # noqa: F811
    page = open_page(width=390, touch=True)
    page.set_viewport_size({"width": 390, "height": 844})
    response = page.goto("/terms/renlei-mingyun-gongtongti")
    assert len(response.body()) <= 60_000
    folded = page.locator("#tr-title ~ details.more")
    sync_api.expect(folded).to_have_count(1)
    sync_api.expect(folded.locator("summary")).to_have_text("5 more languages (7 renderings)")
    sync_api.expect(folded.locator("h3").first).to_be_hidden()
    folded.locator("summary").tap()
    sync_api.expect(folded.locator("h3").first).to_be_visible()
    excerpts = page.locator("#ex-title ~ details.more summary")
    sync_api.expect(excerpts).to_contain_text("more excerpts from")
    sync_api.expect(page.locator("#chars-title")).to_be_attached()
    rows = page.locator("ul.char-list > li")
    sync_api.expect(rows).to_have_count(7)  # 人类命运共同体
    sync_api.expect(rows.first.locator(".pinyin")).to_have_text("rén")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    shot(page, "term-folded-phone")

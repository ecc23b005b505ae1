"""Public pages: home, search, browse, term, sources, timeline, errors, and what every page must not do."""

from __future__ import annotations

import re

import pytest
from helpers import make_source, make_term

from glossary.extensions import db
from glossary.services.timeline import Point, date_span
from glossary.web import pages
from glossary.web.timeline import label_width, layout

PAGES = ("/", "/search?q=sovereignty", "/terms", "/terms/wangluo-zhuquan", "/sources", "/timeline", "/annotate")


@pytest.fixture
def glossary(session) -> None:
    """A small glossary: sourced terms, a relation, a first use, a draft."""
    make_source(
        session,
        id="aspi-2021",
        title="China's cyber vision",
        author="Nathan Attrill; Audrey Fritz",
        publisher="Australian Strategic Policy Institute",
        date="2021-11",
        url="https://example.org/cyber-vision",
    )
    make_source(session, id="xinhua-2015", title="Xinhua report", date="2015-12-16", language="zh-Hans")
    make_term(
        session,
        "人类命运共同体",
        "community with a shared future for mankind",
        kind="formulation",
        tags=["diplomacy"],
        first_use={"date": "2012-11", "source": "aspi-2021", "locator": "p. 4"},
    )
    make_term(
        session,
        "网络主权",
        translations=[
            {"lang": "en", "text": "cyber sovereignty", "status": "preferred", "source": "aspi-2021"},
            {"lang": "en", "text": "internet sovereignty", "status": "official", "from": "2010-06", "until": "2015"},
            {"lang": "en", "text": "network sovereignty", "status": "deprecated"},
            {"lang": "fr", "text": "souveraineté numérique", "status": "alternative"},
        ],
        forms=[{"text": "網路主權", "tag": "zh-TW"}],
        tags=["cyber", "sovereignty"],
        definitions=[{"lang": "en", "text": "The principle that *each* country governs its own cyberspace."}],
        first_use={"date": "2010-06", "source": "aspi-2021", "locator": "p. 9", "note": "A State Council white paper."},
        excerpts=[
            {"source": "aspi-2021", "text": "Cyber sovereignty is a natural extension.", "locator": "p. 9"},
            {"source": "xinhua-2015", "text": "尊重网络主权", "translation": "respect cyber sovereignty"},
        ],
    )
    make_term(
        session,
        "网络空间命运共同体",
        "community of common destiny in cyberspace",
        tags=["cyber"],
        related=[{"slug": "renlei-mingyun-gongtongti", "type": "narrower"}],
        first_use={"date": "2015-12-16", "source": "xinhua-2015"},
    )
    make_term(session, "一国两制", "one country, two systems", kind="policy", tags=["taiwan-hk"])
    make_term(session, "秘密草稿", "a secret draft", status="draft", tags=["cyber"])


def body(response) -> str:
    return response.get_data(as_text=True)


# home, search, browse


def test_home_offers_search_recent_entries_and_browsing_by_kind_and_tag(client, glossary) -> None:
    r = client.get("/")
    html = body(r)
    assert r.status_code == 200
    assert 'action="/search"' in html and 'name="q"' in html
    assert 'data-suggest="/api/v1/search"' in html  # search as you type
    assert "Recently added and changed" in html and "网络主权" in html and "added" in html
    assert 'href="/terms?kind=policy"' in html and 'href="/terms?tag=cyber"' in html
    assert "秘密草稿" not in html and "a secret draft" not in html


def test_search_shows_chinese_pinyin_gloss_and_highlights_the_match(client, glossary) -> None:
    html = body(client.get("/search?q=sovereignty"))
    assert 'href="/terms/wangluo-zhuquan"' in html
    assert "wǎngluò zhǔquán" in html and "cyber sovereignty" in html
    assert "<mark>sovereignty</mark>" in html
    assert "found" in html


@pytest.mark.parametrize("query", ["网络主权", "網絡主權", "網路主權", "wangluo zhuquan", "wang3luo4"])
def test_search_finds_a_term_by_any_script_or_pinyin(client, glossary, query: str) -> None:
    html = body(client.get("/search", query_string={"q": query}))
    assert 'href="/terms/wangluo-zhuquan"' in html


def test_the_results_heading_marks_only_a_chinese_query_as_chinese(client, glossary) -> None:
    chinese = body(client.get("/search", query_string={"q": "网络主权"}))
    assert '<h1>Results for “<span lang="zh">网络主权</span>”</h1>' in chinese
    for query in ("cyber sovereignty", "wangluo zhuquan"):
        html = body(client.get("/search", query_string={"q": query}))
        assert f"<h1>Results for “<span>{query}</span>”</h1>" in html, query


def test_search_filters_by_kind_and_tag(client, glossary) -> None:
    html = body(client.get("/search?q=community&kind=formulation"))
    assert "renlei-mingyun-gongtongti" in html and "wangluo-kongjian" not in html
    html = body(client.get("/search?q=community&tag=cyber"))
    assert "wangluo-kongjian-mingyun-gongtongti" in html and "/terms/renlei-mingyun-gongtongti" not in html
    assert '<option value="cyber" selected>' in html


def test_search_never_shows_drafts_to_the_public(client, glossary) -> None:
    html = body(client.get("/search?q=secret"))
    assert "秘密草稿" not in html and "No terms found" in html


def test_search_explains_bad_queries_instead_of_failing(client, glossary) -> None:
    r = client.get("/search", query_string={"q": "x" * 201})
    assert r.status_code == 200 and "at most 200 characters" in body(r)
    r = client.get("/search?q=")
    assert r.status_code == 200 and "Type a term in Chinese characters" in body(r)


def test_search_with_only_filters_goes_to_browse(client, glossary) -> None:
    r = client.get("/search?q=&tag=cyber")
    assert r.status_code == 302 and r.headers["Location"] == "/terms?tag=cyber"


def test_browse_filters_by_kind_and_tag_and_pages(client, glossary, monkeypatch) -> None:
    html = body(client.get("/terms?tag=cyber"))
    assert "/terms/wangluo-zhuquan" in html and "/terms/wangluo-kongjian-mingyun-gongtongti" in html
    assert "/terms/yi-guo-liang-zhi" not in html and "秘密草稿" not in html
    assert "2 terms" in html
    html = body(client.get("/terms?kind=policy"))
    assert "/terms/yi-guo-liang-zhi" in html and "/terms/wangluo-zhuquan" not in html
    monkeypatch.setattr(pages, "PER_PAGE", 2)
    first = body(client.get("/terms"))
    assert "Page 1 of 2" in first and 'rel="next" href="/terms?page=2"' in first
    second = body(client.get("/terms?page=2"))
    assert "Page 2 of 2" in second and 'rel="prev"' in second


# the term page


def test_term_page_shows_each_script_with_its_lang_attribute(client, glossary) -> None:
    html = body(client.get("/terms/wangluo-zhuquan"))
    assert re.search(r'<h1[^>]*>\s*<span class="hanzi-xl" lang="zh-Hans">网络主权</span>', html)
    assert '<dd class="hanzi-l" lang="zh-Hant">網絡主權</dd>' in html
    assert '<dd class="hanzi-l" lang="zh-Hant-TW">網路主權</dd>' in html
    assert 'lang="zh-Latn-pinyin">wǎngluò zhǔquán</p>' in html
    assert 'href="/terms?kind=concept"' in html and 'href="/terms?tag=sovereignty"' in html


def test_term_page_groups_translations_by_language_with_status_dates_and_source(client, glossary) -> None:
    html = body(client.get("/terms/wangluo-zhuquan"))
    english, french = html.index("<h3>English</h3>"), html.index("<h3>French</h3>")
    assert english < french
    order = [html.index(t) for t in ("internet sovereignty", "cyber sovereignty</span>", "network sovereignty")]
    assert order == sorted(order)  # official, preferred, …, deprecated
    assert "badge-official" in html and "badge-deprecated" in html
    assert 'in use from <time datetime="2010-06">June 2010</time> until <time datetime="2015">2015</time>' in html
    assert '<a href="/sources/aspi-2021"><cite>China&#39;s cyber vision</cite></a>' in html
    assert 'lang="fr">souveraineté numérique</span>' in html


def test_term_page_shows_first_use_and_excerpts_with_full_citations(client, glossary) -> None:
    html = body(client.get("/terms/wangluo-zhuquan"))
    first_use = html[html.index('id="fu-title"') : html.index('id="ex-title"')]
    assert "June 2010" in first_use and "China&#39;s cyber vision" in first_use and "p. 9" in first_use
    assert "A State Council white paper." in first_use
    assert "Nathan Attrill; Audrey Fritz" in html and "Australian Strategic Policy Institute" in html
    assert '<blockquote lang="zh-Hans"' in html and "尊重网络主权" in html and "respect cyber sovereignty" in html
    assert 'cite="https://example.org/cyber-vision"' in html


def test_term_page_sums_up_the_key_facts_at_the_top_and_cites_each_source_once(client, session) -> None:
    make_source(session, id="aspi-2021", title="China's cyber vision", publisher="ASPI")
    make_source(session, id="xinhua-2015", title="Xinhua report")
    make_term(
        session,
        "网络主权",
        translations=[
            {"lang": "en", "text": "cyber sovereignty", "status": "preferred", "source": "aspi-2021"},
            {
                "lang": "en",
                "text": "internet sovereignty",
                "status": "official",
                "from": "2010-06",
                "source": "xinhua-2015",
            },
        ],
        definitions=[{"lang": "en", "text": "The principle that *each* country governs its cyberspace. It is old."}],
        first_use={"date": "2010-06", "source": "aspi-2021", "locator": "p. 9"},
        excerpts=[{"source": "aspi-2021", "text": f"Passage {n}.", "locator": f"p. {n}"} for n in range(1, 7)]
        + [{"source": "xinhua-2015", "text": "尊重网络主权"}],
    )
    html = body(client.get("/terms/wangluo-zhuquan"))
    summary = html[html.index('aria-label="Summary"') : html.index("</header>", html.index('aria-label="Summary"'))]
    assert "internet sovereignty</span>, from <time" in summary and 'href="#ref-1"' in summary  # official, dated, cited
    assert "The principle that each country governs its cyberspace. <a" in summary  # one sentence, plain
    assert "First use</dt><dd><time" in summary
    assert html.count("<cite>China&#39;s cyber vision</cite></a>") == 1  # one full citation, in the references
    assert re.findall(r'<li id="ref-(\d)">', html) == ["1", "2"]
    assert html.count('class="excerpt-source"') == 2  # six passages under one heading
    aspi = html[html.index("<cite>China&#39;s cyber vision</cite></h3>") : html.index('id="ref-title"')]
    assert aspi.count("<figure") == 6 and "China&#39;s cyber vision" not in aspi[10:]  # named once


def test_an_excerpt_without_a_language_of_its_own_is_chinese_when_its_text_is(client, session) -> None:
    make_source(session)  # written in English
    make_source(session, id="tw-source", title="A Taiwan source", language="zh-Hant")
    make_term(
        session,
        "网络主权",
        "cyber sovereignty",
        excerpts=[
            {"source": "test-source", "text": "各国应当尊重网络主权，AI 治理亦然。"},  # a Chinese passage quoted
            {"source": "test-source", "text": "Beijing speaks of 网络主权 (cyber sovereignty) often."},
            {"source": "tw-source", "text": "尊重網路主權。"},
        ],
    )
    for url in ("/terms/wangluo-zhuquan", "/sources/test-source"):
        html = body(client.get(url))
        assert '<blockquote lang="zh-Hans"><p>各国应当尊重网络主权' in html, url
        assert '<blockquote lang="en"><p>Beijing speaks of' in html, url
    assert '<blockquote lang="zh-Hant"><p>尊重網路主權。' in body(client.get("/terms/wangluo-zhuquan"))


def test_term_page_links_related_terms_from_both_ends(client, glossary) -> None:
    narrower = body(client.get("/terms/wangluo-kongjian-mingyun-gongtongti"))
    assert "Broader terms" in narrower and 'href="/terms/renlei-mingyun-gongtongti"' in narrower
    broader = body(client.get("/terms/renlei-mingyun-gongtongti"))
    assert "Narrower terms" in broader and 'href="/terms/wangluo-kongjian-mingyun-gongtongti"' in broader


def test_term_page_lists_components_of_a_numbered_formula(client, session) -> None:
    make_term(session, "四个自信", "four confidences", kind="formulation")
    make_term(session, "道路自信", "confidence in the path", related=[{"slug": "si-ge-zixin", "type": "component-of"}])
    formula = body(client.get("/terms/si-ge-zixin"))
    assert "Components" in formula and 'href="/terms/daolu-zixin"' in formula
    part = body(client.get("/terms/daolu-zixin"))
    assert "Component of" in part and 'href="/terms/si-ge-zixin"' in part


def test_term_page_links_json_history_and_offers_a_citation(client, glossary) -> None:
    html = body(client.get("/terms/wangluo-zhuquan"))
    assert 'href="/api/v1/terms/wangluo-zhuquan"' in html and 'href="/terms/wangluo-zhuquan/history"' in html
    assert 'rel="alternate" type="application/json"' in html
    plain = re.search(r'<textarea id="cite-plain"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert "网络主权 (wǎngluò zhǔquán), ‘cyber sovereignty’" in plain
    assert "revision 1 of" in plain and "http://localhost/terms/wangluo-zhuquan/revisions/1" in plain
    assert "@misc{glossary-wangluo-zhuquan," in html
    assert 'data-copy="cite-plain"' in html


def test_definitions_allow_a_small_markdown_subset_and_nothing_else(client, session) -> None:
    text = (
        "*each* state, `code`, [a link](https://example.org) and [bad](javascript:alert(1)) "
        '<b onclick="x()">raw</b> <script>alert(1)</script>'
    )
    make_term(session, "测试", definitions=[{"lang": "en", "text": text}])
    html = body(client.get("/terms/ceshi"))
    definition = html[html.index('class="definition"') : html.index("</section>", html.index('class="definition"'))]
    assert "<em>each</em>" in definition and "<code>code</code>" in definition
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">a link</a>' in definition
    assert 'href="javascript' not in definition and "<script" not in definition and "<b" not in definition
    assert "&lt;script&gt;" in definition


def test_all_user_supplied_text_is_escaped(client, session) -> None:
    evil = '<img src=x onerror="alert(1)">'
    make_source(session, id="evil", title=evil, author=evil)
    make_term(
        session,
        "测试",
        translations=[{"lang": "en", "text": evil, "status": "preferred", "source": "evil", "note": evil}],
        excerpts=[{"source": "evil", "text": evil}],
        note=evil,
    )
    for url in ("/terms/ceshi", "/sources/evil", "/sources", "/search?q=img", "/"):
        html = body(client.get(url))
        assert "<img" not in html, url


def test_a_surface_form_url_redirects_to_the_slug(client, glossary) -> None:
    r = client.get("/terms/網路主權")
    assert r.status_code == 301 and r.headers["Location"] == "/terms/wangluo-zhuquan"


def test_drafts_and_unknown_terms_get_the_friendly_404(client, glossary) -> None:
    for url in ("/terms/mimi-caogao", "/terms/no-such-term", "/no/such/page"):
        r = client.get(url)
        assert r.status_code == 404 and r.mimetype == "text/html"
        assert "We could not find that page" in body(r) and 'action="/search"' in body(r)
        assert "There is no entry, source or page at this address." in body(r), url
        assert "no term" not in body(r) and "requested URL was not found" not in body(r), url  # API or Werkzeug words


def test_a_404_in_a_pages_own_words_keeps_them(client, glossary) -> None:
    html = body(client.get("/sources/no-such-source"))
    assert "There is no source with the id “no-such-source”." in html
    assert "There is no entry, source or page at this address." not in html


# sources


def test_sources_list_metadata_and_how_much_cites_each(client, glossary) -> None:
    html = body(client.get("/sources"))
    assert html.index("China&#39;s cyber vision") < html.index("Xinhua report")  # newest first
    assert "Nathan Attrill; Audrey Fritz" in html and "November 2021" in html
    assert "2 terms cite it · 1 excerpt" in html


def test_source_page_shows_its_excerpts_and_the_terms_citing_it(client, glossary) -> None:
    html = body(client.get("/sources/aspi-2021"))
    assert "<cite>China&#39;s cyber vision</cite>" in html and "Australian Strategic Policy Institute" in html
    assert 'href="https://example.org/cyber-vision"' in html
    assert "Cyber sovereignty is a natural extension." in html
    assert "for its first use, translation, excerpt" in html
    assert 'href="/terms/renlei-mingyun-gongtongti"' in html and "for its first use</span>" in html
    assert "秘密草稿" not in html
    r = client.get("/sources/unknown")
    assert r.status_code == 404 and "no source with the id" in body(r)


# timeline


def test_timeline_draws_first_uses_as_svg_points_linking_to_terms(client, glossary) -> None:
    html = body(client.get("/timeline"))
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count('<a class="point') == 3
    assert 'href="/terms/wangluo-zhuquan"' in svg and "2010-06" in svg
    assert '<text class="tick"' in svg and ">2010</text>" in svg
    assert "3 terms with a documented first use." in html
    assert html.index("June 2010") < html.index("November 2012") < html.index("16 December 2015")  # the list


def test_timeline_filters_by_tag(client, glossary) -> None:
    html = body(client.get("/timeline?tag=cyber"))
    assert html.count('<a class="point') == 2 and "renlei-mingyun-gongtongti" not in html
    assert '<option value="cyber" selected>' in html
    html = body(client.get("/timeline?tag=taiwan-hk"))
    assert "<svg" not in html and "No term tagged taiwan-hk has a documented first use yet." in html


def test_timeline_bars_are_as_wide_as_the_date_is_precise() -> None:
    assert date_span("2017") == (2017.0, 2018.0)
    start, end = date_span("2020-02")
    assert start == pytest.approx(2020 + 31 / 366) and end == pytest.approx(2020 + 60 / 366)
    start, end = date_span("2024-02-03")
    assert end - start == pytest.approx(1 / 366)


def test_timeline_labels_never_overlap() -> None:
    points = [Point(f"t{i}", "人类命运共同体", None, "2017", 2017.0, 2018.0, "concept") for i in range(6)]
    points.append(Point("late", "网络主权", None, "2024", 2024.0, 2025.0, "concept"))
    chart = layout(points)
    rows: dict[float, list[tuple[float, float]]] = {}
    for p in chart.placed:
        width = label_width(p.label)
        left, right = (p.x1, p.label_x + width) if p.anchor == "start" else (p.label_x - width, p.x2)
        assert left >= 0 and right <= chart.width
        for other in rows.get(p.y, []):
            assert right < other[0] or left > other[1]
        rows.setdefault(p.y, []).append((left, right))
    assert len(rows) >= 6  # six labels in one year need six rows


# errors, headers, assets


def test_a_server_error_gets_a_friendly_page_without_internals(app, client) -> None:
    def boom() -> str:
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom", "boom", boom)
    r = client.get("/boom")
    assert r.status_code == 500 and r.mimetype == "text/html"
    assert "Something went wrong on our side" in body(r) and "secret internals" not in body(r)


def test_pages_send_security_headers_and_carry_no_inline_script_or_style(client, glossary) -> None:
    for url in PAGES:
        r = client.get(url)
        assert r.status_code == 200, url
        assert "script-src 'self'" in r.headers["Content-Security-Policy"]
        assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["X-Frame-Options"] == "DENY"
        html = body(r)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url  # CSP blocks inline scripts
        assert not re.search(r"<style\b|\sstyle=", html), url  # and inline styles
        assert not re.search(r"\son[a-z]+=", html), url  # and inline handlers


@pytest.mark.parametrize(
    "path", ["site.css", "favicon.svg", "js/suggest.js", "js/annotate.js", "js/editor.js", "js/cite.js"]
)
def test_static_assets_are_served(client, path: str) -> None:
    with client.get(f"/static/{path}") as r:
        assert r.status_code == 200 and r.data


def test_api_docs_page_still_renders_in_the_site_layout(client) -> None:
    r = client.get("/api/docs")
    assert r.status_code == 200 and "/api/v1/terms" in body(r) and "site.css" in body(r)


def test_home_with_the_real_seed_glossary(seeded) -> None:
    client = seeded.test_client()
    html = body(client.get("/"))
    with seeded.app_context():
        from glossary.services import browse

        kinds = browse.kind_counts(db.session)
    assert "terms of Chinese Communist Party political language" in html
    for kind, n in kinds:
        assert f'href="/terms?kind={kind}">{kind} <span class="count">{n}</span>' in html
    assert client.get("/timeline").status_code == 200 and client.get("/sources").status_code == 200


def test_a_cited_revision_shows_the_entry_as_it_was(client, glossary) -> None:
    html = body(client.get("/terms/wangluo-zhuquan/revisions/1"))
    assert "Created by <strong>tests</strong>" in html and "current revision" in html
    content = html[html.index('id="content-title"') :]
    assert "The entry as of revision 1" in content and '<dd lang="zh-Hant">網絡主權</dd>' in content
    assert "<li>en · preferred: cyber sovereignty [source: aspi-2021]</li>" in content
    assert "<li>zh-TW: 網路主權</li>" in content and "2010-06 [source: aspi-2021, p. 9]" in content
    history = body(client.get("/terms/wangluo-zhuquan/history"))
    assert 'href="/terms/wangluo-zhuquan/revisions/1"' in history and "created" in history


def test_of_several_official_english_renderings_the_one_in_use_now_is_marked_current(seeded) -> None:
    client = seeded.test_client()
    html = body(client.get("/terms/renlei-mingyun-gongtongti"))
    section = html[html.index('id="tr-title"') :]
    assert section.count(">current</span>") == 1
    marked = section[: section.index(">current</span>")].rsplit('<li class="translation', 1)[1]
    assert ">community with a shared future for mankind</span>" in marked and "status-official" in marked
    summary = html[html.index('class="fact-official"') :]
    assert summary[: summary.index("</dd>")].count("community with a shared future for mankind") == 1
    one = body(client.get("/terms/wangluo-zhuquan"))  # a single official English rendering: nothing to mark
    assert ">current</span>" not in one[one.index('id="tr-title"') :]

"""The annotate page without JavaScript: form POST, server rendering, limits, download, CSRF."""

from __future__ import annotations

import re

import pytest
from helpers import make_term
from werkzeug.test import encode_multipart

TEXT = "我们要坚持网络主权。推动構建網絡主權的治理体系，维护网络主权。"


@pytest.fixture
def terms(session) -> None:
    make_term(
        session,
        "网络主权",
        "cyber sovereignty",
        first_use={"date": "2010-06"},
        forms=[{"text": "網路主權", "tag": "zh-TW"}],
    )
    make_term(session, "治理体系", "governance system")


def body(response) -> str:
    return response.get_data(as_text=True)


def token(client) -> str:
    html = body(client.get("/annotate"))
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def post(client, data: dict):
    """A multipart POST as the browser sends it (encoded in memory: the test client's own encoder
    spools large bodies to a temporary file it never closes)."""
    boundary, payload = encode_multipart(data)
    return client.post("/annotate", data=payload, content_type=f"multipart/form-data; boundary={boundary}")


def annotate(client, text: str, **fields: str):
    return post(client, {"csrf_token": token(client), "text": text, "action": "annotate", **fields})


def test_the_form_shows_the_limit_and_works_without_javascript(client) -> None:
    html = body(client.get("/annotate"))
    # the result page opens at the result, below the form
    assert 'method="post" action="/annotate#annotate-result" enctype="multipart/form-data"' in html
    assert "of 2,000,000 characters" in html
    assert 'name="ruby"' in html and 'name="low"' in html
    assert 'value="download"' in html


def test_annotating_links_every_term_in_either_script(client, terms) -> None:
    r = annotate(client, TEXT)
    html = body(r)
    assert r.status_code == 200
    annotated = html[html.index('id="annotated"') : html.index('<aside class="found"')]
    links = re.findall(r'<a class="term term-\w+" href="/terms/([\w-]+)"', annotated)
    assert links == ["wangluo-zhuquan", "wangluo-zhuquan", "zhili-tixi", "wangluo-zhuquan"]
    # the text as written, each syllable over its character
    assert "<ruby>網<rt>wǎng</rt>絡<rt>luò</rt>主<rt>zhǔ</rt>權<rt>quán</rt></ruby>" in annotated
    assert f">{len(TEXT)}</output> of 2,000,000 characters" in html
    assert "Found 2 glossary terms (4 occurrences)." in html


def test_each_terms_card_data_is_sent_once_not_with_every_occurrence(client, terms) -> None:
    html = body(annotate(client, TEXT))
    annotated = html[html.index('id="annotated"') : html.index('<aside class="found"')]
    assert annotated.count('data-slug="wangluo-zhuquan"') == 3
    assert "data-pinyin" not in annotated and "data-gloss" not in annotated
    sidebar = html[html.index('<aside class="found"') : html.index("</aside>")]
    (entry,) = re.findall(r'<li data-slug="wangluo-zhuquan"[^>]*>', sidebar)
    assert 'data-simplified="网络主权" data-traditional="網絡主權" data-pinyin="wǎngluò zhǔquán"' in entry
    assert 'data-gloss="cyber sovereignty" data-gloss-lang="en" data-first-use="2010-06"' in entry


def test_each_line_of_the_text_is_a_paragraph(client, terms) -> None:
    html = body(annotate(client, "第一段：网络主权。\n\n第二段。"))
    assert '<p>第一段：<a class="term' in html and "</a>。</p>\n<p><br></p>\n<p>第二段。</p></div>" in html


def test_a_line_break_counts_as_one_character_however_the_browser_sent_it(app, client, terms) -> None:
    app.config["MAX_TEXT_CHARS"] = 10
    r = annotate(client, "网络主权\r\n网络主权\r\n")  # a form sends the textarea's line breaks as CRLF
    assert r.status_code == 200 and ">10</output> of 10 characters" in body(r)


def test_counts_in_the_summary_have_thousands_separators(client, terms) -> None:
    html = body(annotate(client, "维护网络主权。" * 1_200))
    assert "Found 1 glossary term (1,200 occurrences)." in html


def test_the_sidebar_lists_found_terms_with_counts(client, terms) -> None:
    html = body(annotate(client, TEXT))
    sidebar = html[html.index('<aside class="found"') : html.index("</aside>")]
    assert '<span id="found-count" class="count">2</span>' in sidebar
    assert sidebar.index("网络主权") < sidebar.index("治理体系")  # most frequent first
    assert 'aria-label="Jump to the 3 occurrences of 网络主权">Jump ×3</button>' in sidebar
    assert 'aria-label="Jump to the 1 occurrence of 治理体系">Jump ×1</button>' in sidebar


def test_a_link_skips_the_annotated_text_to_the_terms_found(client, terms) -> None:
    html = body(annotate(client, TEXT))
    skip = html.index('<a href="#found-terms">Skip to the terms found</a>')
    assert skip < html.index('id="annotated"') < html.index('<aside class="found" id="found-terms" tabindex="-1"')


def test_display_options_are_kept_without_javascript(client, terms) -> None:
    html = body(annotate(client, TEXT, ruby="on", low="on"))
    assert 'class="annotated show-ruby"' in html and 'class="found list-possible"' in html
    assert 'name="ruby" id="opt-ruby" checked' in html and 'name="low" id="opt-low" checked' in html
    assert "<ruby>网<rt>wǎng</rt>络<rt>luò</rt>主<rt>zhǔ</rt>权<rt>quán</rt></ruby>" in html
    plain = body(annotate(client, TEXT))
    assert 'class="annotated"' in plain  # pinyin hidden until asked for
    assert 'class="found"' in plain  # possible matches left out of the list until asked for


def test_a_form_whose_pinyin_does_not_align_keeps_the_pinyin_whole(client, terms) -> None:
    html = body(annotate(client, "推动網路主權。", ruby="on"))  # Taiwan's 路 (lù) is not 络 (luò)
    assert "<ruby>網路主權<rt>wǎngluò zhǔquán</rt></ruby>" in html


def test_possible_matches_are_marked_and_left_out_of_the_list_unless_asked_for(client, terms) -> None:
    text = "推动网络\n主权。完善治理体系。"  # broken by a line break: only a possible match
    html = body(annotate(client, text))
    assert '<a class="term term-low" href="/terms/wangluo-zhuquan"' in html
    assert '<li data-slug="wangluo-zhuquan"' in html and 'class="found-possible">' in html
    assert "only a possible match</span>" in html
    assert "1 possible match not listed" in html
    assert "2 terms, 2 occurrences, 1 only a possible match</span>" in html  # the result's counts


def test_the_card_data_has_the_first_sentence_of_the_definition_and_the_official_english(seeded) -> None:
    client = seeded.test_client()
    html = body(annotate(client, "我们坚持网络主权和统一战线，加快发展新质生产力。"))
    (entry,) = re.findall(r'<li data-slug="wangluo-zhuquan"[^>]*>', html)
    definition = re.search(r'data-definition="([^"]*)"', entry).group(1)
    assert definition.endswith(".") and definition.count(". ") == 0 and len(definition) > 20
    assert 'data-official="cyber sovereignty"' in entry
    (entry,) = re.findall(r'<li data-slug="tongyi-zhanxian"[^>]*>', html)
    assert "data-official=" not in entry  # its official renderings are in other languages only
    (entry,) = re.findall(r'<li data-slug="xinzhi-shengchanli"[^>]*>', html)
    assert 'data-official="new quality productive forces"' in entry  # the one in use now (browse.official_english)


def test_a_text_without_terms_says_so(client, terms) -> None:
    html = body(annotate(client, "今天天气很好。"))
    assert "No glossary terms found in this text." in html


def test_empty_and_too_long_texts_are_refused_with_the_text_kept(app, client, terms) -> None:
    r = annotate(client, "  \n ")
    assert r.status_code == 422 and "Paste or type a text to annotate first." in body(r)
    app.config["MAX_TEXT_CHARS"] = 10
    r = annotate(client, "网络主权" * 3)
    assert r.status_code == 413
    assert "The text has 12 characters; the limit is 10." in body(r)
    assert ">网络主权网络主权网络主权</textarea>" in body(r)


def test_texts_beyond_the_default_form_field_size_are_accepted(client, terms) -> None:
    text = ("网络主权是国家主权在网络空间的自然延伸。" * 12_000)[:200_000]  # 600 kB of UTF-8
    r = annotate(client, text)
    assert r.status_code == 200
    assert '<span id="found-count" class="count">1</span>' in body(r)
    assert f'aria-label="Jump to the {text.count("网络主权")} occurrences of 网络主权"' in body(r)


def test_user_text_is_escaped_in_the_result_and_the_form(client, terms) -> None:
    html = body(annotate(client, '<script>alert("x")</script>网络主权'))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html or "&lt;script&gt;alert(&quot;x&quot;)" in html


def test_download_is_a_standalone_html_file_with_absolute_links(client, terms) -> None:
    r = post(client, {"csrf_token": token(client), "text": TEXT, "action": "download", "ruby": "on"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert r.headers["Content-Disposition"] == 'attachment; filename="annotated.html"'
    html = body(r)
    assert html.startswith("<!doctype html>") and "<style>" in html
    assert 'href="http://localhost/terms/wangluo-zhuquan"' in html
    assert "<ruby>网<rt>wǎng</rt>络<rt>luò</rt>主<rt>zhǔ</rt>权<rt>quán</rt></ruby>" in html
    assert "Glossary terms in this text" in html and "cyber sovereignty" in html and "(3×)" in html
    assert "<p>我们要坚持<a" in html and "data-gloss" not in html  # the list above says it once per term


def test_a_post_without_the_csrf_token_is_rejected(client, terms) -> None:
    client.get("/annotate")
    r = post(client, {"text": TEXT})
    assert r.status_code == 400 and "Form expired" in body(r) and "nothing was changed" in body(r)
    assert 'class="term' not in body(r)
    r = post(client, {"text": TEXT, "csrf_token": "forged"})
    assert r.status_code == 400


def test_the_real_seed_annotates_a_mixed_script_passage(seeded) -> None:
    client = seeded.test_client()
    text = "当今世界正经历百年未有之大变局，我们坚持網絡主權，推进中国式现代化。"
    html = body(annotate(client, text))
    for slug in ("bainian-weiyou-zhi-da-bianju", "wangluo-zhuquan", "zhongguoshi-xiandaihua"):
        assert f'href="/terms/{slug}"' in html


@pytest.fixture
def dated_term(session) -> None:
    """伟大斗争 in its sense attested in official texts from 2012-11-08 (senses.py)."""
    term = make_term(session, "伟大斗争", "great struggle", commit=False)
    term.first_use_date, term.first_use_scope = "2012-11-08", "official-documents"
    session.commit()


DATED = "反对帝国主义的伟大斗争"


def test_the_texts_date_marks_terms_dated_later_as_possible_matches(client, dated_term) -> None:
    def link_class(**fields: str) -> str:
        r = annotate(client, DATED, **fields)
        assert r.status_code == 200, body(r)
        return re.search(r'<a class="term (term-\w+)" href="/terms/', body(r)).group(1)

    assert link_class() == "term-high"
    assert link_class(date="2022") == "term-high"
    assert link_class(date="1964-12-21") == "term-low"
    r = annotate(client, DATED, date=" 1964-12 ")
    assert 'name="date" value="1964-12"' in body(r)  # kept in the form for the next annotate
    assert "only a possible match" in body(r)
    # the downloads are annotated with the date too
    fields = {"csrf_token": token(client), "text": DATED, "date": "1964", "action": "csv"}
    rows = post(client, fields).get_data(as_text=True).splitlines()
    assert rows[1].split(",")[4:6] == ["1", "1"]  # one occurrence, one possible match


@pytest.mark.parametrize("date", ["1964-1", "21 July 1964", "1964/12/21", "19640", "-1964"])
def test_a_bad_date_is_refused_with_a_message_naming_the_field(client, dated_term, date: str) -> None:
    r = annotate(client, DATED, date=date)
    html = body(r)
    assert r.status_code == 422
    assert f"Date of the text: “{date.strip()}” is not a date. Give YYYY, YYYY-MM or YYYY-MM-DD" in html
    assert 'class="term term-' not in html  # nothing annotated
    assert f">{DATED}</textarea>" in html  # the text kept to correct the date and send again
    field = re.search(r'<input type="text" id="annotate-date"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field and "annotate-error" in field
    assert 'aria-invalid="true"' not in html[html.index("<textarea") : html.index("</textarea>")]


def test_the_official_english_shown_is_the_one_in_use_now() -> None:
    from glossary.models import Translation
    from glossary.services.browse import official_english

    def en(text: str, status: str, since: str | None = None, until: str | None = None) -> Translation:
        return Translation(lang="en", text=text, status=status, date_from=since, date_until=until)

    early, later = en("new productive forces", "official"), en("new quality productive forces", "official")
    assert official_english([early, later, en("new quality productive forces", "preferred")]) is later
    assert official_english([early, later]) is early  # nothing dated, nothing preferred: the first given
    dated = [en("a", "official", "2013"), en("b", "official", "2017"), en("c", "official", "2020", until="2022")]
    assert official_english(dated).text == "b"  # the latest still in use, not the one that ended
    assert official_english([en("x", "preferred"), Translation(lang="fr", text="y", status="official")]) is None

"""The pure annotation engine: forms in every script, exact offsets, interruptions,
leftmost-longest, word boundaries for short terms."""

from __future__ import annotations

import random
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.text.annotate import Annotator, Entry
from glossary.text.fold import _compact_long, compact, fold
from glossary.text.forms import derive_forms, traditional
from glossary.text.render import render_html


def entry(slug: str, simplified: str, *extra: str, gloss: str | None = None, **glosses: str) -> Entry:
    forms = tuple(text for text, _ in derive_forms(simplified)) + extra
    return Entry(slug, simplified, traditional(simplified), f"py-{slug}", forms, {"en": gloss or slug, **glosses})


ENTRIES = [
    entry("rlmygtt", "人类命运共同体"),
    entry("mygtt", "命运共同体"),
    entry("wlzq", "网络主权"),
    entry("ygyz", "一国两制"),
    entry("tp", "脱贫"),
    entry("fz", "法治"),
    entry("zgsxdh", "中国式现代化", fr="modernisation chinoise"),
    entry("gtfy", "共同富裕"),
    entry("wgsz", "五个始终"),
]


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator(ENTRIES)


def spans(annotator: Annotator, text: str, **kw: bool) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entry.slug) for m in annotator.annotate(text, **kw).matches]


def test_simplified_traditional_taiwan_and_hong_kong_forms(annotator: Annotator) -> None:
    assert spans(annotator, "维护网络主权") == [("网络主权", "wlzq")]
    assert spans(annotator, "維護網絡主權") == [("網絡主權", "wlzq")]
    assert spans(annotator, "維護網路主權") == [("網路主權", "wlzq")]  # Taiwan (s2twp)
    assert spans(annotator, "推動構建人類命運共同體") == [("人類命運共同體", "rlmygtt")]


def test_mixed_scripts_and_english_around_terms(annotator: Annotator) -> None:
    text = "Xi spoke of 共同富裕 (common prosperity) and 網路主權 in one breath."
    assert spans(annotator, text) == [("共同富裕", "gtfy"), ("網路主權", "wlzq")]
    mixed = "人类命運共同体"  # one character traditional in a simplified run
    assert spans(annotator, mixed) == [(mixed, "rlmygtt")]


def test_leftmost_longest_and_nested(annotator: Annotator) -> None:
    text = "推动构建人类命运共同体"
    assert spans(annotator, text) == [("人类命运共同体", "rlmygtt")]
    nested = annotator.annotate(text, nested=True).matches
    assert [(m.entry.slug, m.nested) for m in nested] == [("rlmygtt", False), ("mygtt", True)]
    assert (nested[1].start, nested[1].end) == (6, 11)


def test_line_breaks_spaces_and_soft_hyphens_inside_a_term(annotator: Annotator) -> None:
    for gap in ("\n", "\r\n", " ", "\u00ad", "\n  ", "\u3000"):
        text = f"构建人类命运{gap}共同体。"
        result = annotator.annotate(text).matches
        assert len(result) == 1, repr(gap)
        m = result[0]
        assert text[m.start : m.end] == f"人类命运{gap}共同体"
        assert m.confidence == "low"


def test_offsets_count_astral_characters_as_one(annotator: Annotator) -> None:
    text = "𠮷😀𠮷网络主权😀"
    (m,) = annotator.annotate(text).matches
    assert (m.start, m.end) == (3, 7)
    assert text[m.start : m.end] == "网络主权"


def test_full_width_punctuation_around_terms(annotator: Annotator) -> None:
    text = "坚持“一国两制”方针，推进（中国式现代化）。"
    assert spans(annotator, text) == [("一国两制", "ygyz"), ("中国式现代化", "zgsxdh")]


def test_short_terms_only_on_word_boundaries(annotator: Annotator) -> None:
    assert spans(annotator, "摆脱贫困") == []
    assert spans(annotator, "坚持依法治国") == []
    assert spans(annotator, "打赢脱贫攻坚战") == [("脱贫", "tp")]
    assert spans(annotator, "建设法治中国") == [("法治", "fz")]


def test_rejected_short_match_does_not_hide_a_longer_term(annotator: Annotator) -> None:
    # 脱贫 would start at 1 and straddle words; 共同富裕 right after must still be found
    a = Annotator([*ENTRIES, entry("pkgtfy", "贫困共同富裕")])
    text = "摆脱贫困共同富裕"
    assert spans(a, text) == [("贫困共同富裕", "pkgtfy")]


def test_confidence_marks_short_matches(annotator: Annotator) -> None:
    result = annotator.annotate("打赢脱贫攻坚战，维护网络主权").matches
    assert [(m.entry.slug, m.confidence) for m in result] == [("tp", "high"), ("wlzq", "high")]
    assert all(m.confidence in {"high", "low"} for m in annotator.annotate("脱贫攻坚").matches)


def test_to_dict_shape_and_gloss_fallback(annotator: Annotator) -> None:
    text = "中国式现代化与共同富裕，共同富裕"
    fr = annotator.annotate(text).to_dict("fr")
    assert fr["chars"] == len(text)
    first, second = fr["matches"][:2]
    assert set(first) == {
        "start",
        "end",
        "surface",
        "slug",
        "simplified",
        "traditional",
        "pinyin",
        "gloss",
        "lang",
        "confidence",
        "form_type",
    }
    assert (first["gloss"], first["lang"]) == ("modernisation chinoise", "fr")
    assert (second["gloss"], second["lang"]) == ("gtfy", "en")  # no French: English
    assert fr["terms"] == [{"slug": "gtfy", "count": 2}, {"slug": "zgsxdh", "count": 1}]


def test_empty_text_and_empty_glossary() -> None:
    assert Annotator(ENTRIES).annotate("").matches == []
    assert Annotator([]).annotate("网络主权").matches == []


def test_html_escapes_text_and_links_terms(annotator: Annotator) -> None:
    text = '<script>alert("x")</script>\n维护网络主权 & 共同富裕'
    html = render_html(annotator.annotate(text), "/terms/{slug}", ruby=True)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert '<a class="term term-high" href="/terms/wlzq"' in html
    assert "<ruby>网络主权<rt>py-wlzq</rt></ruby>" in html
    assert "<br>\n维护" in html
    assert "&amp;" in html


def test_hong_kong_form(annotator: Annotator) -> None:
    # s2hk writes 脱貧 where s2t writes 脫貧: both are forms of 脱贫
    assert spans(annotator, "打赢脱貧攻坚战") == [("脱貧", "tp")]
    assert spans(annotator, "打贏脫貧攻堅戰") == [("脫貧", "tp")]


def test_short_term_inside_a_shorter_word_is_rejected() -> None:
    a = Annotator([entry("zq", "主权"), entry("gt", "共同"), entry("gg", "光棍")])
    assert spans(a, "维护自主权") == []  # autonomy, not sovereignty
    assert spans(a, "构建共同体") == []
    assert spans(a, "光棍节快乐") == []
    assert spans(a, "维护国家主权") == [("主权", "zq")]
    assert spans(a, "推动共同富裕") == [("共同", "gt")]  # a component of a four-character compound


def test_spaces_beside_latin_text_and_every_kind_of_break() -> None:
    a = Annotator(
        [
            entry("zqai", "主权AI基础设施", "主权 AI 基础设施"),
            entry("zqrgzn", "主权人工智能", "主权 AI"),
            entry("dv", "网络大V"),
        ]
    )
    for text, surface in (
        ("建设主权AI基础设施", "主权AI基础设施"),
        ("建设主权 AI 基础设施", "主权 AI 基础设施"),
        ("建设主权 AI基础设施", "主权 AI基础设施"),
        ("建设主权AI\n基础设施", "主权AI\n基础设施"),
    ):
        (m,) = a.annotate(text).matches
        assert (text[m.start : m.end], m.entry.slug) == (surface, "zqai"), text
        assert m.confidence == ("low" if "\n" in surface else "high"), text  # a plain space is typesetting
    assert spans(a, "网络大\nV们") == [("网络大\nV", "dv")]
    for gap in ("\u2009", "\u202f", "\u2028", "\u2029", "\u200b", "\u00a0"):
        (m,) = Annotator(ENTRIES).annotate(f"构建人类命运{gap}共同体").matches
        assert m.entry.slug == "rlmygtt" and m.confidence == "low", repr(gap)


def test_latin_edged_forms_only_on_latin_word_boundaries() -> None:
    a = Annotator([entry("dv", "网络大V"), entry("zqrgzn", "主权人工智能", "主权 AI")])
    assert spans(a, "网络大V。") == [("网络大V", "dv")]
    assert spans(a, "网络大V and 网络大v") == [("网络大V", "dv"), ("网络大v", "dv")]
    assert spans(a, "网络大ＶＲ眼镜") == []  # 网络大 + VR glasses
    assert spans(a, "主权 AIGC") == []
    assert spans(a, "推进主权 AI，") == [("主权 AI", "zqrgzn")]


def test_lone_surrogates_match_nothing_and_keep_offsets(annotator: Annotator) -> None:
    text = "\ud83d网络主权\udc00"
    (m,) = annotator.annotate(text).matches
    assert (m.start, m.end) == (1, 5)


def test_gloss_language_tags_ignore_case(annotator: Annotator) -> None:
    (m,) = annotator.annotate("中国式现代化").to_dict("FR-ca")["matches"]
    assert (m["gloss"], m["lang"]) == ("modernisation chinoise", "fr")


def test_html_turns_every_line_break_into_br(annotator: Annotator) -> None:
    html = render_html(annotator.annotate("一\r二\r\n三\n四"), "/terms/{slug}")
    assert html == "一<br>\n二<br>\n三<br>\n四"


class Structure(HTMLParser):
    """The text of some HTML and its element nesting, to check it is well-formed as written."""

    VOID = {"br"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.text: list[str] = []
        self.paths: list[tuple[str, ...]] = []  # the open elements at each start tag, outermost first

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.paths.append((*self.open, tag))
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open}"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if not (self.open and self.open[-1] == "rt"):  # pinyin set above the text is not the text
            self.text.append(data)


def structure(html: str) -> Structure:
    parsed = Structure()
    parsed.feed(html)
    parsed.close()
    assert parsed.open == [], f"left open: {parsed.open}"
    return parsed


def test_html_in_paragraphs_gives_each_line_its_own_block(annotator: Annotator) -> None:
    html = render_html(annotator.annotate("一\r二\r\n三\n\n \n四"), "/terms/{slug}", paragraphs=True)
    # a blank line keeps its height, as a <br> after a <br> did
    assert html == "<p>一</p>\n<p>二</p>\n<p>三</p>\n<p><br></p>\n<p> <br></p>\n<p>四</p>"
    # a final line break ends the last line rather than starting an empty one, as a final <br> did
    assert render_html(annotator.annotate("一\n"), "/terms/{slug}", paragraphs=True) == "<p>一</p>"
    assert render_html(annotator.annotate("一\r\n\n"), "/terms/{slug}", paragraphs=True) == "<p>一</p>\n<p><br></p>"


def test_html_in_paragraphs_keeps_the_text_and_a_term_broken_across_lines_whole(annotator: Annotator) -> None:
    text = '<b>"维护"</b>\n构建人类命运\n共同体 & 网络主权\r\n\n推进中国式现代化'
    html = render_html(annotator.annotate(text), "/terms/{slug}", ruby=True, paragraphs=True)
    parsed = structure(html)
    assert "".join(parsed.text) == text.replace("\r\n", "\n")  # every character, in order, escaped
    assert all(path[0] == "p" and path.count("p") == 1 for path in parsed.paths)  # blocks side by side
    assert ("p", "a", "ruby", "br") in parsed.paths  # 人类命运\n共同体 is one link, its break inside it
    assert html.count("<p>") == 4 and html.count('<a class="term') == 3


def test_html_for_a_page_carries_only_the_slug_with_each_occurrence(annotator: Annotator) -> None:
    text = "维护网络主权，构建人类命运\n共同体"
    page = render_html(annotator.annotate(text), "/terms/{slug}", paragraphs=True, card_data=False)
    assert '<a class="term term-high" href="/terms/wlzq" data-slug="wlzq">网络主权</a>' in page
    assert '<a class="term term-low" href="/terms/rlmygtt" data-slug="rlmygtt">' in page
    assert "data-pinyin" not in page and "data-gloss" not in page
    standalone = render_html(annotator.annotate(text), "/terms/{slug}")  # API clients get the card data
    assert 'data-pinyin="py-wlzq"' in standalone and 'data-gloss="wlzq"' in standalone


class CountingAutomaton:
    """Wraps the real automaton to count how many characters the annotator hands it."""

    def __init__(self, inner: object, width: int) -> None:
        self.inner, self.width, self.chars = inner, width, 0

    def find_matches_as_indexes(self, haystack: memoryview, **kw: bool) -> list:
        self.chars += len(haystack) // self.width
        return self.inner.find_matches_as_indexes(haystack, **kw)


def test_rejections_rescan_a_few_characters_not_the_rest_of_the_text(annotator: Annotator) -> None:
    # 系统 straddles 体系/统一 and is rejected 4,000 times; each rejection once cost a rescan
    # of everything after it (72 million characters here), which any client could trigger
    a = Annotator([*ENTRIES, entry("xt", "系统")], annotator.segmenter)
    text = "完善体系统一管理，推动构建人类命运共同体。" * 4000
    a._longest = counter = CountingAutomaton(a._longest, a._alphabet.width)
    result = a.annotate(text).matches
    assert [m.entry.slug for m in result[:2]] == ["rlmygtt", "rlmygtt"]
    assert len(result) == 4000
    assert counter.chars < 5 * len(text), counter.chars


def test_a_rescan_window_never_hides_a_form_running_past_its_end(annotator: Annotator) -> None:
    # after 脱贫 is rejected the rescan window (here as small as it may be) ends inside
    # 甲乙丙丁戊, while the shorter 乙丙丁 fits in it whole: the longer, earlier form still wins
    a = Annotator([entry("tp", "脱贫"), entry("long", "甲乙丙丁戊"), entry("mid", "乙丙丁")], annotator.segmenter)
    a._window = a._longest_key + 1
    text = "摆脱贫困甲乙丙丁戊"
    assert spans(a, text) == [("甲乙丙丁戊", "long")]


def reference_scan(annotator: Annotator, text: str) -> list[tuple[int, int, str]]:
    """Leftmost-longest by brute force: at each position the longest key, kept or skipped."""
    folded = fold(text)
    view = compact(folded)
    keys = sorted(range(len(annotator._keys)), key=lambda k: -len(annotator._keys[k]))
    out, pos = [], 0
    while pos < len(view.text):
        key = next((k for k in keys if view.text.startswith(annotator._keys[k], pos)), None)
        if key is None:
            pos += 1
            continue
        end = pos + len(annotator._keys[key])
        if annotator._verdict(folded, view, key, pos, end) is None:
            pos += 1
            continue
        out.append((*view.span(pos, end), annotator.entries[annotator._owners[key]].slug))
        pos = end
    return out


SHORTS = [*ENTRIES, entry("xt", "系统"), entry("tx", "体系"), entry("gl", "管理"), entry("tyg", "统一管理")]


@pytest.fixture(scope="module", params=["default window", "smallest window"])
def shorts(request: pytest.FixtureRequest, annotator: Annotator) -> Annotator:
    a = Annotator(SHORTS, annotator.segmenter)
    if request.param == "smallest window":  # every rescan then ends inside the text
        a._window = a._longest_key + 1
    return a


WORDS = [
    "完善",
    "体系",
    "统一",
    "管理",
    "系统",
    "系",
    "摆脱",
    "贫困",
    "脱贫",
    "攻坚",
    "人类",
    "命运",
    "共同体",
    "，",
    "a",
    "\n",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(
        st.sampled_from(WORDS),
        max_size=60,
    )
)
def test_scan_with_rejections_equals_brute_force_leftmost_longest(shorts: Annotator, words: list[str]) -> None:
    a = shorts
    text = "".join(words)
    assert [(m.start, m.end, m.entry.slug) for m in a.annotate(text).matches] == reference_scan(a, text)


DENSE_ALPHABET = "体系统一管理摆脱贫困"


@pytest.fixture(scope="module")
def dense(annotator: Annotator) -> Annotator:
    """60 made-up forms of 2, 3 and 5 characters over ten characters: candidates overlap
    everywhere, and jieba rejects many of the short ones."""
    rng = random.Random(7)
    keys: set[str] = set()
    while len(keys) < 60:
        keys.add("".join(rng.choice(DENSE_ALPHABET) for _ in range(rng.choice([2, 2, 2, 3, 5, 5, 5]))))
    a = Annotator([entry(f"k{i}", k) for i, k in enumerate(sorted(keys))], annotator.segmenter)
    a._window = a._longest_key + 1
    return a


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(DENSE_ALPHABET + "，a"), max_size=80))
def test_scan_over_a_dense_glossary_equals_brute_force(dense: Annotator, text: str) -> None:
    assert [(m.start, m.end, m.entry.slug) for m in dense.annotate(text).matches] == reference_scan(dense, text)


def test_fold_keeps_length_and_folds_scripts() -> None:
    text = "網路主權ＡＢＣ１２３，𠮷Ελλάδα"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded.startswith("网路主权abc123,")


GAPPY = "人类命运共同体𠀀abc-，。 \n\t\r\x1c\x1f\x85\xa0\u1680\u2000\u200a\u2028\u3000\u00ad\u200b\u2060\ufeff"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(GAPPY), max_size=60))
def test_the_vectorised_compact_of_long_texts_equals_the_loop(text: str) -> None:
    folded = fold(text)
    assert len(folded) < 4096  # compact() takes the loop; _compact_long is what it takes from 4,096 characters
    long, short = _compact_long(folded), compact(folded)
    assert (long.text, long.starts, long.shifts, long.hard) == (short.text, short.starts, short.shifts, short.hard)


def test_compact_maps_back_to_original_offsets() -> None:
    view = compact(fold("人类\n\n命运 共同体 abc def"))
    assert view.text == "人类命运共同体abc def"  # spaces go beside Chinese, stay between Latin words
    assert view.span(0, 7) == (0, 10)
    assert view.text[7:10] == "abc"
    assert view.span(7, 10) == (11, 14)
    # the breaks inside 人类命运共同体 interrupt it; the space before abc interrupts nothing
    assert view.locate([0, 7, 6], [7, 10, 8])[2] == [True, False, False]


# --- properties -------------------------------------------------------------------------

FORMS = [(form, e.slug) for e in ENTRIES for form in {e.simplified, e.traditional, *e.forms}]
filler = st.text(
    alphabet=st.sampled_from("的了在是我有他这中大来上国个到说们为子和你地出道也时年abcXYZ 1,。\n𠮷😀"), max_size=8
)
piece = st.one_of(filler, st.sampled_from([f for f, _ in FORMS]))
gap = st.sampled_from(["", "", "", "\n", "\u00ad", "\r\n", " "])  # pasted from a PDF or a web page


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(filler, st.sampled_from(FORMS), gap, st.integers(1, 6)), max_size=6), filler)
def test_planted_forms_are_found_with_exact_offsets(annotator: Annotator, parts: list, tail: str) -> None:
    text, planted = "", []
    for fill, (form, slug), interruption, at in parts:
        text += fill
        at = min(at, len(form) - 1)
        written = form[:at] + interruption + form[at:]
        planted.append((len(text), len(text) + len(written), len(form), slug))
        text += written
    text += tail
    result = annotator.annotate(text).matches
    for m in result:  # every match is a form of its term, and none overlap
        assert compact(fold(text[m.start : m.end])).text in {
            compact(fold(f)).text for f, s in FORMS if s == m.entry.slug
        }
    assert all(a.end <= b.start for a, b in zip(result, result[1:], strict=False))
    found = {(m.start, m.end) for m in result}
    for start, end, length, _slug in planted:
        if length < 3 or (start, end) in found:
            continue
        # a miss is only acceptable where leftmost-longest chose another match over it: one that
        # overlaps it and starts earlier, or starts with it and is at least as long
        assert any(
            m.start < end
            and start < m.end
            and (m.start < start or (m.start == start and m.end - m.start >= end - start))
            for m in result
        ), (text, start, end)


@settings(max_examples=200, deadline=None)
@given(st.lists(piece, max_size=12))
def test_offsets_always_slice_the_submitted_text(annotator: Annotator, pieces: list[str]) -> None:
    text = "".join(pieces)
    for m in annotator.annotate(text, nested=True).matches:
        assert 0 <= m.start < m.end <= len(text)
        surface = compact(fold(text[m.start : m.end])).text
        assert surface in {compact(fold(f)).text for f, s in FORMS if s == m.entry.slug}

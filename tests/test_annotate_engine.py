"""The pure annotation engine: forms in every script, exact offsets, interruptions,
leftmost-longest, word boundaries for short terms."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.text.annotate import Annotator, Entry, render_html
from glossary.text.fold import compact, fold
from glossary.text.forms import derive_forms, traditional


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


def test_fold_keeps_length_and_folds_scripts() -> None:
    text = "網路主權ＡＢＣ１２３，𠮷Ελλάδα"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded.startswith("网路主权abc123,")


def test_compact_maps_back_to_original_offsets() -> None:
    view = compact(fold("人类\n\n命运 共同体 abc def"))
    assert view.text == "人类命运共同体 abc def"
    assert view.span(0, 7) == (0, 10)
    assert view.text[8:11] == "abc"
    assert view.span(8, 11) == (11, 14)


# --- properties -------------------------------------------------------------------------

FORMS = [(form, e.slug) for e in ENTRIES for form in {e.simplified, e.traditional, *e.forms}]
filler = st.text(
    alphabet=st.sampled_from("的了在是我有他这中大来上国个到说们为子和你地出道也时年abcXYZ 1,。\n"), max_size=8
)
piece = st.one_of(filler, st.sampled_from([f for f, _ in FORMS]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(filler, st.sampled_from(FORMS)), max_size=6), filler)
def test_planted_forms_are_found_with_exact_offsets(annotator: Annotator, parts: list, tail: str) -> None:
    text, planted = "", []
    for fill, (form, slug) in parts:
        text += fill
        planted.append((len(text), len(text) + len(form), slug))
        text += form
    text += tail
    result = annotator.annotate(text).matches
    for m in result:  # every match is a form of its term, and none overlap
        assert compact(fold(text[m.start : m.end])).text in {
            compact(fold(f)).text for f, s in FORMS if s == m.entry.slug
        }
    assert all(a.end <= b.start for a, b in zip(result, result[1:], strict=False))
    found = {(m.start, m.end) for m in result}
    covered = [(m.start, m.end) for m in result]
    for start, end, _slug in planted:
        if end - start < 3:
            continue
        if (start, end) in found:
            continue
        # only acceptable when a longer or earlier match legitimately overlaps it
        assert any(s < end and start < e for s, e in covered), (text, start, end)


@settings(max_examples=200, deadline=None)
@given(st.lists(piece, max_size=12))
def test_offsets_always_slice_the_submitted_text(annotator: Annotator, pieces: list[str]) -> None:
    text = "".join(pieces)
    for m in annotator.annotate(text, nested=True).matches:
        assert 0 <= m.start < m.end <= len(text)
        surface = compact(fold(text[m.start : m.end])).text
        assert surface in {compact(fold(f)).text for f, s in FORMS if s == m.entry.slug}

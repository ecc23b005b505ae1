"""The engine finds entries' renderings in English, French, German, Spanish, Russian and
Japanese text (text/renderings.py, text/languages.py): normalisation, word boundaries,
leftmost-longest, the deprecated flag, and mixed Chinese and English text."""

from __future__ import annotations

import pytest

from glossary.text.annotate import Annotator, Entry
from glossary.text.languages import annotate_text
from glossary.text.render import render_html
from glossary.text.renderings import Rendering, detect, normalise_word, with_current
from glossary.text.segment import shared_segmenter


def entry(slug: str, zh: str, *renderings: tuple[str, str, str], policy: str = "auto") -> Entry:
    found = tuple(with_current([Rendering(*r) for r in renderings]))
    return Entry(slug, zh, zh, f"py-{slug}", (), {"en": renderings[0][1]}, policy=policy, renderings=found)


ENTRIES = [
    entry(
        "rlmygtt",
        "人类命运共同体",
        ("en", "community with a shared future for mankind", "official"),
        ("en", "community of common destiny", "deprecated"),
        ("fr", "communauté de destin pour l'humanité", "official"),
        ("de", "Schicksalsgemeinschaft der Menschheit", "official"),
        ("es", "comunidad de destino común de la humanidad", "official"),
        ("ru", "сообщество единой судьбы человечества", "official"),
        ("ja", "人類運命共同体", "official"),
    ),
    entry("gxwl", "共享未来", ("en", "shared future", "preferred")),
    entry("ydyl", "一带一路", ("en", "Belt and Road Initiative", "official"), ("en", "BRI", "alternative")),
    entry("bkzn", "不可逆转", ("en", "irreversible", "preferred")),
    entry("qgc", "全过程人民民主", ("en", "whole-process people's democracy", "official")),
    entry("xhw", "新华网", ("en", "Xinhuanet", "preferred")),
    entry("zgsxdh", "中国式现代化", ("en", "Chinese path to modernization", "official")),
    entry("jjqqh", "经济全球化", ("en", "economic globalization", "official")),
    entry("zcl", "政治局", ("en", "Political Bureau", "official"), ("en", "Politburo", "alternative")),
    entry("xt", "系统", ("en", "system approach", "preferred"), policy="confirm"),
    entry("sx", "双循环", ("en", "dual circulation", "preferred"), policy="never"),
    entry("cs1", "甲乙", ("en", "common prosperity", "official")),
    entry("cs2", "丙丁", ("en", "common prosperity", "alternative")),
]


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator(ENTRIES, shared_segmenter())


def found(annotator: Annotator, text: str, text_lang: str | None = None) -> list[tuple[str, str, str]]:
    """(surface, slug, confidence) of each match, checking that offsets slice the text."""
    result = annotate_text(annotator, text, text_lang=text_lang).to_dict()
    for m in result["matches"]:
        assert text[m["start"] : m["end"]] == m["surface"]
    return [(m["surface"], m["slug"], m["confidence"]) for m in result["matches"]]


@pytest.mark.parametrize(
    ("word", "lang", "normal"),
    [
        ("Democracies", "en", "democracy"),
        ("approaches", "en", "approach"),
        ("futures", "en", "future"),
        ("process", "en", "process"),  # -ss is no plural
        ("status", "en", "status"),
        ("modernisation", "en", "modernization"),
        ("BRI", "en", "bri"),
        ("Communauté", "fr", "communaute"),
        ("réformes", "fr", "reforme"),
        ("Naciones", "es", "nacion"),
        ("países", "es", "pais"),
        ("Größe", "de", "grosse"),
        ("Ёлка", "ru", "елка"),
        ("Йод", "ru", "йод"),  # й is its own letter: only stress marks go
        ("де\u0301ло", "ru", "дело"),
    ],
)
def test_each_language_normalises_words_its_own_way(word: str, lang: str, normal: str) -> None:
    assert normalise_word(word, lang) == normal


def test_case_hyphen_quote_and_plural_insensitive(annotator: Annotator) -> None:
    text = "Building a “Community-with-a Shared FUTURE for Mankind” and whole process People’s Democracies."
    assert found(annotator, text) == [
        ("Community-with-a Shared FUTURE for Mankind", "rlmygtt", "high"),
        ("whole process People’s Democracies", "qgc", "high"),
    ]


def test_leftmost_longest_beats_the_shorter_rendering_inside(annotator: Annotator) -> None:
    assert found(annotator, "a community with a shared future for mankind; a shared future") == [
        ("community with a shared future for mankind", "rlmygtt", "high"),
        ("shared future", "gxwl", "high"),
    ]


def test_whole_words_only_and_acronyms_in_capitals(annotator: Annotator) -> None:
    assert found(annotator, "The BRIDGE, the BRI, a bri and sub-BRI.") == [
        ("BRI", "ydyl", "high"),
        ("BRI", "ydyl", "high"),
    ]
    assert found(annotator, "Xinhuanetwork and reshared futures") == []


def test_punctuation_or_chinese_between_words_breaks_a_rendering(annotator: Annotator) -> None:
    assert found(annotator, "a shared, future; shared 的 future; shared. Future") == []


def test_one_lower_case_word_is_reported_low_and_not_linked(annotator: Annotator) -> None:
    text = "This trend is irreversible, says Xinhuanet."
    assert found(annotator, text) == [("irreversible", "bkzn", "low"), ("Xinhuanet", "xhw", "high")]
    html = render_html(annotate_text(annotator, text), "/terms/{slug}")
    assert "/terms/xhw" in html and "/terms/bkzn" not in html
    assert "/terms/bkzn" in render_html(annotate_text(annotator, text), "/terms/{slug}", unconfirmed=True)


def test_policies_and_shared_renderings(annotator: Annotator) -> None:
    text = "a system approach, dual circulation and common prosperity"
    assert found(annotator, text) == [("system approach", "xt", "low"), ("common prosperity", "cs1", "low")]


def test_deprecated_rendering_is_flagged_with_the_current_one(annotator: Annotator) -> None:
    (match,) = annotate_text(annotator, "the community of common destiny").to_dict()["matches"]
    assert match | {"start": 0, "end": 0} == match | {
        "start": 0,
        "end": 0,
        "slug": "rlmygtt",
        "form_type": "rendering",
        "text_lang": "en",
        "rendering": "community of common destiny",
        "status": "deprecated",
        "deprecated": True,
        "current": "community with a shared future for mankind",
    }
    (official,) = annotate_text(annotator, "Political Bureau").to_dict()["matches"]
    assert official["status"] == "official" and "deprecated" not in official and "current" not in official


def test_mixed_english_and_chinese_gets_both(annotator: Annotator) -> None:
    text = "Xi called for a community with a shared future for mankind (人类命运共同体) and the BRI (一带一路)."
    result = annotate_text(annotator, text).to_dict()
    assert [(m["surface"], m["slug"], m.get("text_lang")) for m in result["matches"]] == [
        ("community with a shared future for mankind", "rlmygtt", "en"),
        ("人类命运共同体", "rlmygtt", None),
        ("BRI", "ydyl", "en"),
        ("一带一路", "ydyl", None),
    ]
    assert result["terms"] == [{"slug": "rlmygtt", "count": 2}, {"slug": "ydyl", "count": 2}]


@pytest.mark.parametrize(
    ("text", "lang", "surface"),
    [
        ("Construire une Communauté de destin pour l’humanité.", "fr", "Communauté de destin pour l’humanité"),
        ("Die Schicksalsgemeinschaft der Menschheit wird gebaut.", "de", "Schicksalsgemeinschaft der Menschheit"),
        (
            "La comunidad de destino comun de la humanidad y el mundo.",
            "es",
            "comunidad de destino comun de la humanidad",
        ),
        ("Построение СООБЩЕСТВА единой судьбы человечества", "ru", None),
        ("Построение Сообщество Единой Судьбы Человечества", "ru", "Сообщество Единой Судьбы Человечества"),
        ("人類運命共同体の構築", "ja", "人類運命共同体"),
        ("ｼﾞﾝﾙｲ 人類運命共同体", "ja", "人類運命共同体"),
    ],
)
def test_other_languages_are_detected_and_matched(
    annotator: Annotator, text: str, lang: str, surface: str | None
) -> None:
    assert lang in detect(text)
    matches = annotate_text(annotator, text).to_dict()["matches"]
    expected = [(surface, lang)] if surface else []  # Russian has no case folding of endings: сообщества ≠ сообщество
    assert [(m["surface"], m["text_lang"]) for m in matches] == expected


def test_japanese_folds_width_and_kana() -> None:
    ja = entry("ydylja", "一带一路", ("ja", "一帯一路イニシアティブ", "official"))
    annotator = Annotator([ja], shared_segmenter())
    text = "「一帯一路いにしあてぃぶ」と一帯一路ｲﾆｼｱﾃｨﾌﾞ"
    assert [m["surface"] for m in annotate_text(annotator, text).to_dict()["matches"]] == [
        "一帯一路いにしあてぃぶ",
        "一帯一路ｲﾆｼｱﾃｨﾌﾞ",
    ]


def test_text_lang_chooses_the_language_and_zh_turns_renderings_off(annotator: Annotator) -> None:
    text = "la comunidad de destino común de la humanidad"
    assert found(annotator, text, "es") == [("comunidad de destino común de la humanidad", "rlmygtt", "high")]
    assert found(annotator, text, "en") == []
    assert found(annotator, "BRI 一带一路", "zh") == [("一带一路", "ydyl", "high")]


@pytest.mark.parametrize(
    ("text", "langs"),
    [
        ("人类命运共同体", ()),
        ("the party and the state", ("en",)),
        ("le parti et les masses", ("fr",)),
        ("die Partei und das Volk", ("de",)),
        ("el partido y los pueblos", ("es",)),
        ("BRI", ("en",)),
        ("партия и народ", ("ru",)),
        ("党の指導", ("ja",)),
    ],
)
def test_detect(text: str, langs: tuple[str, ...]) -> None:
    assert detect(text) == langs


def test_a_longer_rendering_replaces_a_shorter_chinese_match_and_ties_keep_chinese() -> None:
    both = entry("ab", "BRI", ("en", "BRI", "official"))  # a form and a rendering spelled alike
    longer = entry("cd", "甲", ("ja", "甲乙丙", "official"))
    annotator = Annotator([both, longer], shared_segmenter())
    (tie,) = annotate_text(annotator, "the BRI").matches
    assert tie.rendering is None
    (long,) = annotate_text(annotator, "甲乙丙の", "ja").matches
    assert (long.start, long.end, long.rendering is not None) == (0, 3, True)


def test_nested_chinese_matches_stay_with_their_outer_match(annotator: Annotator) -> None:
    nested_entry = entry("gtt", "共同体", ("en", "community", "preferred"))
    annotator = Annotator([*ENTRIES, nested_entry], shared_segmenter())
    matches = annotate_text(annotator, "人类命运共同体 and a shared future", nested=True).to_dict()["matches"]
    assert [(m["surface"], m.get("nested", False)) for m in matches] == [
        ("人类命运共同体", False),
        ("共同体", True),
        ("shared future", False),
    ]


def test_chinese_text_alone_is_annotated_as_before(annotator: Annotator) -> None:
    text = "推动构建人类命运共同体，共建一带一路。" * 3
    assert annotate_text(annotator, text).to_dict() == annotator.annotate(text).to_dict()


def test_the_current_rendering_is_the_official_one_the_glossary_prefers() -> None:
    renderings = with_current(
        [
            Rendering("en", "global community of shared future", "official"),
            Rendering("en", "community with a shared future for mankind", "official"),
            Rendering("en", "community with a shared future for mankind", "preferred"),
            Rendering("en", "community of common destiny", "deprecated"),
            Rendering("fr", "destin commun", "deprecated"),
            Rendering("fr", "communauté de destin", "preferred"),
            Rendering("de", "Schicksal", "deprecated"),
        ]
    )
    assert [r.current for r in renderings if r.status == "deprecated"] == [
        "community with a shared future for mankind",
        "communauté de destin",
        None,
    ]

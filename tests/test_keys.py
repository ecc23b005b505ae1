"""Search keys: what they normalise, and that every key character maps back to the text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.text.keys import form_key, form_keyed, latin_key, latin_keyed, pinyin_key, pinyin_keyed

# letters, accents (precomposed and combining), tone marks, ß and ligatures, full-width forms,
# punctuation and spaces: what translations and typed pinyin are made of
TEXT = st.text(
    st.sampled_from(
        list("aeiouvAEIOUV ngzhSTRß:'-·…,. \u00a0")
        + list("éèêëüǖǘǚǜàáǎāÉÜŒœﬁ")
        + ["\u0301", "\u0308", "\u030c", "\u0304", "ｗ", "ａ", "：", "Ｓ", "İ", "ǅ"]
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, st.text(max_size=30)))
@pytest.mark.parametrize(
    ("key", "keyed"), [(latin_key, latin_keyed), (pinyin_key, pinyin_keyed), (form_key, form_keyed)]
)
def test_a_key_with_its_map_is_the_key(key, keyed, text: str) -> None:
    """Search indexes and queries with the plain functions and highlights with the mapped ones."""
    assert keyed(text).key == key(text)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.data())
@pytest.mark.parametrize("keyed", [latin_keyed, pinyin_keyed, form_keyed])
def test_every_piece_of_a_key_maps_to_text_that_has_it(keyed, text: str, data: st.DataObject) -> None:
    k = keyed(text)
    assert len(k.starts) == len(k.ends) == len(k.key)
    if not k.key:
        return
    i = data.draw(st.integers(0, len(k.key) - 1))
    j = data.draw(st.integers(i + 1, len(k.key)))
    start, end = k.span(i, j)
    assert 0 <= start < end <= len(text)
    if k.key[i] != " " and k.key[j - 1] != " ":
        assert k.key[i:j] in keyed(text[start:end]).key


@pytest.mark.parametrize(
    ("keyed", "value", "query", "selected"),
    [
        (latin_keyed, "Souveraineté : théorie et pratique", "theorie", "théorie"),
        (latin_keyed, "Souveraineté : théorie et pratique", "souverainete theorie", "Souveraineté : théorie"),
        (latin_keyed, "-Straße der Zukunft", "strasse", "Straße"),
        (latin_keyed, "-Straße der Zukunft", "strasse der", "Straße der"),
        (latin_keyed, "Cre\u0301ation", "creation", "Cre\u0301ation"),
        (pinyin_keyed, "wǎngluò dà V", "wangluo", "wǎngluò"),
        (pinyin_keyed, "wǎngluò dà V", "luoda", "luò dà"),
        (pinyin_keyed, "lu:4se4 fa1zhan3", "lvse", "lu:4se"),
        (pinyin_keyed, "nu:3 lu:4", "v3l", "u:3 l"),
        (form_keyed, "網絡 主權", "络主", "絡 主"),
    ],
)
def test_a_match_in_the_key_selects_exactly_that_text(keyed, value: str, query: str, selected: str) -> None:
    k = keyed(value)
    needle = keyed(query).key
    i = k.key.index(needle)
    start, end = k.span(i, i + len(needle))
    assert value[start:end] == selected


def test_full_width_pinyin_is_plain_pinyin() -> None:
    assert pinyin_key("ｗａｎｇｌｕｏ　ｚｈｕｑｕａｎ") == "wangluozhuquan"

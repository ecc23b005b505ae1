"""Pinyin derivation: what reaches the output is pinyin, never a Han character."""

from __future__ import annotations

import re

import pytest

from glossary.text.fold import CJK
from glossary.text.pinyin import syllables, to_pinyin
from glossary.text.segment import shared_segmenter


@pytest.mark.parametrize(
    "text",
    ["𠮷野家", "中国\U00020000", "\U0002a700发展", "\U00030000中国", "\uf900中国"],
    ids=["ext-b-jí", "ext-b-first", "ext-c", "ext-g", "compatibility"],
)
def test_han_characters_of_every_plane_never_reach_the_pinyin(text: str) -> None:
    import re

    out = to_pinyin(text, shared_segmenter())
    assert not re.search(f"[{CJK}]", out), out
    assert out  # the readable part is still there


def test_letters_and_digits_in_a_form_are_kept() -> None:
    assert to_pinyin("5G网络", shared_segmenter()).startswith("5G")


def test_every_seed_entry_aligns_one_syllable_with_each_character() -> None:
    """Ruby sets each syllable over its character; an entry whose pinyin does not align falls
    back to one block over the term. Counted here so a new seed entry that falls back is seen."""
    from glossary.services.seed import load_seed
    from glossary.text.render import ruby_syllables

    fallbacks = []
    checked = 0
    for term in load_seed()["terms"]:
        written = {term["simplified"], term["traditional"]} | {f["text"] for f in term.get("forms", [])}
        for surface in sorted(written):
            if len(surface) != len(term["simplified"]):
                continue  # an abbreviation or a longer form: shown with the block, by design
            pairs = ruby_syllables(surface, term["simplified"], term["traditional"], term["pinyin"])
            checked += 1
            if pairs is None:
                fallbacks.append((surface, term["pinyin"]))
                continue
            assert "".join(char for char, _ in pairs) == surface
            han = [reading for char, reading in pairs if re.match(f"[{CJK}]", char)]
            assert all(han), (surface, pairs)  # every character has its syllable
            rebuilt = "".join(reading or char for char, reading in pairs)  # letters and digits read as written
            assert re.sub(r"\W", "", rebuilt).lower() == re.sub(r"\W", "", term["pinyin"]).lower(), surface
    assert checked > 500
    assert sorted(fallbacks) == [
        ("三权分立", "sān quán dǐnglì"),  # a form with other characters than the entry's own
        ("互联网+", "hùliánwǎng jiā"),  # '+' is no Han character, but is read (jiā)
        ("互聯網+", "hùliánwǎng jiā"),
    ]


@pytest.mark.parametrize(
    ("hanzi", "word_pinyin", "readings"),
    [
        ("人类命运共同体", "rénlèi mìngyùn gòngtóngtǐ", ["rén", "lèi", "mìng", "yùn", "gòng", "tóng", "tǐ"]),
        ("两岸一家亲", "liǎng'àn yī jiā qīn", ["liǎng", "àn", "yī", "jiā", "qīn"]),  # apostrophe
        ("西安", "Xī'ān", ["Xī", "ān"]),  # not xiān
        (
            "中国-中东欧研究院",
            "Zhōngguó-Zhōngdōng'ōu Yánjiūyuàn",
            ["Zhōng", "guó", "", "Zhōng", "dōng", "ōu", "Yán", "jiū", "yuàn"],
        ),
        ("一点儿", "yìdiǎnr", ["yì", "diǎn", "r"]),  # erhua
        ("主权AI基础设施", "zhǔquán AI jīchǔ shèshī", ["zhǔ", "quán", "", "", "jī", "chǔ", "shè", "shī"]),
        ("网络主权：理论", "Wǎngluò zhǔquán: lǐlùn", ["Wǎng", "luò", "zhǔ", "quán", "", "lǐ", "lùn"]),
    ],
)
def test_pinyin_is_cut_into_one_syllable_per_character(hanzi: str, word_pinyin: str, readings: list[str]) -> None:
    pairs = syllables(hanzi, word_pinyin)
    assert pairs is not None
    assert [reading for _, reading in pairs] == readings


@pytest.mark.parametrize(
    ("hanzi", "word_pinyin"),
    [
        ("网络主权", "wǎngluò"),  # too few syllables (wǎ-ng-lu-ò is not pinyin)
        ("网络", "wǎngluò zhǔquán"),  # too many
        ("西安", "xīān"),  # a syllable starting with a vowel needs its apostrophe
        ("网络", "wang luo x"),  # a letter no character accounts for
    ],
)
def test_pinyin_that_does_not_align_is_refused_not_guessed(hanzi: str, word_pinyin: str) -> None:
    assert syllables(hanzi, word_pinyin) is None


def test_only_the_terms_own_forms_get_a_syllable_each() -> None:
    from glossary.text.render import ruby_syllables

    args = ("网络主权", "網絡主權", "wǎngluò zhǔquán")
    assert ruby_syllables("網絡主權", *args)[0] == ("網", "wǎng")  # as written in the text
    assert ruby_syllables("網络主權", *args)[1] == ("络", "luò")  # scripts mixed: each character folds
    assert ruby_syllables("網路主權", *args) is None  # Taiwan's 路 is another character (lù), not 络 (luò)
    assert ruby_syllables("网络\n主权", *args) is None  # broken by a line break: one block
    assert ruby_syllables("网主", *args) is None  # an abbreviation: one block
    assert ruby_syllables("网络主义", *args) is None  # another character
    comma = ruby_syllables(
        "不忘初心，牢记使命", "不忘初心、牢记使命", "不忘初心、牢記使命", "bù wàng chūxīn, láojì shǐmìng"
    )
    assert comma is not None and comma[4] == ("，", "")  # a punctuation variant still aligns

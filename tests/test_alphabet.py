"""The annotator's byte code: fixed width, self-synchronising, and a scan in it finds what a scan
of the plain text finds, at the same offsets."""

from __future__ import annotations

import ahocorasick_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.text.alphabet import Alphabet
from glossary.text.annotate import Annotator, Entry

CHARS = "人类命运共同体网络主权a1"
# past 16,383 distinct characters a code needs three bytes
WIDE = "".join(chr(0x4E00 + i) for i in range(16_400))


def test_two_bytes_a_character_and_one_code_for_all_others() -> None:
    alphabet = Alphabet(["网络主权", "主权"])
    assert alphabet.width == 2
    coded = alphabet.encode("网络主权𠮷x")
    assert len(coded) == 2 * 6  # an astral character is one code point, so one code
    assert coded[:8] == alphabet.key("网络主权")
    assert coded[8:10] == coded[10:12]  # 𠮷 and x are in no key: the same code
    assert all(b >= 0x80 for b in coded[::2]) and all(b < 0x80 for b in coded[1::2])


def test_three_bytes_past_16383_characters() -> None:
    assert Alphabet([WIDE[:16_383]]).width == 2
    alphabet = Alphabet([WIDE])
    assert alphabet.width == 3
    assert len({alphabet.key(c) for c in WIDE}) == len(WIDE)
    assert alphabet.encode(WIDE[-3:]) == alphabet.key(WIDE[-3:])


def scans(keys: list[str], text: str, alphabet: Alphabet) -> tuple[list, list]:
    """Overlapping matches of ``keys`` in ``text``, by a scan of the code and of the plain text."""
    coded = ahocorasick_rs.BytesAhoCorasick([alphabet.key(k) for k in keys])
    plain = ahocorasick_rs.AhoCorasick(keys)
    width = alphabet.width
    found = [
        (k, s // width, e // width, s % width, e % width)
        for k, s, e in coded.find_matches_as_indexes(alphabet.encode(text), overlapping=True)
    ]
    return sorted(found), sorted((k, s, e, 0, 0) for k, s, e in plain.find_matches_as_indexes(text, overlapping=True))


keys_st = st.lists(st.text(st.sampled_from(CHARS), min_size=1, max_size=4), min_size=1, max_size=12, unique=True)
text_st = st.text(st.sampled_from(CHARS + "的，𠮷\n"), max_size=60)


@settings(max_examples=200, deadline=None)
@given(keys=keys_st, text=text_st)
def test_a_scan_of_the_code_finds_what_a_scan_of_the_text_finds(keys: list[str], text: str) -> None:
    by_code, by_text = scans(keys, text, Alphabet(keys))
    assert by_code == by_text  # every match starts and ends on a character boundary, too


@pytest.fixture(scope="module")
def wide_alphabet() -> Alphabet:
    return Alphabet([WIDE, CHARS])


@settings(max_examples=100, deadline=None)
@given(keys=keys_st, text=text_st)
def test_the_three_byte_code_is_self_synchronising_too(wide_alphabet: Alphabet, keys: list[str], text: str) -> None:
    by_code, by_text = scans(keys, text, wide_alphabet)
    assert by_code == by_text


def test_an_annotator_over_a_three_byte_alphabet_finds_the_same_terms() -> None:
    unified = "".join(map(chr, range(0x4E00, 0xA000)))  # 20,992 characters, over 16,383 once folded
    entries = [Entry("wide", WIDE[:200], WIDE[:200], "", (unified,))] + [
        Entry(slug, form, form, "", ()) for slug, form in (("wlzq", "网络主权"), ("rlmygtt", "人类命运共同体"))
    ]
    annotator = Annotator(entries)
    assert annotator._alphabet.width == 3
    text = "维护网络主权，推动构建人类命运\n共同体" + WIDE[:200]
    found = [(text[m.start : m.end], m.entry.slug) for m in annotator.annotate(text).matches]
    assert found == [("网络主权", "wlzq"), ("人类命运\n共同体", "rlmygtt"), (WIDE[:200], "wide")]

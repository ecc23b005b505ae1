"""Pinyin derivation: what reaches the output is pinyin, never a Han character."""

from __future__ import annotations

import pytest

from glossary.text.fold import CJK
from glossary.text.pinyin import to_pinyin
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

"""Normalised keys and n-grams under which search finds forms, pinyin and translations."""

from __future__ import annotations

import re

from .fold import CJK, fold, strip_accents
from .pinyin import search_key as pinyin_key

_HAN = re.compile(f"[{CJK}]")
_WORD = re.compile(r"[^\W_]+")

__all__ = ["form_key", "grams", "has_han", "latin_key", "pinyin_key", "word_starts"]


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def form_key(text: str) -> str:
    """Chinese forms compare folded (traditional → simplified, full-width → half-width), no spaces."""
    return "".join(fold(text).split())


def latin_key(text: str) -> str:
    """Translations compare case- and accent-insensitively, punctuation as spaces."""
    return " ".join(_WORD.findall(strip_accents(text).casefold()))


def word_starts(key: str) -> list[int]:
    """Offsets in a latin key where a word after the first begins (for word-prefix search)."""
    return [m.start() for m in re.finditer(r"(?<= )\S", key)]


def grams(key: str) -> set[str]:
    """Han keys: single characters and bigrams. Others: trigrams (the key itself when shorter)."""
    if has_han(key):
        return set(key) | {key[i : i + 2] for i in range(len(key) - 1)}
    if len(key) < 3:
        return {key} if key else set()
    return {key[i : i + 3] for i in range(len(key) - 2)}

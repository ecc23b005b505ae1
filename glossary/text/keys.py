"""Normalised keys and n-grams under which search finds forms, pinyin and translations.

Each key also comes as a Keyed, with a map back to the text it came from (as fold.Compacted
does for the annotator), so a match found in a key can be highlighted exactly in the text a
user sees. The plain functions index and parse queries (nine times faster); the tests check
that both give the same key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .fold import CJK, fold, strip_accents
from .pinyin import strip_tones

_HAN = re.compile(f"[{CJK}]")
_WORD = re.compile(r"[^\W_]+")
_NOT_PINYIN = re.compile(r"[^a-z]")

__all__ = [
    "Keyed",
    "form_key",
    "form_keyed",
    "grams",
    "has_han",
    "latin_key",
    "latin_keyed",
    "pinyin_key",
    "pinyin_keyed",
    "word_starts",
]


@dataclass(frozen=True, slots=True)
class Keyed:
    """A key and, for each of its characters, the span [start, end) of the text it stands for."""

    key: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The text's [start, end) for the key's [start, end) (end > start)."""
        return self.starts[start], self.ends[end - 1]


def _clusters(text: str) -> Iterator[tuple[int, int]]:
    """A character with the combining marks after it: normalising one cluster at a time gives
    what normalising the whole text gives, since NFD/NFC reorder and compose only inside one."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not unicodedata.combining(text[i]):
            yield start, i
            start = i


def _mapped(text: str, normalise: Callable[[str], str]) -> tuple[str, list[int], list[int]]:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for a, b in _clusters(text):
        for ch in normalise(text[a:b]):
            chars.append(ch)
            starts.append(a)
            ends.append(b)
    return "".join(chars), starts, ends


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def form_keyed(text: str) -> Keyed:
    """form_key with its map."""
    kept = [(ch, i) for i, ch in enumerate(fold(text)) if not ch.isspace()]
    return Keyed("".join(ch for ch, _ in kept), tuple(i for _, i in kept), tuple(i + 1 for _, i in kept))


def form_key(text: str) -> str:
    """Chinese forms compare folded (traditional → simplified, full-width → half-width), no spaces."""
    return "".join(fold(text).split())


def latin_keyed(text: str) -> Keyed:
    """latin_key with its map; a space in the key stands for what separated two words."""
    norm, starts, ends = _mapped(text, lambda cluster: strip_accents(cluster).casefold())
    key: list[str] = []
    key_starts: list[int] = []
    key_ends: list[int] = []
    for m in _WORD.finditer(norm):
        i, j = m.span()
        if key:
            key.append(" ")
            key_starts.append(key_ends[-1])
            key_ends.append(starts[i])
        key.append(m.group())
        key_starts += starts[i:j]
        key_ends += ends[i:j]
    return Keyed("".join(key), tuple(key_starts), tuple(key_ends))


def latin_key(text: str) -> str:
    """Translations compare case- and accent-insensitively, punctuation as spaces."""
    return " ".join(_WORD.findall(strip_accents(text).casefold()))


def pinyin_keyed(pinyin: str) -> Keyed:
    """pinyin_key with its map (u: maps back to both characters)."""
    norm, starts, ends = _mapped(pinyin, lambda cluster: strip_tones(unicodedata.normalize("NFKC", cluster)).lower())
    key: list[str] = []
    key_starts: list[int] = []
    key_ends: list[int] = []
    i = 0
    while i < len(norm):
        ch, start, end = norm[i], starts[i], ends[i]
        if ch == "u" and norm[i + 1 : i + 2] == ":":  # u: is ü, spanning both
            ch, end = "v", ends[i + 1]
            i += 1
        elif ch == "ü":
            ch = "v"
        if "a" <= ch <= "z":
            key.append(ch)
            key_starts.append(start)
            key_ends.append(end)
        i += 1
    return Keyed("".join(key), tuple(key_starts), tuple(key_ends))


def pinyin_key(pinyin: str) -> str:
    """How pinyin is compared: toneless, no spaces or apostrophes, ü written v, lower case.

    Accepts what people type: tone marks, tone numbers (wang3luo4), 'u:' or 'v' for ü, and
    full-width letters (ｗａｎｇｌｕｏ, from an input method left in full-width mode)."""
    text = strip_tones(unicodedata.normalize("NFKC", pinyin)).lower().replace("u:", "ü").replace("ü", "v")
    return _NOT_PINYIN.sub("", text)


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


def within_edits(a: str, b: str, limit: int) -> bool:
    """Whether a and b are at most ``limit`` single-character insertions, deletions or
    substitutions apart (Levenshtein), computed only along the diagonal band that can stay within
    it — search compares short words with a limit of 1 or 2, so this is a few dozen steps.

    It replaced rapidfuzz (2026-12-03): importing rapidfuzz 3.14.6 in this service left Python's
    garbage collector walking a corrupted heap, and ``glossary export`` died with SIGSEGV on a
    glossary of 315 terms (gc.disable() or not importing rapidfuzz made it go away)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [limit + 1] * len(b)
        low, high = max(1, i - limit), min(len(b), i + limit)
        for j in range(low, high + 1):
            cost = 0 if ca == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if min(current[max(0, low - 1) : high + 1]) > limit:
            return False
        previous = current
    return previous[len(b)] <= limit

"""Code-point-preserving folding, so that offsets in folded text are offsets in the original.

Every character maps to exactly one character: traditional and regional variants to simplified,
full-width Latin, digits and punctuation to half-width, letters to lower case.  Interruptions
inside a CJK run (line breaks, spaces, soft hyphens) are removed separately by :func:`compact`,
which keeps a map back to the original positions.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import opencc

_DICT_DIR = Path(opencc.__file__).resolve().parent / "dictionary"
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_IGNORABLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_SPACE = " \t\r\n\u00a0\u3000"
_RUN = re.compile(f"[{_SPACE}{_IGNORABLE}]+")  # a plain character set: the regex engine scans it fast
_CJK_CHAR = re.compile(f"[{CJK}]")
_ONLY_IGNORABLE = re.compile(f"[{_IGNORABLE}]+")


def _read_pairs(name: str) -> dict[str, str]:
    """First candidate of each single-character entry of an OpenCC dictionary file."""
    pairs: dict[str, str] = {}
    for line in (_DICT_DIR / name).read_text("utf-8").splitlines():
        if "\t" not in line:
            continue
        src, targets = line.split("\t", 1)
        first = targets.split(" ")[0]
        if len(src) == 1 and len(first) == 1 and src != first:
            pairs[src] = first
    return pairs


@cache
def fold_table() -> dict[int, str]:
    to_simplified = _read_pairs("TSCharacters.txt")
    table: dict[int, str] = {}
    for variants in ("TWVariantsRev.txt", "HKVariantsRev.txt"):
        for variant, standard in _read_pairs(variants).items():
            table[ord(variant)] = to_simplified.get(standard, standard)
    for trad, simp in to_simplified.items():
        table[ord(trad)] = simp
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII block
        table[cp] = chr(cp - 0xFEE0)
    table[0x3000] = " "
    for cp in range(0x20, 0x3000):
        if cp not in table and len(low := chr(cp).lower()) == 1 and low != chr(cp):
            table[cp] = low
    for cp, value in table.items():
        if len(low := value.lower()) == 1:
            table[cp] = low
    return table


@cache
def _lookup() -> np.ndarray:
    """fold_table() as an array indexed by code point, for a vectorised fold."""
    lut = np.arange(0x110000, dtype=np.uint32)
    for cp, ch in fold_table().items():
        lut[cp] = ord(ch)
    return lut


def fold(text: str) -> str:
    """Fold character by character; ``len(fold(t)) == len(t)`` always (surrogates pass through).

    Long texts go through a lookup array (10× faster than str.translate); short ones, such as
    glossary forms, through the mapping directly.
    """
    if len(text) < 4096:
        return text.translate(fold_table())
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return _lookup()[codes].tobytes().decode("utf-32-le", "surrogatepass")


@dataclass(frozen=True, slots=True)
class Compacted:
    """Folded text with interruptions removed, and the way back to original offsets."""

    text: str
    starts: list[int]  # compact index where a removed gap ends
    shifts: list[int]  # characters removed before that index

    def original(self, index: int) -> int:
        i = bisect.bisect_right(self.starts, index) - 1
        return index + (self.shifts[i] if i >= 0 else 0)

    def spans(self, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
        """span() for many matches at once."""
        if not self.starts:
            return starts, ends
        marks = np.asarray(self.starts)
        shifts = np.concatenate(([0], np.asarray(self.shifts)))
        s = np.asarray(starts)
        e = np.asarray(ends) - 1
        o_s = s + shifts[np.searchsorted(marks, s, side="right")]
        o_e = e + shifts[np.searchsorted(marks, e, side="right")] + 1
        return o_s.tolist(), o_e.tolist()

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of compact [start, end); the span covers any removed gap inside."""
        return self.original(start), self.original(end - 1) + 1

    def interrupted(self, start: int, end: int) -> bool:
        o_start, o_end = self.span(start, end)
        return o_end - o_start != end - start


def _gaps(folded: str) -> Iterator[re.Match[str]]:
    """Runs to remove: soft hyphens and zero-width characters anywhere; spaces and line breaks
    only between two CJK characters (so Latin words stay apart)."""
    end = len(folded)
    for m in _RUN.finditer(folded):
        a, b = m.start(), m.end()
        if (a > 0 and b < end and _CJK_CHAR.match(folded, a - 1) and _CJK_CHAR.match(folded, b)) or (
            _ONLY_IGNORABLE.fullmatch(m.group())
        ):
            yield m


def compact(folded: str) -> Compacted:
    starts: list[int] = []
    shifts: list[int] = []
    pieces: list[str] = []
    pos = removed = 0
    for m in _gaps(folded):
        pieces.append(folded[pos : m.start()])
        removed += m.end() - m.start()
        starts.append(m.end() - removed)
        shifts.append(removed)
        pos = m.end()
    if not starts:
        return Compacted(folded, starts, shifts)
    pieces.append(folded[pos:])
    return Compacted("".join(pieces), starts, shifts)


def strip_accents(text: str) -> str:
    """Remove combining marks (souveraineté → souverainete)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))

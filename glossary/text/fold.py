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
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import opencc

_DICT_DIR = Path(opencc.__file__).resolve().parent / "dictionary"
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_IGNORABLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_GAP = re.compile(rf"(?<=[{CJK}])[ \t\r\n\u00a0\u3000{_IGNORABLE}]+(?=[{CJK}])|[{_IGNORABLE}]+")


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


def fold(text: str) -> str:
    """Fold character by character; ``len(fold(t)) == len(t)`` always."""
    return text.translate(fold_table())


@dataclass(frozen=True, slots=True)
class Compacted:
    """Folded text with interruptions removed, and the way back to original offsets."""

    text: str
    starts: list[int]  # compact index where a removed gap ends
    shifts: list[int]  # characters removed before that index

    def original(self, index: int) -> int:
        i = bisect.bisect_right(self.starts, index) - 1
        return index + (self.shifts[i] if i >= 0 else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of compact [start, end); the span covers any removed gap inside."""
        return self.original(start), self.original(end - 1) + 1

    def interrupted(self, start: int, end: int) -> bool:
        o_start, o_end = self.span(start, end)
        return o_end - o_start != end - start


def compact(folded: str) -> Compacted:
    starts: list[int] = []
    shifts: list[int] = []
    pieces: list[str] = []
    pos = removed = 0
    for m in _GAP.finditer(folded):
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

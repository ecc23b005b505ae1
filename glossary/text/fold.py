"""Code-point-preserving folding, so that offsets in folded text are offsets in the original.

Every character maps to exactly one character: traditional and regional variants to simplified,
full-width Latin, digits and punctuation to half-width, letters to lower case, lone surrogates
to U+FFFD.  Interruptions next to Chinese characters (line breaks, spaces, soft hyphens) are
removed separately by :func:`compact`, which keeps a map back to the original positions.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import opencc

_DICT_DIR = Path(opencc.__file__).resolve().parent / "dictionary"
# CJK unified ideographs, their extensions A–H (B onward on the astral planes) and compatibility ideographs
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U000323af"
_IGNORABLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# every character str.isspace() accepts (line and paragraph separators, thin and no-break spaces …)
_SPACE = " \t\n\v\f\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_RUN = re.compile(f"[{_SPACE}{_IGNORABLE}]+")  # a plain character set: the regex engine scans it fast
_CJK_CHAR = re.compile(f"[{CJK}]")
_ONLY_IGNORABLE = re.compile(f"[{_IGNORABLE}]+")
_PLAIN_SPACES = re.compile("[ \xa0]+")  # after fold, U+3000 is a plain space too


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
    for cp in range(0xD800, 0xE000):  # a lone surrogate cannot be encoded: it matches nothing
        table[cp] = "\ufffd"
    return table


@cache
def _lookup() -> np.ndarray:
    """fold_table() as an array indexed by code point, for a vectorised fold."""
    lut = np.arange(0x110000, dtype=np.uint32)
    for cp, ch in fold_table().items():
        lut[cp] = ord(ch)
    return lut


def fold(text: str) -> str:
    """Fold character by character; ``len(fold(t)) == len(t)`` always.

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
    hard: list[int]  # of those, characters that interrupt a word (not a space beside Latin text)
    # starts, shifts and hard as arrays for locate(), made on its first call: an annotation
    # locates once per outer match with nested forms, and a long document has thousands of gaps
    _arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(default=None, repr=False, compare=False)

    def original(self, index: int) -> int:
        i = bisect.bisect_right(self.starts, index) - 1
        return index + (self.shifts[i] if i >= 0 else 0)

    def locate(
        self, starts: Sequence[int] | np.ndarray, ends: Sequence[int] | np.ndarray
    ) -> tuple[list[int], list[int], list[bool]]:
        """span() for many matches at once, and for each whether a line break, soft hyphen or a
        space between two Chinese characters was removed inside it (a plain space between Chinese
        and Latin text, as in 主权 AI, is ordinary typesetting, not an interruption)."""
        if not self.starts:
            return np.asarray(starts).tolist(), np.asarray(ends).tolist(), [False] * len(starts)
        arrays = self._arrays
        if arrays is None:
            arrays = (
                np.asarray(self.starts),
                np.concatenate(([0], np.asarray(self.shifts))),
                np.concatenate(([0], np.asarray(self.hard))),
            )
            object.__setattr__(self, "_arrays", arrays)  # frozen: a cache, not a change of value
        marks, shifts, hard = arrays
        s = np.asarray(starts)
        e = np.asarray(ends) - 1
        at_s = np.searchsorted(marks, s, side="right")
        at_e = np.searchsorted(marks, e, side="right")
        return (s + shifts[at_s]).tolist(), (e + shifts[at_e] + 1).tolist(), (hard[at_e] > hard[at_s]).tolist()

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of compact [start, end); the span covers any removed gap inside."""
        return self.original(start), self.original(end - 1) + 1


def _gaps(folded: str) -> Iterator[tuple[re.Match[str], bool]]:
    """Runs to remove, each with whether it interrupts a word: soft hyphens and zero-width
    characters anywhere; spaces and line breaks where a Chinese character stands on at least one
    side (so Latin words stay apart, and 主权 AI, 主权AI and 主权\nAI all read alike)."""
    end = len(folded)
    for m in _RUN.finditer(folded):
        a, b = m.start(), m.end()
        if _ONLY_IGNORABLE.fullmatch(m.group()):
            yield m, True
        elif a > 0 and b < end:
            left, right = _CJK_CHAR.match(folded, a - 1), _CJK_CHAR.match(folded, b)
            if left or right:
                yield m, bool(left and right) or not _PLAIN_SPACES.fullmatch(m.group())


@cache
def _gap_classes() -> np.ndarray:
    """Per code point: 1 a space or line break, 2 a soft hyphen or zero-width character, 4 a
    Chinese character, 8 a plain space (after fold: " " or no-break), for _compact_long()."""
    classes = np.zeros(0x110000, dtype=np.uint8)
    space = re.compile(f"[{_SPACE}]")
    classes[[cp for cp in range(0x3001) if space.match(chr(cp))]] |= 1  # every one is below U+3001
    for ch in _IGNORABLE:
        classes[ord(ch)] = 2
    for lo, hi in re.findall(r"(.)-(.)", CJK):
        classes[ord(lo) : ord(hi) + 1] |= 4
    classes[[ord(" "), 0xA0]] |= 8
    return classes


def _compact_long(folded: str) -> Compacted:
    """compact() with numpy instead of a Python loop over every gap (a long text has tens of
    thousands): the same runs, the same rule, the same result (a test compares the two)."""
    codes = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = _gap_classes()
    at = np.flatnonzero(classes[codes] & 3)  # every space, line break or ignorable character
    if not len(at):
        return Compacted(folded, [], [], [])
    first = np.flatnonzero(np.diff(at, prepend=-2) != 1)  # where each run of them begins, in at
    a = at[first]
    length = np.diff(first, append=len(at))
    b = a + length
    kind = classes[codes[at]]
    spaces = np.add.reduceat((kind & 1).astype(np.int64), first)
    plain = np.add.reduceat((kind >> 3).astype(np.int64), first)
    inside = (a > 0) & (b < len(codes))
    left = np.zeros(len(a), dtype=bool)
    right = np.zeros(len(a), dtype=bool)
    left[inside] = (classes[codes[a[inside] - 1]] & 4) != 0
    right[inside] = (classes[codes[b[inside]]] & 4) != 0
    only_ignorable = spaces == 0
    removed = only_ignorable | (inside & (left | right))
    interrupts = only_ignorable | (left & right) | (plain != length)
    a, b, length, interrupts = a[removed], b[removed], length[removed], interrupts[removed]
    if not len(a):
        return Compacted(folded, [], [], [])
    shifts = np.cumsum(length)
    hard = np.cumsum(np.where(interrupts, length, 0))
    bounds = np.concatenate(([0], b)).tolist(), np.concatenate((a, [len(codes)])).tolist()
    text = "".join(map(folded.__getitem__, map(slice, *bounds)))
    return Compacted(text, (b - shifts).tolist(), shifts.tolist(), hard.tolist())


def compact(folded: str) -> Compacted:
    if len(folded) >= 4096:
        return _compact_long(folded)
    starts: list[int] = []
    shifts: list[int] = []
    hard: list[int] = []
    pieces: list[str] = []
    pos = removed = interrupting = 0
    for m, interrupts in _gaps(folded):
        pieces.append(folded[pos : m.start()])
        removed += m.end() - m.start()
        if interrupts:
            interrupting += m.end() - m.start()
        starts.append(m.end() - removed)
        shifts.append(removed)
        hard.append(interrupting)
        pos = m.end()
    if not starts:
        return Compacted(folded, starts, shifts, hard)
    pieces.append(folded[pos:])
    return Compacted("".join(pieces), starts, shifts, hard)


def strip_accents(text: str) -> str:
    """Remove combining marks (souveraineté → souverainete)."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))

"""A byte code for the characters of a glossary's keys, for the annotator's automaton to read.

UTF-8 spends three bytes on a Chinese character; this code spends two (three only past 16,383
distinct characters) and folds every character that no key contains into one code, so the
automaton walks fewer bytes and a smaller trie, and a match's byte offsets divided by the width
are character offsets, with nothing to map back.

Each character is ``width`` bytes: a lead byte with the top bit set, then bytes without it. A
key starts with a lead byte and is whole characters, so it can only match at a character's first
byte and end at a character's last: the code is self-synchronising, as UTF-8 is.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

_OTHER = 0  # the code of every character no key contains


class Alphabet:
    def __init__(self, keys: Iterable[str]) -> None:
        chars = sorted({c for key in keys for c in key})
        self.width = 2 if len(chars) < 1 << 14 else 3  # 7 bits a byte; 21 bits cover Unicode
        codes = np.arange(len(chars) + 1, dtype=np.uint32)
        shifts = 7 * np.arange(self.width - 1, -1, -1, dtype=np.uint32)
        rows = ((codes[:, None] >> shifts) & 0x7F).astype(np.uint8)
        rows[:, 0] |= 0x80
        # one row per code point up to the highest a key uses, then one for every code point above
        self._table = np.repeat(rows[_OTHER : _OTHER + 1], max(map(ord, chars), default=0) + 2, axis=0)
        self._table[[ord(c) for c in chars]] = rows[1:]
        self._bytes = {c: rows[i].tobytes() for i, c in enumerate(chars, start=1)}
        # two bytes a character: the same table as one 16-bit word a row, which take() reads
        # several times faster than rows of a 2-D array (the bytes in memory are the same)
        self._words = self._table.view(np.uint16).reshape(-1) if self.width == 2 else None

    def key(self, key: str) -> bytes:
        """A key (whose characters this alphabet was built from) in the code."""
        return b"".join(map(self._bytes.__getitem__, key))

    def encode(self, text: str) -> bytes:
        """Any text in the code: ``width`` bytes per code point, characters outside the keys alike."""
        points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        # take, 10× faster than indexing rows; clip sends code points past the table to its last row
        if self._words is not None:
            return np.take(self._words, points, mode="clip").tobytes()
        return np.take(self._table, points, axis=0, mode="clip").tobytes()

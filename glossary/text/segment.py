"""Word segmentation with a jieba tokenizer this module owns (never jieba's global one).

Glossary words are deliberately *not* added to the dictionary: giving 脱贫 a weight would make
jieba split 摆脱贫困 as 摆/脱贫/困 and so manufacture the boundary we are trying to test. (The
check on longer forms, boundary.py, does weigh the glossary's forms, in a segmentation of its own
over this tokenizer's dictionary, which it leaves unchanged.)
"""

from __future__ import annotations

import bisect
import importlib
import logging
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from .dictionary import load_buckets, save_buckets

if TYPE_CHECKING:
    from types import ModuleType

    import jieba

# quotation marks around a term, as folded text has them (full-width " and ' fold to ASCII)
_QUOTES = frozenset({"“”", "‘’", "「」", "『』", '""', "''"})


def code(chars: str) -> int:
    """Two or three characters as one integer (21 bits a code point)."""
    out = 0
    for char in chars:
        out = out << 21 | ord(char)
    return out


@dataclass(frozen=True)
class Grams:
    """What a word across a position must show there: one that starts just before it or ends
    just after it has an ``edge`` pair there (its first or last two characters); any other holds
    the three characters around it (either three) as a ``middle`` trigram. Where neither is
    there, no word runs across the position. Codes as :func:`code` makes them."""

    edge: frozenset[int]
    middle: frozenset[int]

    @classmethod
    def of(cls, words: Iterable[str]) -> Grams:
        edge: set[int] = set()
        middle: set[int] = set()
        for word in words:
            if len(word) > 1:
                edge.update((code(word[:2]), code(word[-2:])))
                middle.update(code(word[i : i + 3]) for i in range(1, len(word) - 2))
        return cls(frozenset(edge), frozenset(middle))

    def __or__(self, other: Grams) -> Grams:
        return Grams(self.edge | other.edge, self.middle | other.middle)


def _import_jieba() -> ModuleType:
    """jieba, imported without pkg_resources where nothing has imported that yet: jieba opens its
    own files through it when it is there, and importing it (setuptools' whole working set) cost
    0.12 s of CPU, more than `glossary annotate` spends segmenting; without it jieba opens the
    same files by path. A module set to None in sys.modules makes its import raise ImportError."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        return importlib.import_module("jieba")
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        return importlib.import_module("jieba")
    finally:
        del sys.modules["pkg_resources"]


class Segmenter:
    def __init__(self, lazy_dictionary: bool = False) -> None:
        """``lazy_dictionary``: read jieba's dictionary a first character at a time from a file
        kept between processes (dictionary.py), for a short-lived process that segments little."""
        self._lazy = lazy_dictionary
        self._tokenizer: jieba.Tokenizer | None = None  # made and loaded on first use
        self._lock = threading.Lock()
        self._ready = False
        self.boundary_check = lru_cache(maxsize=65536)(self._boundary_check)
        self.inner_cuts = lru_cache(maxsize=65536)(self._inner_cuts)
        self._grams: Grams | None = None

    @property
    def tokenizer(self) -> jieba.Tokenizer:
        """jieba's tokenizer with its dictionary loaded, on first use: importing jieba and
        loading the dictionary take about a second, which a caller that never segments (an
        annotation whose matches the edge grams settle) does not pay."""
        if not self._ready:
            with self._lock:
                if not self._ready:
                    jieba = _import_jieba()
                    logging.getLogger("jieba").setLevel(logging.WARNING)  # its import sets DEBUG
                    tokenizer = jieba.Tokenizer()
                    if self._lazy and (buckets := load_buckets()) is not None:
                        tokenizer.FREQ, tokenizer.total = buckets, buckets.total
                        tokenizer.initialized = True
                    else:
                        tokenizer.initialize()
                        if self._lazy:
                            save_buckets(tokenizer.FREQ, tokenizer.total)
                    self._tokenizer = tokenizer
                    self._ready = True
        assert self._tokenizer is not None
        return self._tokenizer

    def dictionary_grams(self) -> Grams:
        """The character grams of the dictionary's words (see :class:`Grams`), built once per
        segmenter (about 1 s), for the annotator's boundary check on long forms."""
        if self._grams is None:
            freq = self.tokenizer.FREQ
            with self._lock:
                if self._grams is None:
                    self._grams = Grams.of(word for word, count in freq.items() if count)
        return self._grams

    def words(self, text: str) -> list[str]:
        words: list[str] = self.tokenizer.lcut(text, HMM=False)
        return words

    def split_compound(self, word: str) -> list[str]:
        """A four-or-more-character dictionary word as its component words (共同富裕 → 共同, 富裕),
        which is how Hanyu Pinyin orthography groups syllables; other words stay whole."""
        cuts = self._compound_cuts(word)
        return [word[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]

    def _compound_cuts(self, word: str) -> list[int]:
        """Where split_compound cuts the word, its ends included ([0, len(word)] for a whole word)."""
        if len(word) >= 4:
            cuts = sorted(self._sub_boundaries(word))
            if all(b - a >= 2 for a, b in zip(cuts, cuts[1:], strict=False)):
                return cuts
        return [0, len(word)]

    def _inner_cuts(self, text: str) -> frozenset[int]:
        """The word boundaries inside ``text`` of its best segmentation into words shorter than
        itself (党的领导, a dictionary word, as 党/的/领导: 1, 2)."""
        return frozenset(self._sub_boundaries(text)) - {0, len(text)} if len(text) > 1 else frozenset()

    def _sub_boundaries(self, word: str) -> set[int]:
        """Boundaries of the best split of a dictionary word into smaller dictionary words."""
        tk = self.tokenizer
        dag = tk.get_DAG(word)
        dag[0] = [j for j in dag[0] if j != len(word) - 1] or [0]
        route: dict[int, tuple[float, int]] = {}
        tk.calc(word, dag, route)
        out, i = {0}, 0
        while i < len(word):
            i = route[i][1] + 1
            out.add(i)
        return out

    def _boundary_check(self, window: str, start: int, end: int) -> str | None:
        """'high' if window[start:end] is a word of the window, 'low' if it is whole words or a
        component word of a four-or-more-character compound (脱贫 in 脱贫攻坚, 法治 in 法治中国),
        None if it straddles words (脱贫 in 摆脱贫困, 法治 in 依法治国) or is part of a shorter word
        (主权 in 自主权, 共同 in 共同体, 光棍 in 光棍节). A form quoted whole (“四风”, “五反”) is
        "high": the writer marks it as a term, whatever jieba makes of it (四/风)."""
        if start > 0 and end < len(window) and window[start - 1] + window[end] in _QUOTES:
            return "high"
        tokens = self.words(window)
        bounds = [0]
        for token in tokens:
            bounds.append(bounds[-1] + len(token))
        if start in bounds and end in bounds:
            return "high" if bounds.index(end) == bounds.index(start) + 1 else "low"
        i = bisect.bisect_right(bounds, start) - 1
        if i < len(tokens) and end <= bounds[i + 1]:
            cuts = self._compound_cuts(tokens[i])
            if len(cuts) > 2 and {start - bounds[i], end - bounds[i]} <= set(cuts):
                return "low"
        return None


@cache
def shared_segmenter() -> Segmenter:
    """The process's one segmenter for the service: each loads its own copy of jieba's
    dictionary (60-70 MiB), so the annotator, pinyin derivation, the editor, import and term
    mining all share this one."""
    return Segmenter()

"""Word segmentation with a jieba tokenizer this module owns (never jieba's global one).

Glossary words are deliberately *not* added to the dictionary: giving 脱贫 a weight would make
jieba split 摆脱贫困 as 摆/脱贫/困 and so manufacture the boundary we are trying to test.
"""

from __future__ import annotations

import bisect
import logging
import threading
from functools import cache, lru_cache

import jieba

logging.getLogger("jieba").setLevel(logging.WARNING)


class Segmenter:
    def __init__(self) -> None:
        self._tokenizer = jieba.Tokenizer()
        self._lock = threading.Lock()
        self._ready = False
        self.boundary_check = lru_cache(maxsize=65536)(self._boundary_check)

    @property
    def tokenizer(self) -> jieba.Tokenizer:
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self._tokenizer.initialize()
                    self._ready = True
        return self._tokenizer

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
        (主权 in 自主权, 共同 in 共同体, 光棍 in 光棍节)."""
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

"""Word boundaries for forms of three characters or more (shorter ones: Segmenter.boundary_check).

A long form's match is judged by the words that could run across its start or end, in a window
of LONG_WINDOW characters either side:

- a *boundary word* (``boundary_words.txt``: words that contain a form's edge but name something
  else, 国家安全部, 国家安全机关, 国家安全法, 领导干部, 梦想秀 …) written across an edge rejects the
  match, unless it reaches one character past the form and the segmentation goes on from that
  character with another word (国家安全法治);
- otherwise a word of jieba's most probable segmentation of the window (its dictionary plus the
  glossary's forms, weighted FORM_WEIGHT) that runs across an edge and cuts one of the form's
  own words makes it "low" (网络|主权|力);
- otherwise it is "high". A word that only takes whole words of the form with it (中国共产党|的领导,
  脱贫|攻坚战) or holds the form whole (爱国统一战线) leaves it high, and so does a glossary form
  across an edge: that longer form covers the span.

Why jieba alone decides so little: on the dated corpus nine in ten of its words across a long
form's edge were its own merges (打赢脱贫/攻坚战, 推进改革/开放) or compounds that keep the form's
meaning, and it never cuts 党的领导干部 or 国家安全机关 at all (党的领导/干部, 国家/安全/机关).

Most matches are settled without segmenting anything: a word can run across a position only
where the characters there are a pair that starts or ends a dictionary word, or a trigram inside
one (segment.Grams), which numpy checks for every match of a scan at once.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from .dictionary import cache_path, dictionary_signature, write_atomically
from .segment import Grams, Segmenter, code

LONG_WINDOW = 6  # characters of context on each side given to the segmenter
# the weight of a glossary form as a word (jieba's weights are counts in a 60-million-word corpus):
# that of an everyday word, so that jieba's greedy merges of a form's edge character with its
# neighbour (脱贫攻坚 + 战, 改革开放 after 推进) do not win over the form itself
FORM_WEIGHT = 1000
_SHIFT = np.uint64(21)  # bits of a code point (segment.code)


@cache
def boundary_words() -> frozenset[str]:
    """The project's list of boundary words (one a line, ``#`` starts a comment)."""
    text = (Path(__file__).with_name("boundary_words.txt")).read_text("utf-8")
    return frozenset(w for line in text.splitlines() if (w := line.split("#", 1)[0].strip()))


GRAMS_FORMAT = 1  # bump when what _edge_grams stores changes


def _grams_file() -> Path:
    """Where the edge grams are kept between processes (see dictionary.py), named by what they
    are built from: jieba's dictionary and the boundary words."""
    words = (Path(__file__).with_name("boundary_words.txt")).read_bytes()
    return cache_path("edge-grams", f"{GRAMS_FORMAT}|{dictionary_signature()}|".encode() + words, ".npz")


@lru_cache(maxsize=2)  # one segmenter in the service; the cache holds it (and its dictionary) alive
def _edge_grams(segmenter: Segmenter) -> tuple[np.ndarray, np.ndarray]:
    """The sorted codes of the edge pairs and middle trigrams of the dictionary's words and the
    boundary words, from the file cache when it has them (0.02 s), else built from the
    dictionary (which loads it: about 2 s in all) and saved for the next process."""
    path = _grams_file()
    try:
        with np.load(path) as saved:
            return saved["edge"], saved["middle"]
    except (OSError, KeyError, ValueError):
        pass  # not there yet, or unreadable: build it
    grams = segmenter.dictionary_grams() | Grams.of(boundary_words())
    edge = np.array(sorted(grams.edge), dtype=np.uint64)
    middle = np.array(sorted(grams.middle), dtype=np.uint64)
    saved = io.BytesIO()
    np.savez(saved, edge=edge, middle=middle)
    write_atomically(path, saved.getvalue())
    return edge, middle


class EdgeCheck:
    """The verdict on long matches, for one glossary; thread-safe, and cached per window."""

    def __init__(self, keys: Iterable[str], segmenter: Segmenter) -> None:
        self._segmenter = segmenter
        self._glossary = frozenset(keys)
        self._blocking = boundary_words()
        # a window reaches far enough for the longest boundary word (中央网络安全和信息化委员会 has
        # seven characters past 网络安全)
        self._reach = max([LONG_WINDOW, *(len(w) for w in self._blocking)])
        # every prefix of a glossary form or boundary word, so that a walk along the text can stop
        # where no word goes on (jieba's own dictionary holds the prefixes of its words)
        self._words = self._glossary | self._blocking
        self._prefixes = frozenset(w[:i] for w in self._words for i in range(1, len(w) + 1))
        self._lock = threading.Lock()
        self._grams: tuple[np.ndarray, np.ndarray] | None = None
        self.verdict = lru_cache(maxsize=65536)(self._verdict)

    def __getstate__(self) -> dict[str, object]:
        """The glossary's words and prefixes, for a stored annotator; not the lock, the verdicts
        cached or the grams (kept in a file of their own, see _edge_grams)."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_lock", "_grams", "verdict")}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._grams = None
        self.verdict = lru_cache(maxsize=65536)(self._verdict)

    def grams(self) -> tuple[np.ndarray, np.ndarray]:
        """The grams of the dictionary and the boundary words, as sorted arrays of codes (the
        edge pairs, the middle trigrams). They depend on the segmenter alone, not on the
        glossary, so they are built once per segmenter, not once per annotator, and kept in a
        file between processes (see _edge_grams)."""
        built = self._grams
        if built is None:
            with self._lock:
                built = self._grams
                if built is None:
                    built = self._grams = _edge_grams(self._segmenter)
        return built

    def may_cross(self, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Which matches (compact offsets into the text whose code points are ``codes``, uint32
        or wider) could have a word across an edge; the others are "high" without a look at the words."""
        edge, middle = self.grams()
        out = np.zeros(len(starts), dtype=bool)
        n = len(codes)
        for at in (starts, ends):
            inside = (at > 0) & (at < n)  # an edge at either end of the text has nothing across it
            p = at[inside]
            pair = codes[p - 1].astype(np.uint64) << _SHIFT | codes[p]
            hit = _member(edge, pair)
            has_next = p + 1 < n
            trigram = pair[has_next] << _SHIFT | codes[p[has_next] + 1]
            hit[has_next] |= _member(middle, trigram)
            out[inside] |= hit
        return out

    def judge(self, text: str, start: int, end: int, crosses: bool | None = None) -> str | None:
        """'high', 'low' or None (rejected) for the long form at text[start:end] (compact text);
        ``crosses``: what may_cross has already said of it (None: not asked)."""
        if crosses is None:
            crosses = self._may_cross_at(text, start) or self._may_cross_at(text, end)
        if not crosses:
            return "high"
        w_start = max(0, start - self._reach)
        return self.verdict(text[w_start : end + self._reach], start - w_start, end - w_start)

    def _may_cross_at(self, text: str, at: int) -> bool:
        if not 0 < at < len(text):
            return False
        edge, middle = self.grams()
        return _has(edge, code(text[at - 1 : at + 1])) or (
            at + 1 < len(text) and _has(middle, code(text[at - 1 : at + 2]))
        )

    def _verdict(self, window: str, start: int, end: int) -> str | None:
        """'high', 'low' or None (rejected) for the form at window[start:end]."""
        edges = self._edges(window)
        crossing = [(a, b) for a, ends in enumerate(edges[:end]) for b in ends if a < start < b or a < end < b]
        blocking = [(a, b) for a, b in crossing if window[a:b] in self._blocking]
        # A word of the segmentation that cuts one of the form's own words (网络|主权|力) makes it
        # "low". One that only takes whole words of the form with it (中国共产党|的领导, 脱贫|攻坚战)
        # or holds the form whole (爱国统一战线, 高度自治权) does not: the form keeps its meaning
        # there. Nor does a glossary form across an edge: that longer form covers the span, as the
        # match itself (leftmost-longest) or the outer match of a nested one.
        inner = self._segmenter.inner_cuts(window[start:end])
        cutting = [
            (a, b)
            for a, b in crossing
            if window[a:b] not in self._glossary
            and ((start < b < end and b - start not in inner) or (start < a < end and a - start not in inner))
        ]
        if not (blocking or cutting):
            return "high"  # nothing the segmentation could change: spare it
        words = self._best_words(window, edges)
        if any(not self._goes_on(words, a, b, start, end) for a, b in blocking):
            return None
        return "low" if any(word in words for word in cutting) else "high"

    @staticmethod
    def _goes_on(words: set[tuple[int, int]], a: int, b: int, start: int, end: int) -> bool:
        """Whether the boundary word [a, b) reaches one character past the form and the
        segmentation has a word going on from that character (国家安全法治: 法治, not 国家安全法)."""
        if b == end + 1:
            return any(c == end and d > b for c, d in words)
        if a == start - 1:
            return any(d == start and c < a for c, d in words)
        return False

    def _edges(self, window: str) -> list[list[int]]:
        """For each position, the ends of the words (dictionary, glossary, boundary) starting there."""
        freq = self._segmenter.tokenizer.FREQ  # a word's count; 0 for a prefix that is no word
        prefixes, ours = self._prefixes, self._words
        out: list[list[int]] = []
        n = len(window)
        for i in range(n):
            ends, j = [], i + 2
            while j <= n:
                frag = window[i:j]
                count = freq.get(frag)
                if count:
                    ends.append(j)
                elif frag in prefixes:
                    if frag in ours:
                        ends.append(j)
                elif count is None:
                    break
                j += 1
            out.append(ends)
        return out

    def _best_words(self, window: str, edges: list[list[int]]) -> set[tuple[int, int]]:
        """The words (as spans) of the most probable segmentation (jieba's unigram model, its
        dictionary plus the glossary's forms; boundary words count as jieba counts them)."""
        tokenizer = self._segmenter.tokenizer
        freq, log_total = tokenizer.FREQ, math.log(tokenizer.total)
        n = len(window)
        best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
        for i in range(n - 1, -1, -1):
            options = [i + 1, *edges[i]]
            scored = []
            for j in options:
                word = window[i:j]
                weight = freq.get(word) or 1
                if word in self._glossary:
                    weight = max(weight, FORM_WEIGHT)
                scored.append((math.log(weight) - log_total + best[j][0], j))
            best[i] = max(scored)
        words, i = set(), 0
        while i < n:
            words.add((i, best[i][1]))
            i = best[i][1]
        return words


def _member(sorted_codes: np.ndarray, queries: np.ndarray) -> np.ndarray:
    if not len(sorted_codes):
        return np.zeros(len(queries), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_codes, queries), len(sorted_codes) - 1)
    found: np.ndarray = sorted_codes[at] == queries
    return found


def _has(sorted_codes: np.ndarray, value: int) -> bool:
    at = int(np.searchsorted(sorted_codes, np.uint64(value)))
    return at < len(sorted_codes) and int(sorted_codes[at]) == value

"""Find every glossary term in a text: leftmost-longest, offsets into the text as submitted.

Built once per annotation version (services/version.py) from plain :class:`Entry` records; :meth:`Annotator.annotate`
is then safe to call from many threads.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain, compress
from typing import Any

import ahocorasick_rs
import numpy as np

from .alphabet import Alphabet
from .boundary import EdgeCheck
from .fold import Compacted, compact, fold
from .renderings import Rendering, RenderingIndex
from .segment import Segmenter
from .senses import before, other_sense, sense_cues

SHORT = 2  # forms this long or shorter must sit on word boundaries
WINDOW = 6  # characters of context on each side given to the segmenter
_LATIN = re.compile(r"[^\W_]", re.ASCII)  # a Latin letter or digit, after folding


PRIMARY = "primary"  # form_type of a match on the term's own simplified or traditional form
VARIANT = "variant"  # form_type of a form the entry gives no type for
RENDERING = "rendering"  # form_type of a match on a rendering (English, French …)


@dataclass(frozen=True, slots=True)
class Entry:
    """A term as the engine needs it. ``policy`` is ``auto``, ``confirm`` (every match is
    reported "low") or ``never`` (not matched at all); ``form_types`` gives the type of forms
    (text → type, e.g. "abbreviation"), reported as a match's ``form_type``. ``sense_from``: the
    date from which the entry's sense is attested (senses.sense_from); a match in a text dated
    earlier is at best "low"."""

    slug: str
    simplified: str
    traditional: str
    pinyin: str
    forms: tuple[str, ...]
    glosses: dict[str, str] = field(default_factory=dict)  # lang → preferred rendering
    first_use: str | None = None
    policy: str = "auto"
    form_types: dict[str, str] = field(default_factory=dict)
    renderings: tuple[Rendering, ...] = ()  # every rendering, found in texts of its language
    sense_from: str | None = None
    _by_tag: dict[str, str] = field(init=False, repr=False, compare=False)  # lower-cased tag → tag

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_tag", {tag.lower(): tag for tag in self.glosses})

    def gloss(self, lang: str) -> tuple[str | None, str | None]:
        """Preferred rendering in ``lang`` (or its base language), falling back to English.

        Language tags compare case-insensitively, as BCP 47 says: FR and fr-ca find fr."""
        lang = lang.lower()
        for candidate in (lang, lang.split("-")[0], "en"):
            if (tag := self._by_tag.get(candidate)) is not None:
                return self.glosses[tag], tag
        return None, None


@dataclass(slots=True)
class Match:
    start: int
    end: int
    entry: Entry
    confidence: str
    form_type: str = PRIMARY
    nested: bool = False
    rendering: Rendering | None = None  # the rendering matched, in a text of another language


@dataclass(slots=True)
class Annotation:
    text: str
    matches: list[Match]

    def counts(self) -> list[tuple[str, int]]:
        counter = Counter(m.entry.slug for m in self.matches)
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        text = self.text
        items = []
        heads: dict[int, dict[str, str | None]] = {}  # id(entry) → the fields every match of it shares
        for m in self.matches:
            if (head := heads.get(id(e := m.entry))) is None:
                gloss, gloss_lang = e.gloss(lang)
                head = heads[id(e)] = {"slug": e.slug, "simplified": e.simplified, "traditional": e.traditional}
                head |= {"pinyin": e.pinyin, "gloss": gloss, "lang": gloss_lang}
            item = {"start": m.start, "end": m.end, "surface": text[m.start : m.end], **head}
            item |= {"confidence": m.confidence, "form_type": m.form_type}
            if m.nested:
                item["nested"] = True
            if m.rendering is not None:
                item |= {"text_lang": m.rendering.lang, "rendering": m.rendering.text, "status": m.rendering.status}
                if m.rendering.status == "deprecated":
                    item |= {"deprecated": True, "current": m.rendering.current}
            items.append(item)
        return {
            "matches": items,
            "terms": [{"slug": s, "count": c} for s, c in self.counts()],
            "chars": len(self.text),
        }


def _matched(entry: Entry) -> tuple[object, ...]:
    """What of an entry the Chinese automaton and its checks are built from."""
    return (entry.slug, entry.simplified, entry.traditional, entry.forms, entry.form_types, entry.policy)


class Annotator:
    """Leftmost-longest matching with a Rust Aho-Corasick automaton (ahocorasick_rs).

    The automaton reads the text in the glossary's own byte code (:class:`Alphabet`): two
    bytes a character where UTF-8 takes three, and one code for every character no key
    contains, which halves its scan of Chinese text. (pyahocorasick walks a node's children
    linearly, and the root of a CJK trie has thousands, so it slows down as a glossary grows.)

    One scan of the whole text finds the leftmost-longest candidates.  Most are kept as they
    are; a short form that straddles words, a long one with a boundary word across an edge
    (boundary.py; numpy picks out the few long matches worth a look) or a Latin-edged form inside
    a longer Latin word is rejected, and only the stretch after it is scanned again, until that local scan falls back
    into step with the first one, so rejections cost a few characters each, not a rescan.
    """

    def __init__(self, entries: list[Entry], segmenter: Segmenter | None = None) -> None:
        self.entries = entries
        self.segmenter = segmenter or Segmenter()
        owner: dict[str, int] = {}
        form_type: dict[str, str] = {}  # the first form to give a key names its type
        ambiguous: set[str] = set()
        for index, entry in enumerate(entries):
            if entry.policy == "never":
                continue  # found by search and lookup only
            typed = [(entry.simplified, PRIMARY), (entry.traditional, PRIMARY)]
            typed += [(form, entry.form_types.get(form, VARIANT)) for form in entry.forms]
            for form, kind in typed:
                key = compact(fold(form)).text
                if not key:
                    continue
                if owner.setdefault(key, index) != index:
                    ambiguous.add(key)
                form_type.setdefault(key, kind)
        self._keys = list(owner)
        self._owners = [owner[k] for k in self._keys]
        self._type_of = [form_type[k] for k in self._keys]
        # keys of "confirm" entries: always checked, and never better than "low"
        self._confirm = frozenset(i for i, o in enumerate(self._owners) if entries[o].policy == "confirm")
        # keys of entries with sense cues (senses.py): checked, and "low" where a cue shows another sense
        cues = sense_cues()
        self._cues = {i: cues[entries[o].slug] for i, o in enumerate(self._owners) if entries[o].slug in cues}
        self._dated = any(entry.sense_from for entry in entries)
        self.ambiguous = frozenset(ambiguous)
        self.keys = len(self._keys)
        self._longest_key = max(map(len, self._keys), default=0)
        self._window = 2 * self._longest_key + 16  # what a rescan reads at a time (> longest key)
        # keys whose matches need a look at their surroundings before they are kept
        self._latin_head = frozenset(i for i, k in enumerate(self._keys) if _LATIN.match(k[0]))
        self._latin_tail = frozenset(i for i, k in enumerate(self._keys) if _LATIN.match(k[-1]))
        self._checked = (
            self._latin_head
            | self._latin_tail
            | {i for i, k in enumerate(self._keys) if len(k) <= SHORT or k in ambiguous}
            | self._confirm
            | self._cues.keys()
        )
        self._needs_check = np.zeros(len(self._keys), dtype=bool)
        self._needs_check[list(self._checked)] = True
        # longer keys are checked where a dictionary word could run across an edge (boundary.py)
        self._is_long = np.array([len(k) > SHORT for k in self._keys], dtype=bool)
        self._edges = EdgeCheck(self._keys, self.segmenter)
        self._entry_of = [entries[o] for o in self._owners]  # key → its term's entry
        self._alphabet = Alphabet(self._keys)
        self._coded_keys = [self._alphabet.key(k) for k in self._keys]
        self._longest = self._automaton()
        self._all: ahocorasick_rs.BytesAhoCorasick | None = None  # overlapping matches, built on first nested call
        self.renderings = RenderingIndex((i, r, e.policy) for i, e in enumerate(entries) for r in e.renderings)

    def replaced(self, changes: dict[int, Entry]) -> Annotator:
        """This annotator with ``entries[i]`` replaced by ``changes[i]``: what
        ``Annotator(entries with the changes)`` would be, without building it all again. A
        change that leaves every matched form (and the entry's slug and policy) as it was, such
        as a new rendering or gloss, reuses the Chinese automaton and boundary data, and the
        renderings' index only rebuilds its automata (services/annotation.py: a rendering edit
        no longer costs every worker a rebuild). ``self`` is left as it was, for its readers."""
        entries = list(self.entries)
        for index, entry in changes.items():
            entries[index] = entry
        if any(_matched(self.entries[i]) != _matched(e) for i, e in changes.items()):
            return Annotator(entries, self.segmenter)
        new = object.__new__(Annotator)
        new.__dict__.update(self.__dict__)  # shared, never changed after __init__ (the lazy _all aside)
        new.entries = entries
        new._entry_of = [entries[o] for o in self._owners]
        new._dated = any(entry.sense_from for entry in entries)
        if any(self.entries[i].renderings != e.renderings for i, e in changes.items()):
            triples = ((i, r, e.policy) for i, e in enumerate(entries) for r in e.renderings)
            new.renderings = RenderingIndex(triples, previous=self.renderings)
        return new

    def _automaton(self) -> ahocorasick_rs.BytesAhoCorasick | None:
        if not self._keys:
            return None
        return ahocorasick_rs.BytesAhoCorasick(self._coded_keys, matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST)

    def __getstate__(self) -> dict[str, Any]:
        """Everything built but the automata, for a stored annotator (services/annotator_store.py):
        ahocorasick_rs cannot pickle them, and they are rebuilt from the coded keys in milliseconds."""
        return self.__dict__ | {"_longest": None, "_all": None}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._longest = self._automaton()

    def annotate(self, text: str, nested: bool = False, date: str | None = None) -> Annotation:
        """The terms in ``text``; ``date`` (YYYY[-MM[-DD]]), the text's own date where known,
        lowers matches of entries whose sense is attested only later to "low" (senses.py)."""
        annotation = self._annotate(text, nested)
        if date is not None and self._dated:
            for m in annotation.matches:
                if m.entry.sense_from is not None and before(date, m.entry.sense_from):
                    m.confidence = "low"
        return annotation

    def _annotate(self, text: str, nested: bool) -> Annotation:
        if self._longest is None or not text:
            return Annotation(text, [])
        folded = fold(text)
        view = compact(folded)
        coded = memoryview(self._alphabet.encode(view.text))
        starts, ends, keys, overrides = self._scan(folded, view, coded)
        o_starts, o_ends, interrupted = view.locate(starts, ends)
        confidences = ["high"] * len(o_starts)
        for position, confidence in overrides.items():
            confidences[position] = confidence
        for position in compress(range(len(interrupted)), interrupted):  # worth a second look
            confidences[position] = "low"
        key_list = keys.tolist()
        entries = list(map(self._entry_of.__getitem__, key_list))
        types = list(map(self._type_of.__getitem__, key_list))
        if not nested:
            return Annotation(text, list(map(Match, o_starts, o_ends, entries, confidences, types)))
        matches: list[Match] = []
        for start, end, o_start, o_end, entry, confidence, form_type in zip(
            starts.tolist(), ends.tolist(), o_starts, o_ends, entries, confidences, types, strict=True
        ):
            matches.append(Match(o_start, o_end, entry, confidence, form_type))
            matches += self._inner(folded, view, coded, start, end)
        return Annotation(text, matches)

    def _matches(self, coded: memoryview, start: int, end: int, overlapping: bool = False) -> np.ndarray:
        """Keys, starts and ends (compact offsets, as columns) found in compact [start, end)."""
        automaton = self._all if overlapping else self._longest
        assert automaton is not None  # annotate() returns before scanning when there are no keys
        width = self._alphabet.width
        found = automaton.find_matches_as_indexes(coded[start * width : end * width], overlapping=overlapping)
        columns = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=3 * len(found)).reshape(-1, 3)
        columns[:, 1:] //= width
        columns[:, 1:] += start
        return columns

    def _scan(
        self, folded: str, view: Compacted, coded: memoryview
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[int, str]]:
        """Starts, ends (compact offsets) and keys, leftmost-longest over kept candidates, and
        the output positions whose confidence is not "high".

        The first scan's matches are kept in runs, copied out whole; Python looks only at the
        candidates that need a check, and a rejected one ends a run: what follows it is scanned
        again until the rescan falls back in step with the first scan, where the next run begins."""
        stream = self._matches(coded, 0, len(view.text))
        all_keys, all_starts, all_ends = stream.T
        runs: list[np.ndarray] = []  # pieces of the output, as columns
        overrides: dict[int, str] = {}  # output position → a confidence other than "high"
        run = before = 0  # the current run's first stream index; how many matches precede it
        check, screened, crossing = self._to_check(view.text, all_keys, all_starts, all_ends)
        for index in np.flatnonzero(check).tolist():
            if index < run:
                continue  # superseded by a rescan
            key, start, end = stream[index].tolist()
            crosses = bool(crossing[index]) if screened[index] else None
            confidence = self._verdict(folded, view, key, start, end, crosses)
            if confidence is not None:
                if confidence != "high":
                    overrides[before + index - run] = confidence
                continue
            rescanned: list[tuple[int, int, int, str]] = []
            resume = self._rescan_after(start + 1, folded, view, coded, all_starts, all_ends, rescanned)
            runs.append(stream[run:index])
            before += index - run
            for *_, confidence in rescanned:
                if confidence != "high":
                    overrides[before] = confidence
                before += 1
            runs.append(np.array([found[:3] for found in rescanned], dtype=np.int64).reshape(-1, 3))
            run = resume
        runs.append(stream[run:])
        kept = np.concatenate(runs)
        return kept[:, 1], kept[:, 2], kept[:, 0], overrides

    def _to_check(
        self, haystack: str, keys: np.ndarray, starts: np.ndarray, ends: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Which of the first scan's matches need a look at their surroundings: those of checked
        keys, and long ones beside which a dictionary word could run across an edge. Also which
        long matches were "screened" so, and of those which a word could cross: the boundary
        check need not ask that again, one match at a time (for checked keys as well)."""
        check: np.ndarray = self._needs_check[keys]
        screened: np.ndarray = self._is_long[keys]
        crossing = np.zeros(len(keys), dtype=bool)
        long = np.flatnonzero(screened)
        if len(long):
            codes = np.frombuffer(haystack.encode("utf-32-le"), dtype=np.uint32)  # widened where read
            crossing[long] = self._edges.may_cross(codes, starts[long], ends[long])
            check |= crossing
        return check, screened, crossing

    def _rescan_after(
        self,
        pos: int,
        folded: str,
        view: Compacted,
        coded: memoryview,
        stream_starts: np.ndarray,
        stream_ends: np.ndarray,
        out: list[tuple[int, int, int, str]],
    ) -> int:
        """Scan on from ``pos`` (just after a rejected candidate's first character) in windows a
        little longer than the longest key, keeping what passes, until a kept match ends where
        the first scan had no match running; return the first scan's index to resume at."""
        length, longest, size = len(view.text), self._longest_key, self._window

        def in_step(at: int) -> int | None:
            """The first scan's index to resume at, if none of its matches runs across ``at``."""
            resume = int(np.searchsorted(stream_starts, at, side="left"))
            return resume if resume == 0 or stream_ends[resume - 1] <= at else None

        while True:
            if (resume := in_step(pos)) is not None:
                return resume
            limit = min(length, pos + size)
            # a form starting before `visible` fits in the window whole, so what the window shows
            # there is what a scan of the whole text would show
            visible = limit - longest + 1 if limit < length else limit
            cursor = pos  # where the last kept match ended
            for key, start, end in self._matches(coded, pos, limit).tolist():
                if start >= visible:
                    break  # it, or a longer form starting before it, may run past the window
                checked = key in self._checked or end - start > SHORT
                confidence = self._verdict(folded, view, key, start, end) if checked else "high"
                if confidence is None:
                    cursor = visible = start + 1
                    break
                out.append((key, start, end, confidence))
                cursor = end
                if (resume := in_step(end)) is not None:
                    return resume
            else:
                if limit == length:
                    return len(stream_starts)
            pos = max(cursor, visible)

    def _verdict(
        self, folded: str, view: Compacted, key: int, start: int, end: int, crosses: bool | None = None
    ) -> str | None:
        """'high', 'low', or None to reject the candidate compact [start, end) of ``key``: a
        "confirm" entry's match is at best "low", and so is one a sense cue puts in another sense.
        ``crosses``: whether a word could cross an edge of a long match, where _to_check knows."""
        verdict = self._boundary_verdict(folded, view, key, start, end, crosses)
        if verdict is None:
            return None
        if key in self._confirm:
            return "low"
        if verdict == "high" and key in self._cues and other_sense(self._cues[key], view.text, start, end):
            return "low"
        return verdict

    def _boundary_verdict(
        self, folded: str, view: Compacted, key: int, start: int, end: int, crosses: bool | None
    ) -> str | None:
        if key in self._latin_head or key in self._latin_tail:
            o_start, o_end = view.span(start, end)
            if key in self._latin_head and o_start > 0 and _LATIN.match(folded[o_start - 1]):
                return None  # 网络大V inside a longer Latin word, or a form glued to one
            if key in self._latin_tail and o_end < len(folded) and _LATIN.match(folded[o_end]):
                return None  # 网络大VR眼镜
        haystack = view.text
        if end - start > SHORT:
            verdict = self._edges.judge(haystack, start, end, crosses)
            return "low" if verdict is not None and haystack[start:end] in self.ambiguous else verdict
        w_start = max(0, start - WINDOW)
        window = haystack[w_start : end + WINDOW]
        verdict = self.segmenter.boundary_check(window, start - w_start, end - w_start)
        if verdict and haystack[start:end] in self.ambiguous:
            return "low"
        return verdict

    def _inner(self, folded: str, view: Compacted, coded: memoryview, start: int, end: int) -> list[Match]:
        """Every other glossary form inside an outer match (for nested=true)."""
        if self._all is None:
            self._all = ahocorasick_rs.BytesAhoCorasick(self._coded_keys)
        found = []
        for key, i_start, i_end in self._matches(coded, start, end, overlapping=True).tolist():
            if (i_start, i_end) == (start, end):
                continue
            confidence = self._verdict(folded, view, key, i_start, i_end)
            if confidence is not None:
                found.append((i_start, i_end, key, confidence))
        if not found:
            return []
        *spans, interrupted = view.locate([s for s, _, _, _ in found], [e for _, e, _, _ in found])
        return [
            Match(o_start, o_end, self._entry_of[key], "low" if broken else confidence, self._type_of[key], nested=True)
            for (_, _, key, confidence), o_start, o_end, broken in zip(found, *spans, interrupted, strict=True)
        ]

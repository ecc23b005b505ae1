"""Find every glossary term in a text: leftmost-longest, offsets into the text as submitted.

Built once per glossary version from plain :class:`Entry` records; :meth:`Annotator.annotate`
is then safe to call from many threads.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html import escape

import ahocorasick_rs

from .fold import Compacted, compact, fold
from .segment import Segmenter

SHORT = 2  # forms this long or shorter must sit on word boundaries
WINDOW = 6  # characters of context on each side given to the segmenter


@dataclass(frozen=True, slots=True)
class Entry:
    slug: str
    simplified: str
    traditional: str
    pinyin: str
    forms: tuple[str, ...]
    glosses: dict[str, str] = field(default_factory=dict)  # lang → preferred rendering
    first_use: str | None = None

    def gloss(self, lang: str) -> tuple[str | None, str | None]:
        """Preferred rendering in ``lang`` (or its base language), falling back to English."""
        for candidate in (lang, lang.split("-")[0], "en"):
            if candidate in self.glosses:
                return self.glosses[candidate], candidate
        return None, None


@dataclass(slots=True)
class Match:
    start: int
    end: int
    entry: Entry
    confidence: str
    nested: bool = False


@dataclass(slots=True)
class Annotation:
    text: str
    matches: list[Match]

    def counts(self) -> list[tuple[str, int]]:
        counter = Counter(m.entry.slug for m in self.matches)
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))

    def to_dict(self, lang: str = "en") -> dict:
        items = []
        for m in self.matches:
            gloss, gloss_lang = m.entry.gloss(lang)
            item = {
                "start": m.start,
                "end": m.end,
                "surface": self.text[m.start : m.end],
                "slug": m.entry.slug,
                "simplified": m.entry.simplified,
                "traditional": m.entry.traditional,
                "pinyin": m.entry.pinyin,
                "gloss": gloss,
                "lang": gloss_lang,
                "confidence": m.confidence,
            }
            if m.nested:
                item["nested"] = True
            items.append(item)
        return {
            "matches": items,
            "terms": [{"slug": s, "count": c} for s, c in self.counts()],
            "chars": len(self.text),
        }


class Annotator:
    """Leftmost-longest matching with a Rust Aho-Corasick automaton (ahocorasick_rs).

    pyahocorasick walks a node's children linearly, and the root of a CJK trie has thousands,
    so its scans slow down as the glossary grows; this automaton keeps the same cost per
    character at 100,000 terms.
    """

    def __init__(self, entries: list[Entry], segmenter: Segmenter | None = None) -> None:
        self.entries = entries
        self.segmenter = segmenter or Segmenter()
        owner: dict[str, int] = {}
        ambiguous: set[str] = set()
        for index, entry in enumerate(entries):
            for form in (entry.simplified, entry.traditional, *entry.forms):
                key = compact(fold(form)).text
                if not key:
                    continue
                if owner.setdefault(key, index) != index:
                    ambiguous.add(key)
        self._keys = list(owner)
        self._owners = [owner[k] for k in self._keys]
        self._lengths = [len(k) for k in self._keys]
        self.ambiguous = frozenset(ambiguous)
        self._ambiguous_keys = frozenset(i for i, k in enumerate(self._keys) if k in ambiguous)
        self.keys = len(self._keys)
        self._longest = (
            ahocorasick_rs.AhoCorasick(self._keys, matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST)
            if self._keys
            else None
        )
        self._all: ahocorasick_rs.AhoCorasick | None = None  # overlapping matches, built on first nested call

    def annotate(self, text: str, nested: bool = False) -> Annotation:
        if self._longest is None or not text:
            return Annotation(text, [])
        view = compact(fold(text))
        haystack = view.text
        owners, ambiguous = self._owners, self._ambiguous_keys
        starts: list[int] = []
        ends: list[int] = []
        found_owners: list[int] = []
        confidences: list[str] = []
        pos = 0
        while True:  # restarts only after a rejected short match
            found = self._longest.find_matches_as_indexes(haystack[pos:] if pos else haystack)
            for key, start, end in found:
                start += pos
                end += pos
                if end - start <= SHORT or key in ambiguous:
                    confidence = self._confidence(haystack, start, end)
                    if confidence is None:
                        # a short form straddling words: scan again from its second character,
                        # so a longer form that begins there is still found
                        pos = start + 1
                        break
                else:
                    confidence = "high"
                starts.append(start)
                ends.append(end)
                found_owners.append(owners[key])
                confidences.append(confidence)
            else:
                break
        o_starts, o_ends = view.spans(starts, ends)
        entries = self.entries
        matches: list[Match] = []
        for start, end, o_start, o_end, owner, confidence in zip(
            starts, ends, o_starts, o_ends, found_owners, confidences, strict=True
        ):
            if o_end - o_start != end - start:
                confidence = "low"  # interrupted by a line break or similar: worth a second look
            matches.append(Match(o_start, o_end, entries[owner], confidence))
            if nested:
                matches += self._inner(view, start, end)
        return Annotation(text, matches)

    def _confidence(self, haystack: str, start: int, end: int) -> str | None:
        if end - start > SHORT:
            return "low" if haystack[start:end] in self.ambiguous else "high"
        w_start = max(0, start - WINDOW)
        window = haystack[w_start : end + WINDOW]
        verdict = self.segmenter.boundary_check(window, start - w_start, end - w_start)
        if verdict and haystack[start:end] in self.ambiguous:
            return "low"
        return verdict

    def _match(self, view: Compacted, start: int, end: int, index: int, confidence: str, nested: bool = False) -> Match:
        o_start, o_end = view.span(start, end)
        if o_end - o_start != end - start:
            confidence = "low"  # interrupted by a line break or similar: worth a second look
        return Match(o_start, o_end, self.entries[index], confidence, nested)

    def _inner(self, view: Compacted, start: int, end: int) -> list[Match]:
        """Every other glossary form inside an outer match (for nested=true)."""
        if self._all is None:
            self._all = ahocorasick_rs.AhoCorasick(self._keys)
        out = []
        for key, i_start, i_end in self._all.find_matches_as_indexes(view.text[start:end], overlapping=True):
            i_start += start
            i_end += start
            if (i_start, i_end) == (start, end):
                continue
            confidence = self._confidence(view.text, i_start, i_end)
            if confidence is not None:
                out.append(self._match(view, i_start, i_end, self._owners[key], confidence, nested=True))
        return out


def render_html(annotation: Annotation, href: str, lang: str = "en", ruby: bool = False) -> str:
    """Escaped text with each match wrapped in a link; ``href`` has a ``{slug}`` placeholder.

    Line breaks become ``<br>``; with ``ruby`` the pinyin is set above each term.
    """
    text = annotation.text
    out: list[str] = []
    pos = 0

    def plain(chunk: str) -> str:
        return escape(chunk).replace("\r\n", "\n").replace("\n", "<br>\n")

    for m in annotation.matches:
        if m.nested or m.start < pos:
            continue
        gloss, gloss_lang = m.entry.gloss(lang)
        surface = plain(text[m.start : m.end])
        if ruby:
            surface = f"<ruby>{surface}<rt>{escape(m.entry.pinyin)}</rt></ruby>"
        attrs = {
            "class": f"term term-{m.confidence}",
            "href": href.format(slug=m.entry.slug),
            "data-slug": m.entry.slug,
            "data-simplified": m.entry.simplified,
            "data-traditional": m.entry.traditional,
            "data-pinyin": m.entry.pinyin,
            "data-gloss": gloss or "",
            "data-gloss-lang": gloss_lang or "",
            "data-first-use": m.entry.first_use or "",
            "data-confidence": m.confidence,
        }
        rendered = " ".join(f'{k}="{escape(v, quote=True)}"' for k, v in attrs.items())
        out.append(plain(text[pos : m.start]))
        out.append(f"<a {rendered}>{surface}</a>")
        pos = m.end
    out.append(plain(text[pos:]))
    return "".join(out)

"""Find the renderings of entries (English, French, German, Spanish, Russian, Japanese) in a text.

Alphabetic languages are matched word by word: the text is cut into words of Latin, Greek or
Cyrillic letters and digits, each word is normalised (case-folded; accents stripped in Latin
scripts; ё read as е; a plural ending dropped in English, French and Spanish; "-isation" read
as "-ization"), and each normalised word becomes one character of a token string. Renderings
are encoded the same way, so one leftmost-longest Aho-Corasick scan over the token string finds
whole words only ("BRI" is never found inside "BRIDGE") and the longest rendering wins
("community with a shared future for mankind" over "shared future"). Hyphens, quotes,
apostrophes and spaces between two words join them; anything else (a comma, a Chinese
character, a full stop) breaks a rendering.

Japanese has no spaces between words: it is matched character by character, as Chinese is, on
text folded per character (NFKC, then the Chinese fold, katakana read as hiragana).

Confidence: a rendering of one word written in lower case in the glossary ("irreversible",
"decoupling") is an ordinary word of its language and is reported "low" (not linked by
default); an acronym ("BRI", "CAC") matches only in capitals; a "confirm" entry is "low".
A rendering two entries share is "low" and reported for the first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import islice

import ahocorasick_rs
import numpy as np

from .fold import fold

ALPHABETIC = ("en", "fr", "de", "es", "ru")
LANGS = (*ALPHABETIC, "ja")
# one word: letters (Latin with its accented ranges, Greek, Cyrillic), digits, combining accents
_LETTERS = "0-9A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u052f\u1e00-\u1eff"
_WORD = re.compile(f"[{_LETTERS}][{_LETTERS}\u0300-\u036f]*")
# what may stand between two words of one rendering: spaces, hyphens, quotes, apostrophes
_JOINER = re.compile("[\\s\\-\u00ad\u2010\u2011'\"\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a/]*")
_HALF_MARKS = {"\uff9e": "\u3099", "\uff9f": "\u309a"}  # half-width (semi-)voiced marks
_KANA = re.compile("[\u3041-\u30ff\uff66-\uff9f]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_ANY_SCRIPT = re.compile("[A-Za-z\u00c0-\u024f\u0400-\u04ff\u3041-\u30ff\uff66-\uff9f]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]+")
DETECT_WORDS = 5000  # the words language detection reads (a sample: the first ones)
BREAK = "\x00"  # the token string's mark where a rendering cannot continue
OTHER = "\x01"  # a word no rendering contains
# frequent function words that tell the languages of Latin-script text apart
_FUNCTION_WORDS = {
    "en": {"the", "of", "and", "to", "is", "for", "with", "that", "this", "are", "was", "by", "it", "its"},
    "fr": {"le", "les", "des", "du", "et", "une", "est", "pour", "dans", "au", "aux", "qui", "sur", "avec"},
    "de": {"der", "die", "das", "und", "den", "dem", "mit", "ist", "von", "zu", "ein", "eine", "im", "nicht"},
    "es": {"el", "los", "las", "del", "y", "una", "por", "para", "con", "que", "es", "al", "se", "como"},
}


@dataclass(frozen=True, slots=True)
class Rendering:
    """One rendering of an entry: its language, text and status (official, preferred,
    alternative, deprecated); ``current`` is, for a deprecated one, the rendering to use now."""

    lang: str
    text: str
    status: str
    current: str | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """A rendering found in a text: code-point offsets, the entry's index, and its confidence."""

    start: int
    end: int
    entry: int
    rendering: Rendering
    confidence: str


@lru_cache(maxsize=65536)
def normalise_word(word: str, lang: str) -> str:
    """A word as it is compared in ``lang`` (see the module docstring)."""
    if lang == "ru":  # stress marks dropped, but й stays й
        text = "".join(c for c in unicodedata.normalize("NFD", word) if c not in "\u0300\u0301")
        return unicodedata.normalize("NFC", text).casefold().replace("ё", "е")
    text = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).casefold()
    if len(text) <= 3 or not text.isalpha():
        return text
    if lang == "en":
        text = text.replace("isation", "ization")
        if text.endswith("ies") and len(text) > 4:
            return text[:-3] + "y"
        if text.endswith(("ches", "shes", "sses", "xes", "zes")):
            return text[:-2]
        if text.endswith("s") and not text.endswith(("ss", "us", "is")):
            return text[:-1]
    elif lang == "fr" and text.endswith(("s", "x")) and not text.endswith("ss"):
        return text[:-1]
    elif lang == "es" and text.endswith("s"):
        return text[:-2] if text.endswith("es") and text[-3] not in "aeiou" else text[:-1]
    return text


def words(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """(start, end, word, joined): each word of ``text``; joined is whether only joiners stand
    between it and the word before."""
    previous = None
    for m in _WORD.finditer(text):
        start = m.start()
        if previous is None:
            joined = False
        else:
            gap = text[previous:start]
            joined = gap == " " or _JOINER.fullmatch(gap) is not None
        yield start, m.end(), m.group(), joined
        previous = m.end()


def _kana_fold(char: str) -> str:
    normal = unicodedata.normalize("NFKC", char)
    char = normal if len(normal) == 1 else char
    if "\u30a1" <= char <= "\u30f6":  # katakana → hiragana
        char = chr(ord(char) - 0x60)
    return char


def fold_japanese(text: str) -> tuple[str, list[int], list[int]]:
    """Japanese as it is compared, with each folded character's span in ``text``: a half-width
    voiced mark (ﾌﾞ) joins the kana before it, as the full-width ブ is one character."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, char in enumerate(text):
        if char in _HALF_MARKS and chars:
            joined = unicodedata.normalize("NFC", chars[-1] + _HALF_MARKS[char])
            if len(joined) == 1:
                chars[-1], ends[-1] = joined, i + 1
                continue
        chars.append(_kana_fold(char))
        starts.append(i)
        ends.append(i + 1)
    return fold("".join(chars)), starts, ends


def detect(text: str) -> tuple[str, ...]:
    """The languages whose renderings to look for in ``text``: Japanese where it has kana,
    Russian where it has Cyrillic words, and for Latin-script words the language whose
    function words its first DETECT_WORDS words use most (English when none, or a tie)."""
    found: list[str] = []
    if not _ANY_SCRIPT.search(text):
        return ()  # one scan decides for a text in Chinese alone
    if _LATIN.search(text):
        counts = dict.fromkeys(_FUNCTION_WORDS, 0)
        for m in islice(_WORD.finditer(text), DETECT_WORDS):
            word = m.group().lower()
            for lang, common in _FUNCTION_WORDS.items():
                counts[lang] += word in common
        best = max(counts.values())
        found.append("en" if best == counts["en"] else max(counts, key=counts.__getitem__))
    if _CYRILLIC.search(text):
        found.append("ru")
    if _KANA.search(text):
        found.append("ja")
    return tuple(found)


class RenderingIndex:
    """Every rendering of the entries given, ready to be found in texts of each language."""

    def __init__(
        self, renderings: Iterable[tuple[int, Rendering, str]], previous: RenderingIndex | None = None
    ) -> None:
        """``renderings``: (entry index, rendering, entry's annotation policy) triples.
        ``previous``: an index of nearly the same renderings, whose word codes and keys are
        reused (copied: it goes on serving its readers), so that only the automata are built
        anew; the index found is the same as without it."""
        self._vocab: dict[str, dict[str, str]] = {lang: {} for lang in ALPHABETIC}
        key_of: dict[tuple[str, str], str] = {}  # (lang, text) → key, known from ``previous``
        if previous is not None:
            self._vocab = {lang: dict(vocab) for lang, vocab in previous._vocab.items()}
            key_of = {
                (lang, rendering.text): key
                for lang, keys in previous._keys.items()
                for key, (_, rendering, _, _) in zip(keys, previous._found[lang], strict=True)
            }
        self._keys: dict[str, list[str]] = {lang: [] for lang in LANGS}
        self._found: dict[str, list[tuple[int, Rendering, str, bool]]] = {lang: [] for lang in LANGS}
        owners: dict[tuple[str, str], int] = {}
        shared: set[tuple[str, str]] = set()
        for entry, rendering, policy in renderings:
            lang = rendering.lang.lower().split("-")[0]
            if lang not in LANGS or policy == "never":
                continue
            if (key := key_of.get((lang, rendering.text))) is None:
                key = self._key(lang, rendering.text)
            if not key.strip(BREAK):
                continue
            if (lang, key) in owners:  # another spelling of a key held (cyber-sovereignty)
                if owners[lang, key] != entry:
                    shared.add((lang, key))
                continue
            owners[lang, key] = entry
            acronym = lang != "ja" and len(key) == 1 and _ACRONYM.fullmatch(rendering.text) is not None
            generic = lang != "ja" and len(key) == 1 and not acronym and rendering.text == rendering.text.lower()
            self._keys[lang].append(key)
            self._found[lang].append((entry, rendering, "low" if generic or policy == "confirm" else "high", acronym))
        for lang in LANGS:  # a rendering two entries share is reported "low", for its first owner
            for i, key in enumerate(self._keys[lang]):
                if (lang, key) in shared:
                    entry, rendering, _, acronym = self._found[lang][i]
                    self._found[lang][i] = (entry, rendering, "low", acronym)
        # over UTF-8 bytes: ahocorasick_rs's str interface turns each match's byte offset into a
        # character index by counting from the start, which makes a long text's scan quadratic;
        # UTF-8 keys match only at character boundaries, and _find maps the offsets back at once
        self._automata = self._build_automata()

    def _build_automata(self) -> dict[str, ahocorasick_rs.BytesAhoCorasick]:
        return {
            lang: ahocorasick_rs.BytesAhoCorasick(
                [key.encode() for key in keys], matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST
            )
            for lang, keys in self._keys.items()
            if keys
        }

    def __getstate__(self) -> dict[str, object]:
        """All but the automata (which ahocorasick_rs cannot pickle), for a stored annotator."""
        return {k: v for k, v in self.__dict__.items() if k != "_automata"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._automata = self._build_automata()

    def _key(self, lang: str, text: str) -> str:
        if lang == "ja":
            return "".join(fold_japanese(text)[0].split())
        vocab = self._vocab[lang]
        out = []
        for i, (_, _, word, joined) in enumerate(words(text)):
            if i and not joined:
                out.append(BREAK)
            out.append(vocab.setdefault(normalise_word(word, lang), _code(len(vocab))))
        return "".join(out)

    def langs(self) -> tuple[str, ...]:
        """The languages this index has renderings in."""
        return tuple(self._automata)

    def find(self, text: str, langs: Iterable[str]) -> list[Found]:
        """Every rendering in ``langs`` found in ``text``, leftmost-longest within each language."""
        found: list[Found] = []
        for lang in langs:
            if lang in self._automata:
                found += self._find_japanese(text) if lang == "ja" else self._find_words(text, lang)
        return found

    def _find_words(self, text: str, lang: str) -> list[Found]:
        vocab = self._vocab[lang]
        spans: list[tuple[int, int]] = []
        codes: list[str] = []
        code_of: dict[str, str] = {}  # word as written → its code, for this text
        for start, end, word, joined in words(text):
            if spans and not joined:
                codes.append(BREAK)
                spans.append((start, start))
            code = code_of.get(word)
            if code is None:
                code = code_of[word] = vocab.get(normalise_word(word, lang), OTHER)
            codes.append(code)
            spans.append((start, end))
        out = []
        for key, first, last in self._find(lang, "".join(codes)):
            entry, rendering, confidence, acronym = self._found[lang][key]
            start, end = spans[first][0], spans[last - 1][1]
            if acronym and text[start:end] != text[start:end].upper():
                continue  # "bri" is no acronym
            out.append(Found(start, end, entry, rendering, confidence))
        return out

    def _find_japanese(self, text: str) -> list[Found]:
        out = []
        folded, starts, ends = fold_japanese(text)
        for key, start, end in self._find("ja", folded):
            entry, rendering, confidence, _ = self._found["ja"][key]
            out.append(Found(starts[start], ends[end - 1], entry, rendering, confidence))
        return out

    def _find(self, lang: str, haystack: str) -> list[tuple[int, int, int]]:
        """(key, start, end) of each leftmost-longest match, in characters of ``haystack``."""
        found = self._automata[lang].find_matches_as_indexes(haystack.encode())
        if not found or haystack.isascii():
            return found
        points = np.frombuffer(haystack.encode("utf-32-le"), dtype=np.uint32)
        widths = 1 + (points >= 0x80) + (points >= 0x800) + (points >= 0x10000)
        starts = np.concatenate(([0], np.cumsum(widths)))  # each character's first byte, and the end
        keys, first, last = np.array(found, dtype=np.int64).T
        begins, ends = np.searchsorted(starts, first).tolist(), np.searchsorted(starts, last).tolist()
        return list(zip(keys.tolist(), begins, ends, strict=True))


def _code(index: int) -> str:
    """The token string's character for the vocabulary's index-th word (past BREAK and OTHER,
    skipping the surrogates a str cannot hold)."""
    point = index + 2
    return chr(point if point < 0xD800 else point + 0x800)


def with_current(renderings: list[Rendering]) -> list[Rendering]:
    """An entry's renderings, each deprecated one given the rendering to use now in its
    language, so a reader learns the current form: the official rendering the glossary prefers,
    else the first official one, else the preferred one."""
    current: dict[str, str] = {}
    preferred = {(r.lang, r.text) for r in renderings if r.status == "preferred"}
    for rank in (0, 1, 2):  # the official one preferred, any official one, the preferred one
        for r in renderings:
            if _current_rank(r, preferred) <= rank:
                current.setdefault(r.lang, r.text)
    return [replace(r, current=current.get(r.lang)) if r.status == "deprecated" else r for r in renderings]


def _current_rank(r: Rendering, preferred: set[tuple[str, str]]) -> int:
    if r.status == "official":
        return 0 if (r.lang, r.text) in preferred else 1
    return 2 if r.status == "preferred" else 3


def merge(chinese: list[tuple[int, int]], found: list[Found]) -> tuple[list[int], list[Found]]:
    """Leftmost-longest across the Chinese matches (spans, not overlapping one another) and the
    renderings found: the indices of the Chinese matches kept and the renderings kept. Where
    the two start together and are as long, the Chinese match wins."""
    spans = [(start, start - end, 0, i) for i, (start, end) in enumerate(chinese)]
    spans += [(f.start, f.start - f.end, 1, i) for i, f in enumerate(found)]
    kept_chinese: list[int] = []
    kept: list[Found] = []
    reached = 0
    for start, minus_length, source, i in sorted(spans):
        if start < reached:
            continue
        reached = start - minus_length
        if source:
            kept.append(found[i])
        else:
            kept_chinese.append(i)
    return kept_chinese, kept

"""Characters of a term one by one: each with its syllable of the term's pinyin and a short English
gloss from CC-CEDICT (glossary/data/cedict-chars.tsv, made by tools/cedict_chars.py; CC BY-SA 4.0,
credited on the page). The dictionary file is read once, on first use."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .pinyin import strip_tones, syllables

DICTIONARY = Path(__file__).resolve().parent.parent / "data" / "cedict-chars.tsv"
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_TONES = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}
# senses that say nothing about the meaning in a political term
_SKIP = re.compile(r"^(CL:|surname |(old )?variant of |used in |see |also pr\.|abbr\. for \S+$)")
GLOSS_LENGTH = 40  # characters of senses kept: a short gloss, not the dictionary entry


@dataclass(frozen=True)
class Entry:
    """One CC-CEDICT entry of a single character."""

    simplified: str
    traditional: str
    reading: str  # CC-CEDICT's numbered pinyin: quan2, lu:4
    senses: tuple[str, ...]


@dataclass(frozen=True)
class Character:
    """A character of a term: its traditional form, its syllable in the term and a short gloss."""

    char: str
    traditional: str
    pinyin: str
    gloss: str  # '' when the dictionary has no entry for this reading


@cache
def dictionary(path: Path = DICTIONARY) -> dict[str, tuple[Entry, ...]]:
    """Entries by simplified and by traditional character, in the file's order."""
    found: dict[str, list[Entry]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        simplified, traditional, reading, senses = line.split("\t")
        entry = Entry(simplified, traditional, reading, tuple(senses.split("/")))
        for key in dict.fromkeys((simplified, traditional)):
            found.setdefault(key, []).append(entry)
    return {key: tuple(entries) for key, entries in found.items()}


def numbered(syllable: str) -> str:
    """A tone-marked syllable in CC-CEDICT's spelling: 'quán' → 'quan2', 'lǜ' → 'lu:4'."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = next((_TONES[c] for c in decomposed if c in _TONES), "5")
    return strip_tones(syllable).lower().replace("ü", "u:") + tone


def gloss(char: str, syllable: str, entries: dict[str, tuple[Entry, ...]] | None = None) -> str:
    """A few senses of the entry whose reading is the character's syllable in the term (the
    lower-case reading first: capitalised ones are names), '' when none has that reading."""
    found = (dictionary() if entries is None else entries).get(char, ())
    wanted = numbered(syllable) if syllable else ""
    candidates = [e for e in found if e.reading.lower() == wanted] if wanted else list(found)
    candidates.sort(key=lambda e: e.reading != e.reading.lower())  # common nouns before names
    for entry in candidates:
        senses = [s for s in entry.senses if s and not _SKIP.match(s)]
        if senses:
            kept = [senses[0]]
            for sense in senses[1:]:
                if len("; ".join([*kept, sense])) > GLOSS_LENGTH:
                    break
                kept.append(sense)
            return "; ".join(kept)
    return ""


def breakdown(simplified: str, traditional: str, pinyin: str) -> list[Character]:
    """The term's Han characters in order, each with its syllable (the term's own reading, so
    polyphones read as in the term) and gloss. Characters whose syllable cannot be aligned get ''."""
    pairs = syllables(simplified, pinyin) or tuple((c, "") for c in simplified)
    rows = []
    for index, (char, syllable) in enumerate(pairs):
        if not _HAN.match(char):
            continue
        other = traditional[index] if len(traditional) == len(simplified) else char
        rows.append(Character(char, other, syllable, gloss(char, syllable)))
    return rows

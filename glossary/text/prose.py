"""Reading running text for term mining: Han characters, romanisations, words and sentences.

Shared by the bracket glosses (mining) and the English-rendering patterns (gloss_english); pure
like the rest of ``glossary.text``.
"""

from __future__ import annotations

import re
from functools import cache

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
HAN_RE = re.compile(f"[{HAN}]")
# words that end a noun phrase when walking back from a gloss
STOP_WORDS = set(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "another",
        "any",
        "each",
        "every",
        "some",
        "such",
        "its",
        "their",
        "his",
        "her",
        "our",
        "my",
        "your",
        "no",
        "it",
        "they",
        "he",
        "she",
        "we",
        "you",
        "i",
        "them",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "called",
        "named",
        "termed",
        "as",
        "than",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "where",
        "when",
        "while",
        "because",
        "if",
        "by",
        "from",
        "at",
        "into",
        "onto",
        "about",
        "between",
        "through",
        "against",
        "toward",
        "towards",
        "upon",
        "not",
        "also",
        "so",
        "very",
        "known",
        "said",
        "says",
        "there",
        "here",
        "then",
        "thus",
        "how",
        "why",
    ]
)
CONNECTORS = {"of", "and", "in", "for", "on", "with", "or", "to", "the", "&", "de", "du", "des", "la", "le"}
ABBREVIATIONS = {"dr", "mr", "ms", "mrs", "st", "no", "vol", "cf", "e.g", "i.e", "u.s", "jr", "prof"}
_WORD = re.compile(r"[A-Za-z0-9][\w'’.\-&]*[\w]|[A-Za-z0-9&]")
_SENTENCE_END = re.compile(r"[.!?。！？]+[”’\"')\]）」』]*(?=\s|$)|[。！？]+[”’」』]*")


def han_count(text: str) -> int:
    return len(HAN_RE.findall(text))


def is_chinese_document(text: str) -> bool:
    """Mostly Han characters among the letters: mine quoted phrases and formulas."""
    han = han_count(text)
    latin = len(re.findall(r"[A-Za-z]", text))
    return han > 0 and han >= latin


@cache
def readings(char: str) -> tuple[str, ...]:
    """Toneless readings of one character (all heteronyms), ü written u."""
    from pypinyin import Style, pinyin  # imported where needed: see pinyin.load_library

    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple({r.replace("ü", "u").replace("v", "u") for r in found[0]}) if found else ()


def spells(letters: str, chinese: str) -> bool:
    """Does a romanisation ('lihui', 'xiaohuamei') spell these characters in pinyin?"""
    chars = [c for c in chinese if HAN_RE.match(c)]
    if not chars or not letters:
        return False
    letters = letters.lower().replace("ü", "u")

    def go(i: int, pos: int) -> bool:
        if i == len(chars):
            return pos == len(letters)
        return any(letters.startswith(r, pos) and go(i + 1, pos + len(r)) for r in readings(chars[i]) if r)

    return go(0, 0)


def letters_of(word: str) -> str:
    return re.sub(r"[^a-zü]", "", re.sub(r"['’]s$", "", word.lower()))


def content_words(text: str) -> int:
    return sum(1 for w in _WORD.findall(text) if w.lower() not in STOP_WORDS and w.lower() not in CONNECTORS)


def expected_words(chinese: str) -> int:
    """Roughly how many content words an English rendering of this much Chinese has."""
    return max(1, round(han_count(chinese) / 2))


def line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def sentence_at(text: str, pos: int) -> tuple[str, int]:
    """The sentence around offset pos, verbatim, and where it starts (sentences end at . ! ? 。 or a line)."""
    ls, le = line_start(text, pos), line_end(text, pos)
    start, end = ls, le
    for m in _SENTENCE_END.finditer(text, ls, le):
        word = re.search(r"([\w.]+)\.$", text[max(ls, m.start() - 12) : m.start() + 1])
        if m.group().startswith(".") and word and word.group(1).lower() in ABBREVIATIONS:
            continue
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.end()
            break
    raw = text[start:end]
    lead = len(raw) - len(raw.lstrip())
    return raw.strip(), start + lead

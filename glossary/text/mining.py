"""Term mining: propose glossary entries from the way analysts gloss Chinese in their writing.

Pure engine (no Flask, no database): it works on ``str`` and returns plain dataclasses.

English or mixed documents: every bracketed Chinese expression is paired with the English the
writer gives for it — a quotation before it (“English” (中文), 'English' [中文], *Title* [中文]),
a quotation around both (“English (中文)”), a romanised name that spells the Chinese (Li Hui (李辉)),
a capitalised name (Ministry of Civil Affairs (民政部)), a headline, or else the noun phrase just
before it (news extortion (新闻敲诈)); *pinyin* (中文) records the romanisation and looks for the
English the writer says it is "referred to as".  Chinese documents: quoted phrases (“…”) and
numbered formulas (两个…, 四个…) that recur.  The patterns are documented in docs/interchange.md;
the English-side ones live in ``gloss_english``, the shared reading of text in ``prose``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from .gloss_english import OPENING_QUOTES, english_for
from .prose import HAN, HAN_RE, content_words, han_count, is_chinese_document, letters_of, sentence_at, spells

__all__ = ["Gloss", "Phrase", "glosses", "is_chinese_document", "phrases"]

OPENERS = {"(": ")", "（": "）", "[": "]", "【": "】"}
CLOSERS = set(OPENERS.values())
MAX_BRACKET = 400
MAX_CHINESE = 100
# title and quotation marks that wrap a Chinese expression in brackets: (《经济日报》) is 经济日报
CHINESE_MARKS = {"《": "》", "〈": "〉", "“": "”", "「": "」", "『": "』", "‘": "’", '"': '"', "'": "'"}
_FORMULA = re.compile(
    f"(?<![第一二三四五六七八九十])(?:[两三四五六七八九十]|十[一二三四五六七八九])[个位项条][{HAN}]{{2}}"
)


@dataclass(frozen=True, slots=True)
class Gloss:
    """One Chinese expression in an English (or mixed) document and how the writer rendered it."""

    chinese: str
    english: str | None
    pinyin: str | None
    pattern: str  # quoted-before, quoted-around, name, capitalised, headline, phrase, pinyin, chinese-first
    kind: str  # person, name, term
    start: int  # offsets of the Chinese in the document
    end: int
    sentence: str  # verbatim
    sentence_start: int
    line: int


@dataclass(slots=True)
class Phrase:
    """A recurring quoted phrase or numbered formula in a Chinese document."""

    text: str
    kind: str  # quoted or formula
    count: int  # occurrences anywhere in the document
    quoted: int  # occurrences inside quotation marks
    contexts: list[tuple[str, int, int]] = field(default_factory=list)  # (sentence, offset, line)


# ---------------------------------------------------------------- brackets


def _brackets(text: str) -> Iterator[tuple[int, int]]:
    """(opener offset, closer offset) of bracket pairs on one line, nesting respected."""
    for m in re.finditer(r"[(（\[【]", text):
        depth, i = 0, m.start()
        limit = min(len(text), i + MAX_BRACKET)
        for j in range(i + 1, limit):
            c = text[j]
            if c == "\n":
                break
            if c in OPENERS:
                depth += 1
            elif c in CLOSERS:
                if depth == 0:
                    yield i, j
                    break
                depth -= 1


def _unmark(chinese: str) -> str:
    """「一带一路」倡议 → 一带一路倡议: a quoted or titled name with a short classifier is the term;
    in a longer expression (a headline quoting a title) the marks are part of what is printed."""
    m = re.fullmatch(f"(.*?)([{''.join(CHINESE_MARKS)}])(.+?)([{''.join(CHINESE_MARKS.values())}])(.*)", chinese)
    if m is None or CHINESE_MARKS.get(m.group(2)) != m.group(4) or len(m.group(1) + m.group(5)) > 4:
        return chinese
    return m.group(1) + m.group(3) + m.group(5)


def _chinese_parts(content: str, offset: int) -> list[tuple[str, int, int]]:
    """The Chinese pieces of a bracket's content (abbreviations and remarks set apart, the marks
    around a name dropped), each with its start and end in the document."""
    pieces = re.split(r"([;；]|[,，](?=\s*[^\s]))", content)
    parts: list[tuple[str, int]] = []
    pos = offset
    current, current_start = "", offset
    for i, piece in enumerate(pieces):
        if i % 2 == 1:  # a separator
            nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
            if piece in ",，" and HAN_RE.search(current) and HAN_RE.search(nxt):
                current += piece
            else:
                parts.append((current, current_start))
                current, current_start = "", pos + len(piece)
            pos += len(piece)
            continue
        if not current:
            current_start = pos
        current += piece
        pos += len(piece)
    parts.append((current, current_start))
    out = []
    for part, start in parts:
        stripped = part.strip()
        lead = len(part) - len(part.lstrip())
        if stripped.startswith("@"):
            stripped, lead = stripped[1:], lead + 1
        while len(stripped) > 2 and CHINESE_MARKS.get(stripped[0]) == stripped[-1]:
            stripped, lead = stripped[1:-1].strip(), lead + 1 + len(stripped[1:]) - len(stripped[1:].lstrip())
        first_han = HAN_RE.search(stripped)
        if not first_han or len(stripped) > MAX_CHINESE or han_count(stripped) < 2:
            continue
        head = stripped[: first_han.start()]
        if head.strip(OPENING_QUOTES + "《〈“ "):  # starts with Latin text: a remark, not Chinese
            continue
        if han_count(stripped) * 2 < len(re.sub(r"\s", "", stripped)):
            continue
        out.append((_unmark(stripped), start + lead, start + lead + len(stripped)))
    return out


# ---------------------------------------------------------------- public API


def glosses(text: str) -> list[Gloss]:
    """Every glossed Chinese expression in the document, in document order."""
    out: list[Gloss] = []
    used: set[int] = set()
    for opener, closer in _brackets(text):
        content = text[opener + 1 : closer]
        for chinese, at, end in _chinese_parts(content, opener + 1):
            sentence, s_start = sentence_at(text, at)
            line = text.count("\n", 0, at) + 1
            in_chinese_text = bool(HAN_RE.match(text[opener - 1 : opener] or " "))
            for english, romanised, pattern, kind in english_for(text, opener, closer, chinese):
                if english is None and romanised is None and in_chinese_text:
                    continue  # a bracket inside Chinese prose glosses nothing
                out.append(Gloss(chinese, english, romanised, pattern, kind, at, end, sentence, s_start, line))
            used.update(range(at, end))
        if not HAN_RE.search(content):
            gloss = _chinese_first(text, opener, closer, content)
            if gloss:
                out.append(gloss)
                used.update(range(gloss.start, gloss.end))
    out += _bare_names(text, used)
    return sorted(out, key=lambda g: (g.start, g.pattern))


def _chinese_first(text: str, opener: int, closer: int, content: str) -> Gloss | None:
    """中文 (English): the English in the bracket after a Chinese expression."""
    m = re.search(f"([{HAN}][{HAN}·\\-]{{0,29}})\\s*$", text[max(0, opener - 40) : opener])
    english = content.strip()
    if not m or not re.fullmatch(r"[A-Za-z][A-Za-z '’\-]{2,}", english) or len(english.split()) > 10:
        return None
    chinese = _trailing_words(m.group(1), 2 * max(1, content_words(english)))
    at = opener - len(text[max(0, opener - 40) : opener]) + m.end(1) - len(chinese)
    sentence, s_start = sentence_at(text, at)
    kind = "person" if english[0].isupper() and spells(letters_of(english.replace(" ", "")), chinese) else "term"
    line = text.count("\n", 0, at) + 1
    return Gloss(chinese, english, None, "chinese-first", kind, at, at + len(chinese), sentence, s_start, line)


def _trailing_words(run: str, target: int) -> str:
    """The last words of a Chinese run, about target characters long (他提出了网络主权 → 网络主权)."""
    from .segment import shared_segmenter

    if len(run) <= target:
        return run
    taken = ""
    for word in reversed(shared_segmenter().words(run)):
        if len(taken) >= target:
            break
        taken = word + taken
    return taken


def _bare_names(text: str, used: set[int]) -> list[Gloss]:
    """Xiao Qiang 萧强: a romanised name followed by the characters it spells, no brackets."""
    out = []
    for m in re.finditer(f"((?:[A-Z][a-z]+ ){{1,3}})([{HAN}]{{2,4}})(?![{HAN}])", text):
        if m.start(2) in used:
            continue
        words = m.group(1).split()
        for k in range(len(words)):
            letters = "".join(letters_of(w) for w in words[k:])
            if spells(letters, m.group(2)):
                sentence, s_start = sentence_at(text, m.start(2))
                line = text.count("\n", 0, m.start(2)) + 1
                english = " ".join(words[k:])
                out.append(
                    Gloss(m.group(2), english, None, "name", "person", m.start(2), m.end(2), sentence, s_start, line)
                )
                break
    return out


def phrases(text: str, known: Collection[str] = (), min_count: int = 2, max_contexts: int = 3) -> list[Phrase]:
    """Recurring quoted phrases and numbered formulas of a Chinese document not in ``known``."""
    found: dict[str, Phrase] = {}
    for m in re.finditer(f"[“「『]([{HAN}][^“”「」『』\\n。！？；]{{1,19}})[”」』]", text):
        phrase = m.group(1).strip()
        if han_count(phrase) * 2 < len(phrase) or phrase in known:
            continue
        p = found.setdefault(phrase, Phrase(phrase, "quoted", 0, 0))
        p.quoted += 1
    for m in _FORMULA.finditer(text):
        phrase = _extend(text, m.group())
        if phrase not in known and phrase not in found:
            found[phrase] = Phrase(phrase, "formula", 0, 0)
    out = []
    for p in found.values():
        positions = [m.start() for m in re.finditer(re.escape(p.text), text)]
        p.count = len(positions)
        if p.count < min_count:
            continue
        for pos in positions[:max_contexts]:
            sentence, _ = sentence_at(text, pos)
            p.contexts.append((sentence, pos, text.count("\n", 0, pos) + 1))
        out.append(p)
    return sorted(out, key=lambda p: (-p.count, p.text))


def _extend(text: str, base: str) -> str:
    """Grow a formula while every occurrence continues the same way (两个确立, not 两个确)."""
    phrase = base
    while len(phrase) < len(base) + 4:
        ends = [m.end() for m in re.finditer(re.escape(phrase), text)]
        nexts = {text[e] for e in ends if e < len(text)}
        if len(ends) < 2 or len(nexts) != 1 or not HAN_RE.match(next(iter(nexts))):
            return phrase
        phrase += nexts.pop()
    return phrase

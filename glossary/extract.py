"""Term mining: propose glossary entries from the way analysts gloss Chinese in their writing.

Pure engine (no Flask, no database): it works on ``str`` and returns plain dataclasses.

English or mixed documents: every bracketed Chinese expression is paired with the English the
writer gives for it — a quotation before it (“English” (中文), 'English' [中文], *Title* [中文]),
a quotation around both (“English (中文)”), a romanised name that spells the Chinese (Li Hui (李辉)),
a capitalised name (Ministry of Civil Affairs (民政部)), a headline, or else the noun phrase just
before it (news extortion (新闻敲诈)); *pinyin* (中文) records the romanisation and looks for the
English the writer says it is "referred to as".  Chinese documents: quoted phrases (“…”) and
numbered formulas (两个…, 四个…) that recur.  The patterns are documented in docs/interchange.md.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import cache

from pypinyin import Style, pinyin

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_HAN_RE = re.compile(f"[{HAN}]")
OPENERS = {"(": ")", "（": "）", "[": "]", "【": "】"}
CLOSERS = set(OPENERS.values())
MAX_BRACKET = 400
MAX_CHINESE = 100
QUOTE_PAIRS = {"”": "“", "’": "‘", '"': '"', "'": "'", "*": "*", "」": "「", "』": "『"}
OPENING_QUOTES = "“‘\"'「『*"
# title and quotation marks that wrap a Chinese expression in brackets: (《经济日报》) is 经济日报
CHINESE_MARKS = {"《": "》", "〈": "〉", "“": "”", "「": "」", "『": "』", "‘": "’", '"': '"', "'": "'"}
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
# words that, before a plural-looking word, make it a verb (they champion…, Beijing champions…)
SUBJECT_PRONOUNS = {"he", "she", "it", "they", "we", "who", "which", "that"}
CONNECTORS = {"of", "and", "in", "for", "on", "with", "or", "to", "the", "&", "de", "du", "des", "la", "le"}
NAME_CONNECTORS = {"of", "and", "for", "on", "in", "the", "&", "de", "du", "des", "la", "le", "to"}
ABBREVIATIONS = {"dr", "mr", "ms", "mrs", "st", "no", "vol", "cf", "e.g", "i.e", "u.s", "jr", "prof"}
_WORD = re.compile(r"[A-Za-z0-9][\w'’.\-&]*[\w]|[A-Za-z0-9&]")
_REFERRED = re.compile(
    r"(?:,?\s+(?:sometimes|often|also|commonly|usually|widely))?\s+(?:referred\s+to|known|described)\s+as"
    r"(?:\s+(?:an?|the))?\s*$|\s+called(?:\s+(?:an?|the))?\s*$"
)
# 两个确立, 四个意识, 五位一体, 八项规定; not 第二个… (an ordinal) nor 一个… (the article "a")
_FORMULA = re.compile(
    f"(?<![第一二三四五六七八九十])(?:[两三四五六七八九十]|十[一二三四五六七八九])[个位项条][{HAN}]{{2}}"
)
_L = "A-Za-z0-9\u00c0-\u024f"  # Latin letters and digits: a Han character ends an English phrase
_TOKEN = re.compile(f"[{_L}][{_L}'’.\\-&]*[{_L}]|[{_L}&]|[^\\s{_L}]")
_SENTENCE_END = re.compile(r"[.!?。！？]+[”’\"')\]）」』]*(?=\s|$)|[。！？]+[”’」』]*")


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


# ---------------------------------------------------------------- helpers


def han_count(text: str) -> int:
    return len(_HAN_RE.findall(text))


def is_chinese_document(text: str) -> bool:
    """Mostly Han characters among the letters: mine quoted phrases and formulas."""
    han = han_count(text)
    latin = len(re.findall(r"[A-Za-z]", text))
    return han > 0 and han >= latin


@cache
def _readings(char: str) -> tuple[str, ...]:
    """Toneless readings of one character (all heteronyms), ü written u."""
    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple({r.replace("ü", "u").replace("v", "u") for r in found[0]}) if found else ()


def spells(letters: str, chinese: str) -> bool:
    """Does a romanisation ('lihui', 'xiaohuamei') spell these characters in pinyin?"""
    chars = [c for c in chinese if _HAN_RE.match(c)]
    if not chars or not letters:
        return False
    letters = letters.lower().replace("ü", "u")

    def go(i: int, pos: int) -> bool:
        if i == len(chars):
            return pos == len(letters)
        return any(letters.startswith(r, pos) and go(i + 1, pos + len(r)) for r in _readings(chars[i]) if r)

    return go(0, 0)


def _letters(word: str) -> str:
    return re.sub(r"[^a-zü]", "", re.sub(r"['’]s$", "", word.lower()))


def _content_words(text: str) -> int:
    return sum(1 for w in _WORD.findall(text) if w.lower() not in STOP_WORDS and w.lower() not in CONNECTORS)


def _expected(chinese: str) -> int:
    """Roughly how many content words an English rendering of this much Chinese has."""
    return max(1, round(han_count(chinese) / 2))


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def sentence_at(text: str, pos: int) -> tuple[str, int]:
    """The sentence around offset pos, verbatim, and where it starts (sentences end at . ! ? 。 or a line)."""
    ls, le = _line_start(text, pos), _line_end(text, pos)
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
            if piece in ",，" and _HAN_RE.search(current) and _HAN_RE.search(nxt):
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
        first_han = _HAN_RE.search(stripped)
        if not first_han or len(stripped) > MAX_CHINESE or han_count(stripped) < 2:
            continue
        head = stripped[: first_han.start()]
        if head.strip(OPENING_QUOTES + "《〈“ "):  # starts with Latin text: a remark, not Chinese
            continue
        if han_count(stripped) * 2 < len(re.sub(r"\s", "", stripped)):
            continue
        out.append((_unmark(stripped), start + lead, start + lead + len(stripped)))
    return out


# ---------------------------------------------------------------- English before a bracket


def _is_apostrophe(s: str, i: int) -> bool:
    return 0 < i < len(s) - 1 and s[i - 1].isalnum() and s[i + 1].isalnum()


def _opening_before(s: str, close_at: int, closing: str) -> int | None:
    """Offset of the quote that a closing quote at close_at ends (None when there is none)."""
    opening = QUOTE_PAIRS[closing]
    alternatives = {opening} | ({'"', "“"} if closing in '"”' else set()) | ({"'", "‘"} if closing in "'’" else set())
    for i in range(close_at - 1, max(-1, close_at - 400), -1):
        c = s[i]
        if c == "\n":
            return None
        if c in alternatives and not _is_apostrophe(s, i):
            before = s[i - 1] if i > 0 else " "
            after = s[i + 1] if i + 1 < len(s) else " "
            if (before.isspace() or before in "([{—–-:,;/“‘\"'" or i == 0) and not after.isspace():
                return i
    return None


def _quoted_before(pre: str) -> list[tuple[str, int]] | None:
    """'English' or “English” (or 'A' or 'B') right before the bracket: [(text, start)]."""
    s = pre.rstrip()
    s2 = s.rstrip(",.;:")
    if not s2 or s2[-1] not in QUOTE_PAIRS or (s2[-1] in "'’" and _is_apostrophe(s2 + " ", len(s2) - 1)):
        return None
    close_at = len(s2) - 1
    if s2[-1] in "'’" and len(s2) > 1 and s2[-2] in "s" and not re.search(r"['‘][^'’]*s['’]$", s2):
        return None  # a plural possessive (countries'), not a quotation
    start = _opening_before(s2, close_at, s2[-1])
    if start is None:
        return None
    found = [(s2[start + 1 : close_at], start + 1)]
    m = re.search(r"(['’\"”*])\s+or\s+$", s2[:start])
    if m:
        more = _quoted_before(s2[: m.start() + 1])
        if more:
            found = more + found
    return found


def _quoted_around(text: str, line_start: int, opener: int, closer: int) -> tuple[str, int] | None:
    """“English (中文)”: a quotation that closes right after the bracket."""
    after = text[closer + 1 : closer + 4]
    m = re.match(r"[,.;:]?([”\"’'])", after)
    if not m:
        return None
    pre = text[line_start:opener]
    start = _opening_before(pre + m.group(1), len(pre), m.group(1))
    if start is None:
        return None
    return pre[start + 1 :].rstrip(), line_start + start + 1


def _words_before(pre: str) -> list[tuple[str, int]]:
    """Words of the text before the bracket, last first, each with its offset; punctuation as
    one-character tokens so callers know where a phrase must stop."""
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(pre)]
    return tokens[::-1]


def _name_before(pre: str, chinese: str) -> tuple[str, int] | None:
    """A romanised name spelling the Chinese (Li Hui (李辉), Jensen Huang (黄仁勋))."""
    words = [(w, at) for w, at in _words_before(pre)[:6]]
    for k in range(1, 5):
        chunk = words[:k]
        if len(chunk) < k or not all(w[0].isupper() for w, _ in chunk):
            break
        letters = "".join(_letters(w) for w, _ in reversed(chunk))
        if spells(letters, chinese):
            start = chunk[-1][1]
            return pre[start:].rstrip(), start
    han = [c for c in chinese if _HAN_RE.match(c)]
    western = (  # given name, then a surname spelling the first character: Jensen Huang (黄仁勋)
        2 <= len(han) <= 4
        and len(words) >= 2
        and all(w[0].isupper() for w, _ in words[:2])
        and spells(_letters(words[0][0]), han[0])
        and re.fullmatch(r"[A-Z][a-z]+", words[1][0]) is not None
    )
    if western:
        start = words[1][1]
        return pre[start:].rstrip(), start
    return None


def _capitalised_before(pre: str) -> tuple[str, int] | None:
    """A run of capitalised words (with of/and/the inside): the name of a body or publication."""
    run: list[tuple[str, int]] = []
    for word, at in _words_before(pre):
        low = word.lower()
        if word[0].isupper() or word[0].isdigit():
            if "-" in word and word.rsplit("-", 1)[1][:1].islower():
                break  # Budapest-based
            if word.endswith(".") and low.rstrip(".") not in ABBREVIATIONS:
                break
            run.append((word, at))
        elif low in NAME_CONNECTORS and run:
            run.append((word, at))
        else:
            break
    while run and run[-1][0].lower() in NAME_CONNECTORS:
        run.pop()
    if not run or not any(w[0].isupper() for w, _ in run):
        return None
    start = run[-1][1]
    return pre[start:].rstrip(), start


def _looks_like_verb(word: str, before: str | None) -> bool:
    """A finite verb ending the subject-verb part of a clause: 'discussed', or 'champions' after
    a subject (Beijing champions cyber sovereignty).  Used only once the phrase is long enough."""
    low = word.lower()
    if low.endswith("ed") and not low.endswith("eed") and len(low) > 4:
        return True
    subject = before is not None and (before[:1].isupper() or before.lower() in SUBJECT_PRONOUNS)
    return subject and low.endswith("s") and not low.endswith(("ss", "us", "is")) and word[:1].islower()


def _quoted_words(pre: str, tokens: list[tuple[str, int]], i: int) -> int | None:
    """When tokens[i] closes a short quotation inside the phrase ('dual circulation' strategy),
    the index of the token that opens it."""
    word, at = tokens[i]
    if word not in QUOTE_PAIRS or word == "*":
        return None
    start = _opening_before(pre, at, word)
    if start is None:
        return None
    j = next((k for k in range(i + 1, len(tokens)) if tokens[k][1] == start), None)
    inside = tokens[i + 1 : j] if j is not None else []
    if not inside or len(inside) > 4 or not all(re.match(f"[{_L}]", w) for w, _ in inside):
        return None
    return j


def _phrase_before(pre: str, chinese: str) -> tuple[str, int] | None:
    """The noun phrase before the bracket, about as long as the Chinese suggests; quotation marks
    inside it are dropped ('dual circulation' strategy → dual circulation strategy)."""
    expected = _expected(chinese)
    taken: list[tuple[str, int]] = []
    content = 0
    tokens = _words_before(pre)[:20]
    i = -1
    while (i := i + 1) < len(tokens):
        word, at = tokens[i]
        low = word.lower()
        if taken and (j := _quoted_words(pre, tokens, i)) is not None:
            inside = tokens[i + 1 : j]
            taken += [*inside, tokens[j]]
            content += len([w for w, _ in inside if w.lower() not in CONNECTORS])
            i = j
            continue
        if not re.match(f"[{_L}]", word) or low in STOP_WORDS or re.search(r"['’]s$", low):
            break
        if low.endswith("ing") and len(low) > 4 and taken:
            break  # disseminating fake news: the verb is not part of the phrase (a head noun may end in -ing)
        if content >= expected and _looks_like_verb(word, tokens[i + 1][0] if i + 1 < len(tokens) else None):
            break  # Officials discussed common prosperity: the subject and verb are not the gloss
        if low in CONNECTORS:
            if content >= expected or not taken:
                break
            taken.append((word, at))
            continue
        taken.append((word, at))
        content += 1
        if content >= expected + 3:
            break
    while taken and (taken[-1][0].lower() in CONNECTORS or taken[-1][0] in QUOTE_PAIRS):
        taken.pop()
    if not taken:
        return None
    if content == 1 and han_count(chinese) >= 4:
        return None  # one word for four or more characters: not a rendering we can trust
    start = taken[-1][1]
    return _unquote(pre[start:].rstrip()), start


def _unquote(phrase: str) -> str:
    """Drop quotation marks that stand at word edges (not apostrophes inside words)."""
    return re.sub(r"\s+", " ", re.sub(r"(?<![\w])['‘’\"“”]|['‘’\"“”](?![\w])", "", phrase)).strip()


def _headline(text: str, line_start: int, opener: int, closer: int) -> tuple[str, int] | None:
    """A line that is only an English title and its Chinese."""
    if text[closer + 1 : _line_end(text, closer)].strip():
        return None
    pre = text[line_start:opener].strip()
    if not pre or re.search(r"[.!?]\s", pre) or len(pre.split()) > 20 or not (pre[0].isupper() or pre[0] in "“‘\"'"):
        return None
    return pre, line_start + text[line_start:opener].index(pre[0])


def _strip_article(english: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+(?=\S)", "", english, flags=re.IGNORECASE)


def _trim_long_quote(quote: str, start: int, chinese: str) -> tuple[str, int]:
    """A quotation much longer than the Chinese: the Chinese glosses only its last phrase."""
    if _content_words(quote) <= _expected(chinese) + 2:
        return quote, start
    found = _phrase_before(quote, chinese)
    return (found[0], start + found[1]) if found else (quote, start)


def _is_pinyin(word: str, chinese: str) -> bool:
    return spells(re.sub(r"[^a-zA-Zü]", "", word), chinese)


def _english_for(text: str, opener: int, closer: int, chinese: str) -> list[tuple[str | None, str | None, str, str]]:
    """[(english, pinyin, pattern, kind)] for the Chinese in the bracket at opener."""
    ls = _line_start(text, opener)
    pre = text[ls:opener]
    quoted = _quoted_before(pre)
    if quoted:
        out = []
        for q, q_start in quoted:
            if _is_pinyin(q, chinese) and q[:1].islower():
                m = _REFERRED.search(pre[: q_start - 1])
                np = _phrase_before(pre[: m.start()], chinese) if m else None
                out.append((np[0] if np else None, q, "pinyin", "term"))
            elif _is_pinyin(q, chinese):
                out.append((q, None, "name", "person"))
            else:
                q, _ = _trim_long_quote(q, q_start, chinese)
                out.append((q, None, "quoted-before", "name" if pre.rstrip()[-1:] == "*" else "term"))
        return out
    around = _quoted_around(text, ls, opener, closer)
    if around:
        q, _ = _trim_long_quote(around[0], around[1], chinese)
        return [(q, None, "quoted-around", "term")]
    name = _name_before(pre, chinese)
    if name:
        return [(name[0], None, "name", "person")]
    headline = _headline(text, ls, opener, closer)
    if headline:
        return [(headline[0], None, "headline", "term")]
    cap = _capitalised_before(pre)
    if cap:
        return [(_strip_article(cap[0]), None, "capitalised", "name")]
    phrase = _phrase_before(pre, chinese)
    return [(phrase[0] if phrase else None, None, "phrase", "term")]


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
            in_chinese_text = bool(_HAN_RE.match(text[opener - 1 : opener] or " "))
            for english, romanised, pattern, kind in _english_for(text, opener, closer, chinese):
                if english is None and romanised is None and in_chinese_text:
                    continue  # a bracket inside Chinese prose glosses nothing
                out.append(Gloss(chinese, english, romanised, pattern, kind, at, end, sentence, s_start, line))
            used.update(range(at, end))
        if not _HAN_RE.search(content):
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
    chinese = _trailing_words(m.group(1), 2 * max(1, _content_words(english)))
    at = opener - len(text[max(0, opener - 40) : opener]) + m.end(1) - len(chinese)
    sentence, s_start = sentence_at(text, at)
    kind = "person" if english[0].isupper() and spells(_letters(english.replace(" ", "")), chinese) else "term"
    line = text.count("\n", 0, at) + 1
    return Gloss(chinese, english, None, "chinese-first", kind, at, at + len(chinese), sentence, s_start, line)


def _trailing_words(run: str, target: int) -> str:
    """The last words of a Chinese run, about target characters long (他提出了网络主权 → 网络主权)."""
    from .text.segment import shared_segmenter

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
            letters = "".join(_letters(w) for w in words[k:])
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
        if len(ends) < 2 or len(nexts) != 1 or not _HAN_RE.match(next(iter(nexts))):
            return phrase
        phrase += nexts.pop()
    return phrase

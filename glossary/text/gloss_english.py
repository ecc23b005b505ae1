"""The English a writer gives before (or around) a bracketed Chinese expression.

Patterns, tried in this order: a quotation before the bracket (“English” (中文), with *pinyin*
"referred to as" English), a quotation around both (“English (中文)”), a romanised name that spells
the Chinese, a headline, a run of capitalised words, else the noun phrase before it.  Pure: works
on ``str``.
"""

from __future__ import annotations

import re

from .prose import (
    ABBREVIATIONS,
    CONNECTORS,
    HAN_RE,
    STOP_WORDS,
    content_words,
    expected_words,
    han_count,
    letters_of,
    line_end,
    line_start,
    spells,
)

QUOTE_PAIRS = {"”": "“", "’": "‘", '"': '"', "'": "'", "*": "*", "」": "「", "』": "『"}
OPENING_QUOTES = "“‘\"'「『*"
SUBJECT_PRONOUNS = {"he", "she", "it", "they", "we", "who", "which", "that"}
NAME_CONNECTORS = {"of", "and", "for", "on", "in", "the", "&", "de", "du", "des", "la", "le", "to"}
_REFERRED = re.compile(
    r"(?:,?\s+(?:sometimes|often|also|commonly|usually|widely))?\s+(?:referred\s+to|known|described)\s+as"
    r"(?:\s+(?:an?|the))?\s*$|\s+called(?:\s+(?:an?|the))?\s*$"
)
# 两个确立, 四个意识, 五位一体, 八项规定; not 第二个… (an ordinal) nor 一个… (the article "a")
_L = "A-Za-z0-9\u00c0-\u024f"  # Latin letters and digits: a Han character ends an English phrase
_TOKEN = re.compile(f"[{_L}][{_L}'’.\\-&]*[{_L}]|[{_L}&]|[^\\s{_L}]")


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
        letters = "".join(letters_of(w) for w, _ in reversed(chunk))
        if spells(letters, chinese):
            start = chunk[-1][1]
            return pre[start:].rstrip(), start
    han = [c for c in chinese if HAN_RE.match(c)]
    western = (  # given name, then a surname spelling the first character: Jensen Huang (黄仁勋)
        2 <= len(han) <= 4
        and len(words) >= 2
        and all(w[0].isupper() for w, _ in words[:2])
        and spells(letters_of(words[0][0]), han[0])
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
    expected = expected_words(chinese)
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
    if text[closer + 1 : line_end(text, closer)].strip():
        return None
    pre = text[line_start:opener].strip()
    if not pre or re.search(r"[.!?]\s", pre) or len(pre.split()) > 20 or not (pre[0].isupper() or pre[0] in "“‘\"'"):
        return None
    return pre, line_start + text[line_start:opener].index(pre[0])


def _strip_article(english: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+(?=\S)", "", english, flags=re.IGNORECASE)


def _trim_long_quote(quote: str, start: int, chinese: str) -> tuple[str, int]:
    """A quotation much longer than the Chinese: the Chinese glosses only its last phrase."""
    if content_words(quote) <= expected_words(chinese) + 2:
        return quote, start
    found = _phrase_before(quote, chinese)
    return (found[0], start + found[1]) if found else (quote, start)


def _is_pinyin(word: str, chinese: str) -> bool:
    return spells(re.sub(r"[^a-zA-Zü]", "", word), chinese)


def english_for(text: str, opener: int, closer: int, chinese: str) -> list[tuple[str | None, str | None, str, str]]:
    """[(english, pinyin, pattern, kind)] for the Chinese in the bracket at opener."""
    ls = line_start(text, opener)
    pre = text[ls:opener]
    quoted = _quoted_before(pre)
    if quoted:
        out: list[tuple[str | None, str | None, str, str]] = []
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

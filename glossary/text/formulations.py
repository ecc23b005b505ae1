"""Spotting candidate formulations in running Chinese text, for the new-formulation watch: numbered
formulas (两个确立, 四个自信, 三大攻坚战, 八项规定 …), phrases set in quotation marks, and the
character n-grams whose use rose. Pure functions over strings; counting across documents and
ranking live in services/corpus_candidates.py.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"
NUMERALS = "一二两三四五六七八九十百千万亿零〇"
MEASURES = "个大项条点种类位"
# characters that begin or end a phrase only by accident of where a window was cut: particles,
# conjunctions, pronouns and prepositions (a formulation such as 为人民服务 keeps its inner ones)
EDGE_WORDS = frozenset("的了和与及并或是在对把被将从以为由于也都就而且之其这那此等中上下着过有不要使让向给同跟所")

# a numeral from one to nineteen, a measure word and a head of two to four characters: 两个确立,
# 四个自信, 三大攻坚战. Not after 第 (an ordinal: 第三条), after a longer number (八百三十二个) or
# inside a word (统一大市场, 唯一, 之一); 十八大 and 二十大 (congresses) are ordinals, not formulas.
_NUMBERED = re.compile(
    f"(?<![第统唯之同单{NUMERALS}])(?:十[一二三四五六七八九]?|[一二两三四五六七八九])(?![{NUMERALS}])"
    f"[{MEASURES}][{HAN}]{{2,4}}"
)
_CONGRESS = re.compile("^(?:十[一二三四五六七八九]?|二十)大")
_QUOTED = re.compile(f"[“「『]([{HAN}][{HAN}、·]{{0,14}}[{HAN}])[”」』]")
_HAN_RUN = re.compile(f"[{HAN}]+")


def quoted(text: str) -> Iterator[tuple[str, int]]:
    """Each phrase of 2–16 Han characters (and 、 or · inside) set in “…”, 「…」 or 『…』, with the
    offset of its first character."""
    for match in _QUOTED.finditer(text):
        yield match.group(1), match.start(1)


def numbered(text: str) -> Iterator[tuple[str, int]]:
    """Each numbered formula, longest reading first cut back to its head: the numeral, the measure
    word, and a head noun of two to four characters, cut before a particle or preposition
    (四个自信的决心 → 四个自信). The head's length is settled across documents by
    :func:`settle`, since one sentence cannot tell 三大攻坚 from 三大攻坚战."""
    for match in _NUMBERED.finditer(text):
        phrase = match.group()
        if _CONGRESS.match(phrase):
            continue
        head = len(phrase) - len(match.group().lstrip(NUMERALS)) + 1  # where the head noun starts
        cut = next((i for i in range(head + 2, len(phrase)) if phrase[i] in EDGE_WORDS), len(phrase))
        phrase = phrase[:cut]
        if phrase[-1] not in EDGE_WORDS:
            yield phrase, match.start()


def ngrams(text: str, n: int, keep: frozenset[str] | None = None) -> Counter[str]:
    """Counts of the n-character runs of Han text that neither begin nor end with an edge word;
    with ``keep``, only those in it (so counting a large text for known candidates stays small)."""
    counts: Counter[str] = Counter()
    for run in _HAN_RUN.findall(text):
        for i in range(len(run) - n + 1):
            gram = run[i : i + n]
            if gram[0] in EDGE_WORDS or gram[-1] in EDGE_WORDS:
                continue
            if keep is None or gram in keep:
                counts[gram] += 1
    return counts


def readings_around(text: str, grams: frozenset[str], reach: int) -> Iterator[tuple[str, list[str]]]:
    """For each place a gram of ``grams`` (all of one length) starts in a Han run: the gram and
    every reading of the run that holds it with up to ``reach`` more characters on each side."""
    size = len(next(iter(grams), ""))
    if not size:
        return
    for run in _HAN_RUN.findall(text):
        for i in range(len(run) - size + 1):
            gram = run[i : i + size]
            if gram in grams:
                yield (
                    gram,
                    [
                        run[i - left : i + size + right]
                        for left in range(min(reach, i) + 1)
                        for right in range(min(reach, len(run) - i - size) + 1)
                    ],
                )


def settle(counts: Counter[str], share: float = 0.8) -> dict[str, int]:
    """Of phrases where one extends another by characters (三大攻坚 / 三大攻坚战), keep the longest
    that still accounts for ``share`` of the shorter one's uses; the shorter is then a fragment."""
    kept = dict(counts)
    for phrase in sorted(counts, key=len):
        for longer in counts:
            if len(longer) > len(phrase) and phrase in longer and counts[longer] >= share * counts[phrase]:
                kept.pop(phrase, None)
                break
    return kept

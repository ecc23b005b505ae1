"""Every seed entry's pinyin against pypinyin's phrase-aware reading, syllable by syllable.

Used by tests/test_seed_pinyin.py and runnable by hand while curating seed data:
``python tests/pinyincheck.py`` prints every problem found in seed/*.json.

A reading that differs from pypinyin's must be listed, with its reason, in
tests/data/pinyin_exceptions.json: pypinyin is wrong on some political phrases (以人民为中心 wèi,
重塑 zhòng), and where it is right the seed is what must change. Spacing, hyphens, capitals and
apostrophes are not compared here (they are the word grouping of GB/T 16159-2012); the rules that
hold whatever pypinyin says are checked for every entry: 一 and 不 with their base tones (yī gè,
bù shì: no written sandhi) and an apostrophe before a syllable starting with a, o or e inside a word.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from functools import cache
from pathlib import Path

import seedcheck  # tests/ is on the path: run as a script from it, or by pytest
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PINYIN_DICT

from glossary.text.fold import CJK
from glossary.text.pinyin import strip_tones

EXCEPTIONS = Path(__file__).resolve().parent / "data" / "pinyin_exceptions.json"
BASE_TONES = {"一": "yī", "不": "bù"}  # GB/T 16159-2012 writes them unchanged by tone sandhi
SPOKEN_SIGNS = {"+": "jiā"}  # 互联网+ is read hùliánwǎng jiā
_HAN_RUN = re.compile(f"([{CJK}]+)")
_LETTERS = re.compile(r"[0-9a-zü\u0300-\u036f]", re.I)  # after NFD: letters, digits, tone marks


@cache
def _syllables() -> frozenset[str]:
    """Every toneless syllable pypinyin knows (plus the neutral-tone forms it writes bare)."""
    return frozenset(strip_tones(s) for value in PINYIN_DICT.values() for s in value.split(","))


def reference(simplified: str) -> list[tuple[str, str, str]]:
    """(character or Latin/digit run, pypinyin's syllable, expected syllable) in reading order.

    pypinyin reads each run of Han characters as a whole (its phrase dictionary decides 行 háng in
    银行); the expected syllable is pypinyin's except for 一 and 不, which keep their base tones."""
    out: list[tuple[str, str, str]] = []
    for i, run in enumerate(_HAN_RUN.split(unicodedata.normalize("NFC", simplified))):
        if i % 2:
            for char, syllable in zip(run, lazy_pinyin(run, style=Style.TONE), strict=True):
                out.append((char, syllable, BASE_TONES.get(char, syllable)))
        else:
            for chunk in re.findall(r"[0-9A-Za-z]+|[+]", run):
                spoken = SPOKEN_SIGNS.get(chunk, chunk.lower())
                out.append((chunk, spoken, spoken))
    return out


def _letters(pinyin: str) -> list[tuple[str, str]]:
    """(letter with its tone mark, what separates it from the letter before: '' inside a word,
    "'" after an apostrophe, ' ' after a space, hyphen or punctuation) for each letter."""
    out: list[tuple[str, str]] = []
    separator = " "
    for char in unicodedata.normalize("NFC", pinyin):
        if _LETTERS.fullmatch(unicodedata.normalize("NFD", char)[0]):
            out.append((char.lower(), separator))
            separator = ""
        elif char in "'’":
            separator = "'"
        elif separator != "'":
            separator = " "
    return out


def syllabify(pinyin: str, simplified: str) -> list[tuple[str, str]] | None:
    """Our pinyin cut into (syllable, separator before it), one per item of ``reference``; None if
    it cannot be cut so. pypinyin's syllable guides each cut; where ours differs in letters too
    (xíng for háng) any syllable pypinyin knows may stand in its place."""
    letters = _letters(pinyin)
    plain = "".join(strip_tones(c) for c, _ in letters)
    guide = [strip_tones(expected) for _, _, expected in reference(simplified)]

    @cache
    def cut(pos: int, i: int) -> tuple[int, ...] | None:
        if i == len(guide):
            return () if pos == len(plain) else None
        lengths = [len(guide[i])] if plain.startswith(guide[i], pos) else []
        lengths += [n for n in range(6, 0, -1) if n not in lengths and plain[pos : pos + n] in _syllables()]
        for n in lengths:
            if n and (rest := cut(pos + n, i + 1)) is not None:
                return (n, *rest)
        return None

    sizes = cut(0, 0)
    if sizes is None:
        return None
    out, pos = [], 0
    for n in sizes:
        out.append(("".join(c for c, _ in letters[pos : pos + n]), letters[pos][1]))
        pos += n
    return out


def load_exceptions(path: Path = EXCEPTIONS) -> dict[str, dict[str, str]]:
    return {e["simplified"]: e for e in json.loads(path.read_text("utf-8"))["exceptions"]}


def entry_problems(term: dict, exception: dict[str, str] | None) -> list[str]:
    """What is wrong with one entry's pinyin; an exception excuses only its recorded difference."""
    simplified, pinyin = term["simplified"], unicodedata.normalize("NFC", term["pinyin"])
    ref = reference(simplified)
    ours = syllabify(pinyin, simplified)
    if ours is None:
        return [f"{simplified}: pinyin {pinyin!r} does not read as {len(ref)} syllables"]
    problems = []
    for (char, _, expected), (syllable, before) in zip(ref, ours, strict=True):
        if char in BASE_TONES and syllable != expected:
            problems.append(f"{simplified}: {char} is written {syllable!r}: no written sandhi, {expected!r}")
        if before == "" and strip_tones(syllable)[:1] in ("a", "o", "e"):
            problems.append(f"{simplified}: {pinyin!r} needs an apostrophe before {syllable!r}")
        if before == "'" and strip_tones(syllable)[:1] not in ("a", "o", "e"):
            problems.append(f"{simplified}: {pinyin!r} has an apostrophe before {syllable!r}")
    raw = " ".join(r for _, r, _ in ref)
    differs = [
        f"{char} {s} (pypinyin {e})"
        for (char, _, e), (s, _) in zip(ref, ours, strict=True)
        if s != e and char not in BASE_TONES  # reported above, and no exception excuses it
    ]
    if differs and exception is None:
        problems.append(
            f"{simplified}: {pinyin!r} differs from pypinyin ({', '.join(differs)}): fix the seed, or list "
            f'{{"simplified": "{simplified}", "ours": "{pinyin}", "pypinyin": "{raw}", "reason": "…"}} '
            f"in {EXCEPTIONS.name}"
        )
    elif exception is not None:
        if not differs:
            problems.append(f"{EXCEPTIONS.name}: {simplified} agrees with pypinyin now; remove the exception")
        elif (exception["ours"], exception["pypinyin"]) != (pinyin, raw):
            problems.append(
                f"{EXCEPTIONS.name}: {simplified} lists ours {exception['ours']!r} / pypinyin "
                f"{exception['pypinyin']!r}, but they are {pinyin!r} / {raw!r}: check the reading again"
            )
    return problems


def seed_problems(docs: dict[str, dict], exceptions: dict[str, dict[str, str]]) -> list[str]:
    """Problems of every entry in every seed file, and exceptions that name no entry."""
    problems, seen = [], set()
    for doc in docs.values():
        for term in doc.get("terms", []):
            seen.add(term["simplified"])
            problems += entry_problems(term, exceptions.get(term["simplified"]))
    for simplified, exception in exceptions.items():
        if simplified not in seen:
            problems.append(f"{EXCEPTIONS.name}: {simplified} is no seed entry's headword")
        if not exception.get("reason", "").strip():
            problems.append(f"{EXCEPTIONS.name}: {simplified} gives no reason")
    return problems


def main() -> int:
    problems = seed_problems(seedcheck.load_seed(), load_exceptions())
    for problem in problems:
        print(problem)
    print(f"{len(problems)} pinyin problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

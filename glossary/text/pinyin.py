"""Word-grouped Hanyu Pinyin with tone marks, and slugs (the keys search compares are in text.keys)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from .fold import CJK
from .segment import Segmenter

# Readings the pinyin library gets wrong in political language, checked by hand against
# 现代汉语词典 usage.  Longest phrases are applied first; each value is already word-grouped.
OVERRIDES: dict[str, str] = {
    "为人民服务": "wèi rénmín fúwù",
    "供给侧": "gōngjǐcè",
    "供给侧结构性改革": "gōngjǐcè jiégòuxìng gǎigé",
    "一国两制": "yī guó liǎng zhì",
    "和平统一": "hépíng tǒngyī",
    "长期执政": "chángqī zhízhèng",
    "重要思想": "zhòngyào sīxiǎng",
    "两个确立": "liǎng gè quèlì",
    "两个维护": "liǎng gè wéihù",
    "四个意识": "sì gè yìshí",
    "四个自信": "sì gè zìxìn",
    "五个始终": "wǔ gè shǐzhōng",
    "朝鲜": "Cháoxiǎn",
    "中国": "Zhōngguó",
    "中华民族": "Zhōnghuá mínzú",
    "共产党": "Gòngchǎndǎng",
    "行业": "hángyè",
    "银行": "yínháng",
    "发展": "fāzhǎn",
    "重大": "zhòngdà",
    "处理": "chǔlǐ",
    "着力": "zhuólì",
    "调研": "diàoyán",
}
_OVERRIDE_RE = re.compile("|".join(sorted(map(re.escape, OVERRIDES), key=len, reverse=True)))
_TONE_MARKS = {"\u0300", "\u0301", "\u0304", "\u030c"}
_HAN = re.compile(f"[{CJK}]")  # astral too: 𠮷 is Han, never a letter to keep


def load_library() -> None:
    """Load the pinyin library (pypinyin), which is imported only where pinyin is derived or
    cut into syllables: its dictionaries take about 60 MiB and a second to load, which a process
    that only annotates or re-indexes the corpus need not pay (the drain after a 50,000-term
    import peaked over 400 MiB with them). A web server loads it before its workers fork."""
    _inventory()


def _piece(text: str, segmenter: Segmenter) -> list[str]:
    from pypinyin import Style, lazy_pinyin  # see load_library

    words: list[str] = []
    for word in (part for token in segmenter.words(text) for part in segmenter.split_compound(token)):
        if not _HAN.search(word):
            if word.strip() and word.isalnum():
                words.append(word)
            continue
        words.append("".join(lazy_pinyin(word, style=Style.TONE, errors="ignore")))
    return words


def to_pinyin(simplified: str, segmenter: Segmenter) -> str:
    """'人类命运共同体' → 'rénlèi mìngyùn gòngtóngtǐ'."""
    words: list[str] = []
    pos = 0
    for m in _OVERRIDE_RE.finditer(simplified):
        words += _piece(simplified[pos : m.start()], segmenter)
        words += OVERRIDES[m.group()].split()
        pos = m.end()
    words += _piece(simplified[pos:], segmenter)
    return " ".join(w for w in words if w)


def strip_tones(pinyin: str) -> str:
    """Remove tone marks but keep ü: 'lǜsè' → 'lüse'."""
    decomposed = unicodedata.normalize("NFD", pinyin)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))


def slugify(pinyin: str) -> str:
    """'rénlèi mìngyùn gòngtóngtǐ' → 'renlei-mingyun-gongtongti'."""
    plain = strip_tones(pinyin).replace("ü", "u").replace("Ü", "u").lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain))


def _is_letter(char: str) -> bool:
    return char.isalpha() or unicodedata.category(char).startswith("M")


@cache
def _inventory() -> frozenset[str]:
    """Every toneless syllable the pinyin library knows (its dictionary's readings), plus the
    erhua "r" of 儿 (一点儿 yìdiǎnr): the syllables a word of pinyin can be cut into."""
    from pypinyin.pinyin_dict import pinyin_dict  # see load_library

    toned = {r for value in set(pinyin_dict.values()) for r in value.split(",")}
    return frozenset({strip_tones(r).lower() for r in toned} | {"r"})


@cache
def _library_readings(char: str) -> frozenset[str]:
    """The library's toneless readings of one character, to choose between equally valid cuts."""
    from pypinyin import Style, pinyin  # see load_library

    found = pinyin(char, style=Style.TONE, heteronym=True, errors="ignore")
    erhua = {"r"} if char in "儿兒" else set()
    return frozenset({strip_tones(r).lower() for group in found for r in group} | erhua)


_LONGEST_SYLLABLE = 6  # zhuang, shuang, chuang
# readings of a few characters only (嗯 ńg, 呣 m, 欸 ê, 儿 as erhua r): never a cut elsewhere
_INTERJECTIONS = frozenset({"m", "n", "ng", "hm", "hng", "ê", "r"})


@lru_cache(maxsize=8192)
def syllables(hanzi: str, word_pinyin: str) -> tuple[tuple[str, str], ...] | None:
    """``hanzi`` cut into (text, reading) pairs, one per Han character with its syllable of
    ``word_pinyin`` – '人类', 'rénlèi' → (('人', 'rén'), ('类', 'lèi')) – so that ruby can set
    each syllable over its character. Latin letters, digits and punctuation in ``hanzi`` read ''
    (the pinyin repeats letters and digits as they are: 'zhǔquán AI jīchǔ'); spaces, hyphens,
    apostrophes and punctuation in the pinyin separate syllables. None when the two do not
    align (more or fewer syllables than characters): the caller shows the pinyin whole. Where a
    word cuts more than one way (xian: xi'an or xian), the cut the library's own readings of
    the characters agree with most wins."""
    pinyin_text = unicodedata.normalize("NFC", word_pinyin)
    inventory = _inventory()
    size = len(pinyin_text)

    def skip(j: int) -> int:
        while j < size and not (_is_letter(pinyin_text[j]) or pinyin_text[j].isdigit()):
            j += 1
        return j

    @cache
    def best(i: int, j: int) -> tuple[int, tuple[str, ...]] | None:
        """The best-scoring readings of hanzi[i:] from pinyin_text[j:], or None."""
        j = skip(j)
        if i == len(hanzi):
            return (0, ()) if j == size else None
        char = hanzi[i]
        if not _HAN.match(char):
            if char.isalnum():  # a letter or digit: the pinyin has it as it is
                if j == size or unicodedata.normalize("NFKC", char).lower() != pinyin_text[j].lower():
                    return None
                j += 1
            rest = best(i + 1, j)
            return None if rest is None else (rest[0], ("", *rest[1]))
        options = []
        for length in range(1, _LONGEST_SYLLABLE + 1):
            piece = pinyin_text[j : j + length]
            if len(piece) < length or not _is_letter(piece[-1]):
                break
            plain = strip_tones(piece).lower()
            if plain not in inventory or (plain in _INTERJECTIONS and plain not in _library_readings(char)):
                continue
            if plain[0] in "aoeê" and j > 0 and _is_letter(pinyin_text[j - 1]):
                continue  # inside a word a syllable starting with a vowel follows an apostrophe: xī'ān
            if sum(c in _TONE_MARKS for c in unicodedata.normalize("NFD", piece)) > 1:
                continue  # one tone mark a syllable
            rest = best(i + 1, j + length)
            if rest is not None:
                score = rest[0] + (plain in _library_readings(char))
                options.append((score, (piece, *rest[1])))
        return max(options, key=lambda option: option[0], default=None)

    found = best(0, 0)
    best.cache_clear()
    if found is None:
        return None
    return tuple(zip(hanzi, found[1], strict=True))

"""Word-grouped Hanyu Pinyin with tone marks, and slugs (the keys search compares are in text.keys)."""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

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


def _piece(text: str, segmenter: Segmenter) -> list[str]:
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

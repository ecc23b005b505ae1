"""Traditional, Taiwan and Hong Kong forms derived with OpenCC when the glossary changes."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import opencc

# Taiwan and Hong Kong forms are derived from the traditional form (OpenCC's t2tw / t2hk, and
# t2twp: s2twp's steps after s2t), so that a curated traditional form is what they start from.
# Converting the simplified form again would bring back what the curator corrected: OpenCC's s2t
# reads 一个中国原则 as 一箇中國原則 (个中 → 箇中), 伟大斗争 as 偉大斗爭, 党吃政 as 黨喫政.
# OpenCC resolves a configuration name inside its own folder unless it is an absolute path.
TAIWAN_PHRASES = str(Path(__file__).with_name("opencc_t2twp"))
CONVERSIONS = (("t2tw", "zh-TW"), (TAIWAN_PHRASES, "zh-TW"), ("t2hk", "zh-HK"))
# Kinds that name one body, document, initiative, event or person. Taiwan and Hong Kong writers
# quote such a name as the PRC writes it, in traditional characters, so only character
# conversion applies: Taiwan vocabulary (互联网 → 網際網路, 文件 → 檔案, 设置 → 設定)
# would make up names nobody uses (中央一號檔案 for 中央一号文件).
PROPER_NAME_KINDS = frozenset({"institution", "policy", "publication", "event", "person"})


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def traditional(simplified: str) -> str:
    """OpenCC's traditional form: the default where no curated one is given."""
    converted: str = _converter("s2t").convert(simplified)
    return converted


def derive_forms(simplified: str, kind: str | None = None, curated: str | None = None) -> list[tuple[str, str]]:
    """(text, tag) for each derived form that differs from the simplified one, first tag wins.

    ``curated`` is the entry's own traditional form: the Taiwan and Hong Kong forms are derived
    from it (else from OpenCC's), and OpenCC's own reading of the simplified form is not added
    beside it. Taiwan phrasing (網絡主權 → 網路主權) is derived for common vocabulary, not for the
    proper names of ``PROPER_NAME_KINDS``."""
    base = curated or traditional(simplified)
    seen = {simplified}
    out: list[tuple[str, str]] = []
    if base not in seen:
        seen.add(base)
        out.append((base, "zh-Hant"))
    for config, tag in CONVERSIONS:
        if config == TAIWAN_PHRASES and kind in PROPER_NAME_KINDS:
            continue
        text = _converter(config).convert(base)
        if text not in seen:
            seen.add(text)
            out.append((text, tag))
    return out

"""Traditional, Taiwan and Hong Kong forms derived with OpenCC when the glossary changes."""

from __future__ import annotations

from functools import cache

import opencc

# tag each OpenCC configuration produces
CONVERSIONS = (("s2t", "zh-Hant"), ("s2tw", "zh-TW"), ("s2twp", "zh-TW"), ("s2hk", "zh-HK"))
# Kinds that name one body, document, initiative, event or person. Taiwan and Hong Kong writers
# quote such a name as the PRC writes it, in traditional characters, so only character
# conversion applies: s2twp's Taiwan vocabulary (互联网 → 網際網路, 文件 → 檔案, 设置 → 設定)
# would make up names nobody uses (中央一號檔案 for 中央一号文件).
PROPER_NAME_KINDS = frozenset({"institution", "policy", "publication", "event", "person"})


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def traditional(simplified: str) -> str:
    converted: str = _converter("s2t").convert(simplified)
    return converted


def derive_forms(simplified: str, kind: str | None = None) -> list[tuple[str, str]]:
    """(text, tag) for each derived form that differs from the simplified one, first tag wins.

    Taiwan phrasing (s2twp) is derived for common vocabulary (网络主权 → 網路主權), not for
    the proper names of ``PROPER_NAME_KINDS``."""
    seen = {simplified}
    out: list[tuple[str, str]] = []
    for config, tag in CONVERSIONS:
        if config == "s2twp" and kind in PROPER_NAME_KINDS:
            continue
        text = _converter(config).convert(simplified)
        if text not in seen:
            seen.add(text)
            out.append((text, tag))
    return out

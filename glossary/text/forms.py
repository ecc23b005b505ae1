"""Traditional, Taiwan and Hong Kong forms derived with OpenCC when the glossary changes."""

from __future__ import annotations

from functools import cache

import opencc

# tag each OpenCC configuration produces
CONVERSIONS = (("s2t", "zh-Hant"), ("s2tw", "zh-TW"), ("s2twp", "zh-TW"), ("s2hk", "zh-HK"))


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def traditional(simplified: str) -> str:
    return _converter("s2t").convert(simplified)


def derive_forms(simplified: str) -> list[tuple[str, str]]:
    """(text, tag) for each derived form that differs from the simplified one, first tag wins."""
    seen = {simplified}
    out: list[tuple[str, str]] = []
    for config, tag in CONVERSIONS:
        text = _converter(config).convert(simplified)
        if text not in seen:
            seen.add(text)
            out.append((text, tag))
    return out

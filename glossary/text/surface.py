"""Chinese surface forms as stored: one spelling per visible form, so that an impostor made of
invisible or look-alike characters (网络主\u200b权, a Kangxi radical ⽹ for 网, a stray
combining mark) can neither be added beside the real term nor be linked by the annotator.

normalise_form: NFC; bidi controls refused (they reorder what a reader sees); other format
characters (Cf: zero-width spaces, BOM, soft hyphen, word joiners …) and variation selectors
removed; Kangxi and CJK-supplement radicals mapped to their ideographs with NFKC (those
characters only: full-width punctuation such as ，、 is meaningful and kept); whitespace between
Han characters removed, other runs made one space, the ends trimmed; a combining mark still left
(it would sit invisibly on a character) refused.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from .fold import CJK

# LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI; LRM, RLM; the Arabic letter mark
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_VARIATION_SELECTOR = re.compile("[\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_RADICAL = re.compile("[\u2e80-\u2eff\u2f00-\u2fdf]")  # CJK radicals supplement, Kangxi radicals
_HAN = f"[{CJK}\u3007]"
_SPACE_BETWEEN_HAN = re.compile(rf"(?<={_HAN})\s+(?={_HAN})")
_SPACES = re.compile(r"\s+")


class SurfaceFormError(ValueError):
    """A form that cannot be stored: message says why, path names the field (once known)."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.message, self.path = message, path


def _name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}"


def normalise_form(text: str) -> str:
    """The stored spelling of a surface form (see the module docstring); SurfaceFormError when it
    holds a bidi control or a combining mark on nothing visible."""
    text = unicodedata.normalize("NFC", text)
    bidi = next((c for c in text if c in BIDI_CONTROLS), None)
    if bidi is not None:
        raise SurfaceFormError(f"contains the bidirectional control {_name(bidi)}, which reorders what readers see")
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    text = _VARIATION_SELECTOR.sub("", text)
    text = _RADICAL.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = _SPACE_BETWEEN_HAN.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    mark = next((c for c in text if unicodedata.category(c) in ("Mn", "Mc", "Me")), None)
    if mark is not None:
        raise SurfaceFormError(f"contains the combining mark {_name(mark)}, which is not part of a Chinese form")
    return text


def normalise_term(data: dict[str, Any], prefix: str = "term") -> dict[str, Any]:
    """A glossary/1 term dict (already schema-valid) with simplified, traditional and every
    forms[].text normalised; SurfaceFormError's path names the first field refused."""
    out = dict(data)
    for key in ("simplified", "traditional"):
        if isinstance(out.get(key), str):
            out[key] = _field(out[key], f"{prefix}.{key}")
    if out.get("forms"):
        out["forms"] = [
            f | {"text": _field(f["text"], f"{prefix}.forms[{i}].text")} for i, f in enumerate(out["forms"])
        ]
    return out


def _field(text: str, path: str) -> str:
    try:
        return normalise_form(text)
    except SurfaceFormError as exc:
        raise SurfaceFormError(exc.message, path) from None

"""Annotate a text in any language: the Chinese terms and the renderings of entries in the
text's other languages (English, French, German, Spanish, Russian, Japanese), together."""

from __future__ import annotations

from .annotate import RENDERING, Annotation, Annotator, Match
from .renderings import detect, merge

TEXT_LANGS = ("zh", "en", "fr", "de", "es", "ru", "ja")


def annotate_text(
    annotator: Annotator, text: str, nested: bool = False, text_lang: str | None = None, date: str | None = None
) -> Annotation:
    """The Chinese terms (:meth:`Annotator.annotate`) and the renderings in ``text_lang`` ("zh":
    none; None: the languages :func:`renderings.detect` sees), leftmost-longest across both, so
    English with Chinese in parentheses gets both. Chinese text with no other script costs one
    regular-expression scan more than Chinese alone."""
    chinese = annotator.annotate(text, nested, date)
    langs = () if text_lang == "zh" else detect(text) if text_lang is None else (text_lang,)
    found = annotator.renderings.find(text, langs) if langs else []
    if not found:
        return chinese
    outer = [i for i, m in enumerate(chinese.matches) if not m.nested]
    kept, renderings = merge([(chinese.matches[i].start, chinese.matches[i].end) for i in outer], found)
    kept_outer = {outer[i] for i in kept}
    matches: list[Match] = []
    inside = False  # whether the nested matches that follow belong to a kept outer match
    for i, m in enumerate(chinese.matches):
        if not m.nested:
            inside = i in kept_outer
        if inside:
            matches.append(m)
    matches += [
        Match(f.start, f.end, annotator.entries[f.entry], f.confidence, RENDERING, rendering=f.rendering)
        for f in renderings
    ]
    matches.sort(key=lambda m: (m.start, m.nested))
    return Annotation(text, matches)

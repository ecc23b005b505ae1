"""Jinja filters and globals the templates share: dates, labels, language tags, Markdown."""

from __future__ import annotations

import re
from datetime import datetime

from flask import Flask, current_app, session

from ..formats.glossary1 import FIRST_USE_SCOPES
from ..models import TERM_KINDS, TRANSLATION_STATUSES
from ..services.representation import preferred
from ..text.keys import has_han
from ..text.prose import sentence_at
from .markdown import render_markdown

LANGUAGES = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "ru": "Russian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "zh": "Chinese",
    "zh-Hans": "Chinese (simplified)",
    "zh-Hant": "Chinese (traditional)",
}
# lang attribute for each surface-form tag, so browsers pick the right glyphs (門 vs 门, 為 vs 爲)
FORM_LANG = {"zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant", "zh-TW": "zh-Hant-TW", "zh-HK": "zh-Hant-HK"}
FORM_LABELS = {"zh-Hans": "Simplified", "zh-Hant": "Traditional", "zh-TW": "Taiwan", "zh-HK": "Hong Kong"}
STATUS_HELP = {
    "official": "the PRC's own published rendering",
    "preferred": "this glossary's recommended rendering",
    "alternative": "also in use",
    "deprecated": "in use but not recommended",
}


def isodate(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def isotime(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def language_name(tag: str | None) -> str:
    if not tag:
        return ""
    return LANGUAGES.get(tag) or LANGUAGES.get(tag.split("-")[0]) or tag


def passage_lang(text: str, own: str | None, source_lang: str | None) -> str | None:
    """An excerpt's language tag: its own; for a Chinese passage without one, zh-Hans (or the
    source's tag if the source is Chinese too), even under a source written in English;
    otherwise the source's. A passage is Chinese when its Han characters outnumber its Latin
    letters: 尊重网络主权，AI 治理亦然 is, an English sentence quoting 网络主权 is not."""
    if own:
        return own
    han = sum(map(has_han, text))
    latin = sum(c.isalpha() and c < "\u0250" for c in text)
    if han > latin:
        return source_lang if source_lang and source_lang.split("-")[0].lower() == "zh" else "zh-Hans"
    return source_lang


_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"[*_`]+")


def first_sentence(markdown: str | None, limit: int = 240) -> str:
    """The first sentence of a definition as plain text, for a card that has room for one."""
    if not markdown:
        return ""
    plain = _MARKDOWN_MARKS.sub("", _MARKDOWN_LINK.sub(r"\1", markdown)).strip()
    sentence = sentence_at(plain, 0)[0].strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def has_endpoint(name: str) -> bool:
    """Lets base.html link pages other modules add (the "Suggest from a document" slot) only once they exist."""
    return name in current_app.view_functions


def editor_name() -> str | None:
    """The signed-in editor's name from the session, without a database query (error pages use it too)."""
    return session.get("user_name")


def init_app(app: Flask) -> None:
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(isodate)
    app.add_template_filter(isotime)
    app.add_template_filter(language_name)
    app.add_template_filter(first_sentence)
    app.add_template_filter(lambda n: f"{n:,}", "thousands")
    app.add_template_global(has_endpoint)
    app.add_template_global(passage_lang)
    app.add_template_global(editor_name)
    app.add_template_global(preferred)
    app.jinja_env.globals.update(
        FORM_LANG=FORM_LANG,
        FORM_LABELS=FORM_LABELS,
        FIRST_USE_SCOPES=FIRST_USE_SCOPES,
        STATUS_HELP=STATUS_HELP,
        TERM_KINDS=TERM_KINDS,
        TRANSLATION_STATUSES=TRANSLATION_STATUSES,
    )

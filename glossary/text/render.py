"""A text's annotation as HTML: each match a link to its term, with ruby and card data on demand."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from .annotate import Annotation, Entry
from .fold import fold

_BLANK_LINE = re.compile(r"<p>([ \t]*)</p>")  # a line a browser would collapse to nothing


@lru_cache(maxsize=8192)
def ruby_syllables(surface: str, simplified: str, traditional: str, pinyin: str) -> tuple[tuple[str, str], ...] | None:
    """(text, reading) pairs of a term as written in a text, one per character, where the text
    is the term's own simplified or traditional form (in any regional spelling or punctuation:
    folding keeps each character in place) and its pinyin aligns with it; None for another form
    (an abbreviation, other characters), a term broken by a line break, or pinyin that does not
    align."""
    if len(surface) != len(simplified) or len(traditional) != len(simplified):
        return None
    for written, simple, full in zip(fold(surface), fold(simplified), fold(traditional), strict=True):
        if written not in (simple, full) and (simple.isalnum() or written.isalnum()):
            return None  # another character; a different punctuation mark (、 for ，) is fine
    from .pinyin import syllables  # pypinyin's dictionaries take a second to load: only for ruby

    pairs = syllables(simplified, pinyin)
    if pairs is None:
        return None
    return tuple((char, reading) for char, (_, reading) in zip(surface, pairs, strict=True))


def _ruby(surface: str, entry: Entry) -> str | None:
    pairs = ruby_syllables(surface, entry.simplified, entry.traditional, entry.pinyin)
    if pairs is None:
        return None
    return "<ruby>" + "".join(f"{escape(char)}<rt>{escape(reading)}</rt>" for char, reading in pairs) + "</ruby>"


def render_html(
    annotation: Annotation,
    href: str,
    lang: str = "en",
    ruby: bool = False,
    *,
    paragraphs: bool = False,
    card_data: bool = True,
    unconfirmed: bool = False,
    syllables: bool = False,
) -> str:
    """Escaped text with each match wrapped in a link; ``href`` has a ``{slug}`` placeholder.

    With ``ruby`` the pinyin is set above each term: whole, or with ``syllables`` each syllable
    over its character where the two align (see :func:`ruby_syllables`). Line breaks become ``<br>``, or with
    ``paragraphs`` each line is a ``<p>`` of its own, so that a browser lays out and restyles a
    long text block by block rather than as one run of inline boxes; a term broken across lines
    stays one link, with its ``<br>`` inside it, and a blank line keeps its height. Each link
    carries its term's card data (pinyin, gloss, first use …) unless ``card_data`` is false: a
    page that sends each term's data once keeps only ``data-slug`` on every occurrence.
    Matches of entries whose policy is "confirm" stay plain text unless ``unconfirmed``: they
    are reported (as "low") for a reader to check, not linked by default.
    """
    text = annotation.text
    out: list[str] = []
    pos = 0
    line_break = "</p>\n<p>" if paragraphs else "<br>\n"

    def plain(chunk: str, brk: str = line_break) -> str:
        return escape(chunk).replace("\r\n", "\n").replace("\r", "\n").replace("\n", brk)

    for m in annotation.matches:
        if m.nested or m.start < pos or (m.entry.policy == "confirm" and not unconfirmed):
            continue
        if m.rendering is not None and m.confidence == "low" and not unconfirmed:
            continue  # one ordinary word, or a rendering two terms share: reported, not linked
        written = text[m.start : m.end]
        surface = plain(written, "<br>\n")
        per_syllable = _ruby(written, m.entry) if ruby and syllables else None
        if per_syllable:
            surface = per_syllable
        elif ruby and m.rendering is None:
            surface = f"<ruby>{surface}<rt>{escape(m.entry.pinyin)}</rt></ruby>"
        slug = m.entry.slug
        attrs = {"class": f"term term-{m.confidence}", "href": href.format(slug=slug), "data-slug": slug}
        if card_data:
            gloss, gloss_lang = m.entry.gloss(lang)
            attrs |= {
                "data-simplified": m.entry.simplified,
                "data-traditional": m.entry.traditional,
                "data-pinyin": m.entry.pinyin,
                "data-gloss": gloss or "",
                "data-gloss-lang": gloss_lang or "",
                "data-first-use": m.entry.first_use or "",
                "data-confidence": m.confidence,
            }
        rendered = " ".join(f'{k}="{escape(v, quote=True)}"' for k, v in attrs.items())
        out.append(plain(text[pos : m.start]))
        out.append(f"<a {rendered}>{surface}</a>")
        pos = m.end
    out.append(plain(text[pos:]))
    if not paragraphs:
        return "".join(out)
    html = "<p>" + "".join(out) + "</p>"
    html = html.removesuffix("\n<p></p>")  # a final line break ends the last line, as a final <br> did
    return _BLANK_LINE.sub(r"<p>\1<br></p>", html)

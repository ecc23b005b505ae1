"""Definitions and notes may use a small subset of Markdown: emphasis, code, links and lists.

markdown-it renders with raw HTML disabled, and nh3 then keeps only the tags and attributes
below, so whatever an editor types, a page cannot carry script, style or event handlers.
"""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = {"p", "em", "strong", "code", "a", "ul", "ol", "li", "br"}
ATTRIBUTES = {"a": {"href", "title"}}
SCHEMES = {"http", "https", "mailto"}


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("zero", {"breaks": True}).enable(["emphasis", "backticks", "link", "list", "newline"])


def render_markdown(text: str | None) -> Markup:
    """Safe HTML for a short Markdown text (empty for None)."""
    if not text:
        return Markup("")
    html = _parser().render(text)
    return Markup(
        nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel="nofollow noopener noreferrer")
    )

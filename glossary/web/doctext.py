"""A document's full text as HTML, with its stored occurrences marked.

The marks are the occurrences the counts are made of (nested ones included), so what a reader
sees on the page is what the figures count. Each is an element with the id ``o-START-END`` that
concordance permalinks point at. An outermost match is a link to its term; a match nested in it
cannot be a second link (HTML forbids a link in a link), so it is a marked span naming its term
in a tooltip — the terms table under the text links every term. A match that crosses another
(rare: neither holds the other) gets an empty anchor at its start, so its permalink still lands.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from ..services.corpus_browse import Mark


def anchor(start: int, end: int) -> str:
    """The id of an occurrence's element, used by permalinks (``#o-12-16``)."""
    return f"o-{start}-{end}"


def _open(mark: Mark, href: str, outer: bool) -> str:
    classes = "occ" + ("" if outer else " occ-nested") + (" occ-low" if mark.confidence == "low" else "")
    ident = anchor(mark.start, mark.end)
    if outer:
        return f'<a class="{classes}" id="{ident}" href="{escape(href)}" title="{escape(mark.simplified)}">'
    return f'<span class="{classes}" id="{ident}" title="{escape(mark.simplified)}">'


def annotated(text: str, marks: list[Mark], term_url: str) -> Markup:
    """``text`` with ``marks`` (in start order, longer first) as nested elements;
    ``term_url`` has ``SLUG`` where a term's slug goes."""
    out: list[str] = []
    stack: list[tuple[Mark, str]] = []  # open elements and their closing tags
    pos = 0

    def close_until(offset: int) -> None:
        nonlocal pos
        while stack and stack[-1][0].end <= offset:
            mark, closing = stack.pop()
            out.append(str(escape(text[pos : mark.end])))
            pos = mark.end
            out.append(closing)

    for mark in marks:
        close_until(mark.start)
        out.append(str(escape(text[pos : mark.start])))
        pos = mark.start
        if stack and mark.end > stack[-1][0].end:  # crosses the open match: an anchor only
            out.append(f'<span class="occ-anchor" id="{anchor(mark.start, mark.end)}"></span>')
            continue
        outer = not stack
        out.append(_open(mark, term_url.replace("SLUG", mark.slug), outer))
        stack.append((mark, "</a>" if outer else "</span>"))
    close_until(len(text) + 1)
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))

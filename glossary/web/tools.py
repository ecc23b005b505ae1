"""Tools for reading elsewhere: the browser extension's install notes, the bookmarklet for
browsers without it, and the feeds. The bookmarklet loads the extension's own content script
from here, so both annotate a page with the same code."""

from __future__ import annotations

from pathlib import Path

from flask import Response, render_template, url_for

from . import bp

EXTENSION = Path(__file__).resolve().parent.parent.parent / "extension"


@bp.get("/tools")
def tools_page() -> str:
    script = url_for("web.page_annotator", _external=True)
    bookmarklet = (
        "javascript:(function(){var s=document.createElement('script');"
        f"s.src='{script}';document.body.appendChild(s);}})();"
    )
    return render_template("tools.html", bookmarklet=bookmarklet)


@bp.get("/tools/page-annotator.js")
def page_annotator() -> Response:
    """The extension's content script, for the bookmarklet to load into pages of any site."""
    response = Response((EXTENSION / "content.js").read_bytes(), mimetype="text/javascript")
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response

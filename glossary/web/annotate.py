"""The annotate page: paste a text, get it back with every glossary term linked.

Works as a plain form POST rendered here; annotate.js upgrades it to a fetch of the same POST
and swaps the result into the page. Either way the annotated text is server-rendered HTML, one
paragraph a line, so a long text is parsed once by the browser and its links need no listener
each; each term's card data is sent once, on its entry in the list of terms found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Response, current_app, render_template, request, url_for
from markupsafe import Markup

from ..extensions import db, limiter
from ..fairness import bounded, charge_characters
from ..services import browse
from ..services.terms import glossary_version
from ..text.annotate import Annotation, Entry, render_html
from . import bp


@dataclass
class Found:
    """A term found in the text, for the sidebar: how often, and how often only with low confidence."""

    entry: Entry
    count: int
    low: int

    @property
    def possible(self) -> bool:
        """Every occurrence is low-confidence: only a possible match, left out of the list unless asked for."""
        return self.low == self.count


def found_terms(annotation: Annotation) -> list[Found]:
    entries: dict[str, Entry] = {}
    low: dict[str, int] = {}
    for m in annotation.matches:
        entries.setdefault(m.entry.slug, m.entry)
        if m.confidence == "low":
            low[m.entry.slug] = low.get(m.entry.slug, 0) + 1
    return [Found(entries[slug], count, low.get(slug, 0)) for slug, count in annotation.counts()]


def _term_href(external: bool = False) -> str:
    return url_for("web.term", slug="SLUG", _external=external).replace("SLUG", "{slug}")


def _form(status: int = 200, **context: object) -> tuple[str, int]:
    context.setdefault("text", "")
    context.setdefault("ruby", False)
    context.setdefault("low", False)
    context.setdefault("facts", {})
    max_chars = current_app.config["MAX_TEXT_CHARS"]
    return render_template("annotate.html", max_chars=max_chars, **context), status


def _page(status: int = 200, **context: object) -> Response:
    page, status = _form(status, **context)
    return Response(page, status, mimetype="text/html")


@bp.route("/annotate", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_ANNOTATE"], methods=["POST"])
def annotate() -> tuple[str, int] | Response:
    if request.method == "GET":
        return _form()
    return bounded(request.content_length or 0, _annotate_posted)


def _annotate_posted() -> Response:
    """The posted form's text checked, charged and annotated (in a slot when large)."""
    text = request.form.get("text", "").replace("\r\n", "\n")  # forms send a textarea's line breaks as CRLF
    ruby = request.form.get("ruby") == "on"
    low = request.form.get("low") == "on"
    limit = current_app.config["MAX_TEXT_CHARS"]
    if not text.strip():
        return _page(422, text=text, ruby=ruby, low=low, error="Paste or type a text to annotate first.")
    if len(text) > limit:
        error = f"The text has {len(text):,} characters; the limit is {limit:,}. Annotate it in parts."
        return _page(413, text=text, ruby=ruby, low=low, error=error)
    html_cap = current_app.config["ANNOTATE_HTML_MAX_CHARS"]
    if len(text) > html_cap:
        error = (
            f"The text has {len(text):,} characters; an annotated page shows at most {html_cap:,}. "
            "Annotate it in parts, or use the API's JSON format for longer texts."
        )
        return _page(413, text=text, ruby=ruby, low=low, error=error)
    charge_characters(len(text))
    annotation = current_app.extensions["glossary.annotator"].get(db.session).annotate(text)
    if request.form.get("action") == "download":
        return _download(annotation, ruby)
    html = Markup(render_html(annotation, _term_href(), ruby=True, paragraphs=True, card_data=False, syllables=True))
    found = found_terms(annotation)
    facts = browse.card_facts(db.session, [f.entry.slug for f in found])
    return _page(
        text=text, ruby=ruby, low=low, html=html, found=found, occurrences=len(annotation.matches), facts=facts
    )


def _download(annotation: Annotation, ruby: bool) -> Response:
    """A standalone HTML file: the annotated text and a list of the terms, with links back here."""
    page = render_template(
        "annotated_download.html",
        html=Markup(
            render_html(
                annotation, _term_href(external=True), ruby=ruby, paragraphs=True, card_data=False, syllables=True
            )
        ),
        found=found_terms(annotation),
        home=url_for("web.home", _external=True),
        term_href=_term_href(external=True),
        created=datetime.now(UTC),
        version=glossary_version(db.session),
    )
    response = Response(page, mimetype="text/html")
    response.headers["Content-Disposition"] = 'attachment; filename="annotated.html"'
    response.headers["Cache-Control"] = "no-store"
    return response

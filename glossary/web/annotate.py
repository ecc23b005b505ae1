"""The annotate page: paste a text (or upload a .txt, .html, .docx or .pdf), get it back with
every glossary term linked, as a page, a standalone HTML file or a CSV of the terms found.

Works as a plain form POST rendered here; annotate.js upgrades it to a fetch of the same POST
and swaps the result into the page. Either way the annotated text is server-rendered HTML, one
paragraph a line, so a long text is parsed once by the browser and its links need no listener
each; each term's card data is sent once, on its entry in the list of terms found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Response, abort, current_app, render_template, request, url_for
from markupsafe import Markup

from ..extensions import db, limiter
from ..fairness import bounded, charge_characters
from ..formats import FormatError
from ..formats.csv_format import table
from ..formats.documents import read_document
from ..services import browse, sharing
from ..services.errors import ServiceError
from ..services.terms import glossary_version
from ..text.annotate import Annotation, Entry
from ..text.languages import annotate_text
from ..text.render import render_html
from ..text.senses import DATE
from . import bp
from .auth import current_user


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
    context["date"] = context.get("date") or ""  # None: no date given
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


def _posted_text() -> tuple[str, str | None]:
    """The text to annotate and, for an uploaded file, its name: a chosen file wins over the
    textarea and is read by the corpus import's reader, so every way in reads a file alike."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return request.form.get("text", "").replace("\r\n", "\n"), None  # a textarea's line breaks come as CRLF
    name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return read_document(name, upload.read()), name


def _posted_date() -> tuple[str | None, str | None]:
    """The text's date as the API takes it (YYYY, YYYY-MM or YYYY-MM-DD; blank: none), or the
    message naming the field when it is not one."""
    date = request.form.get("date", "").strip()
    if not date:
        return None, None
    if not DATE.fullmatch(date):
        shown = date if len(date) <= 40 else date[:39] + "…"
        return None, f"Date of the text: “{shown}” is not a date. Give YYYY, YYYY-MM or YYYY-MM-DD, or leave it empty."
    return date, None


def _annotate_posted() -> Response:
    """The posted form's text (or file) checked, charged and annotated (in a slot when large)."""
    ruby = request.form.get("ruby") == "on"
    low = request.form.get("low") == "on"
    date, date_error = _posted_date()
    if date_error is not None:
        text = request.form.get("text", "").replace("\r\n", "\n")
        return _page(
            422, text=text, ruby=ruby, low=low, date=request.form.get("date", ""), error=date_error, error_field="date"
        )
    try:
        text, name = _posted_text()
    except FormatError as exc:
        return _page(400, ruby=ruby, low=low, date=date, error=f"The file could not be read: {exc}.")
    limit = current_app.config["MAX_TEXT_CHARS"]
    what = f"The file {name}" if name else "The text"
    if not text.strip():
        return _page(422, text=text, ruby=ruby, low=low, date=date, error="Paste or type a text to annotate first.")
    if len(text) > limit:
        error = f"{what} has {len(text):,} characters; the limit is {limit:,}. Annotate it in parts."
        return _page(413, text="" if name else text, ruby=ruby, low=low, date=date, error=error)
    html_cap = current_app.config["ANNOTATE_HTML_MAX_CHARS"]
    if len(text) > html_cap:
        error = (
            f"{what} has {len(text):,} characters; an annotated page shows at most {html_cap:,}. "
            "Annotate it in parts, or use the API's JSON format for longer texts."
        )
        return _page(413, text="" if name else text, ruby=ruby, low=low, date=date, error=error)
    charge_characters(len(text))
    annotation = annotate_text(current_app.extensions["glossary.annotator"].get(db.session), text, date=date)
    action = request.form.get("action")
    if action == "download":
        return _download(annotation, ruby)
    if action == "csv":
        return _terms_csv(annotation)
    if action == "share":
        return _share(annotation)
    html = Markup(render_html(annotation, _term_href(), ruby=True, paragraphs=True, card_data=False, syllables=True))
    found = found_terms(annotation)
    facts = browse.card_facts(db.session, [f.entry.slug for f in found])
    return _page(
        text=text,
        ruby=ruby,
        low=low,
        html=html,
        found=found,
        occurrences=len(annotation.matches),
        facts=facts,
        file_name=name,
        date=date or "",
    )


def _share(annotation: Annotation) -> Response:
    """Save the annotated text for a signed-in editor and go to its shared page; nobody else saves."""
    editor = current_user()
    if editor is None:
        abort(
            403, description="Only a signed-in editor can save and share an annotated text; annotating stores nothing."
        )
    html = render_html(annotation, _term_href(), ruby=True, paragraphs=True, card_data=False, syllables=True)
    try:
        row = sharing.share(db.session, annotation, html, "", editor.name, current_app.config["SHARE_MAX_CHARS"])
    except ServiceError as exc:
        return _page(exc.status, text=annotation.text, error=exc.detail[0].upper() + exc.detail[1:] + ".")
    db.session.commit()
    return Response(status=303, headers={"Location": url_for("web.shared_annotation", shared_id=row.id)})


def _terms_csv(annotation: Annotation) -> Response:
    """The terms found, one row each, for a spreadsheet: cells neutralised as the glossary's CSV export's are."""
    rows = []
    for f in found_terms(annotation):
        gloss, _ = f.entry.gloss("en")
        url = _term_href(external=True).format(slug=f.entry.slug)
        row = [f.entry.simplified, f.entry.traditional, f.entry.pinyin, gloss or "", str(f.count), str(f.low), url]
        rows.append(row)
    header = ["simplified", "traditional", "pinyin", "english", "occurrences", "possible_matches", "url"]
    response = Response(table(header, rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="annotated-terms.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


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

"""“Suggest from a document”: mine a pasted or uploaded text for glossed Chinese, let an editor
tick the candidates worth keeping, and import those (new ones as drafts) in one transaction.

A ticked gloss for a term already in the glossary (published or not) is added to it as an
alternative translation with a note saying it is not yet reviewed, and the term's revision names
the editor who ticked it; nothing else of the term changes.

The text travels with the form, and the import step mines it again, so what is imported is
exactly what was listed; nothing is kept on the server between the two steps.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..extensions import db
from ..formats import FormatError, encoding_problem
from ..formats.glossary1 import unstorable_strings
from ..services import browse, extraction
from ..services.errors import ServiceError
from . import bp
from .auth import current_user, login_required


def _form(status: int = 200, **context: object) -> tuple[str, int]:
    context.setdefault("text", "")
    context.setdefault("names", False)
    context.setdefault("source_id", "")
    context.setdefault("title", "")
    sources = browse.source_choices(db.session)
    page = render_template("suggest.html", sources=sources, max_chars=current_app.config["MAX_TEXT_CHARS"], **context)
    return page, status


def _text() -> tuple[str, str, str | None]:
    """The document's text and name, from the upload if there is one, else the text box."""
    upload = request.files.get("file")
    if upload and upload.filename:
        raw = upload.read()
        if (problem := encoding_problem(raw)) is not None:
            return "", upload.filename, f"{upload.filename}: {problem}."
        try:
            return raw.decode("utf-8-sig"), upload.filename, None
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            return "", upload.filename, f"{upload.filename} is not UTF-8 text (line {line}); save it as UTF-8."
    return request.form.get("text", ""), request.form.get("name") or "pasted text", None


def _source(text: str, name: str) -> dict:
    chosen = request.form.get("source_id", "")
    known = browse.source_by_id(db.session, chosen)
    if known is not None:
        return {"id": known.id, "title": known.title, "language": known.language}
    return extraction.source_for(name, text, request.form.get("title", "").strip() or None)


@bp.route("/suggest", methods=["GET", "POST"])
@login_required
def suggest() -> tuple[str, int] | Response:
    if request.method == "GET":
        return _form()
    if bad := unstorable_strings(request.form.to_dict(flat=True)):  # PostgreSQL cannot even look one up
        return _form(422, error=f"The field {bad[0]['path']} {bad[0]['message']}; nothing was read.")
    text, name, error = _text()
    names = request.form.get("names") == "on"
    keep = {"names": names, "source_id": request.form.get("source_id", ""), "title": request.form.get("title", "")}
    limit = current_app.config["MAX_TEXT_CHARS"]
    if error is None and not text.strip():
        error = "Paste a text or choose a file first."
    elif error is None and len(text) > limit:
        error = f"The text has {len(text):,} characters; the limit is {limit:,}. Suggest from it in parts."
    if error:
        return _form(422, text=text if len(text) <= limit else "", error=error, **keep)
    session = db.session
    found = extraction.suggest(session, text, names=names)
    if request.form.get("action") != "import":
        return _form(text=text, name=name, found=found, **keep)
    chosen = set(request.form.getlist("pick"))
    if not chosen:
        return _form(422, text=text, name=name, found=found, error="Tick at least one candidate to import.", **keep)
    source = _source(text, name)
    editor = current_user()
    actor = editor.name if editor else "web"
    doc = extraction.suggestions_document(session, found, source, chosen, added_by=actor)
    try:
        report = extraction.import_suggestions(session, doc, actor)
    except (ServiceError, FormatError) as exc:
        message = f"Nothing was imported: {exc}"
        return _form(422, text=text, name=name, found=found, error=message, picked=chosen, **keep)
    flash(
        f"Imported from {name}: {len(report.created)} new draft(s); {len(report.extended)} known term(s) given "
        "new glosses or excerpts, added as alternatives marked 'not yet reviewed' in a revision under your name.",
        "success",
    )
    return redirect(url_for("web.dashboard"), 303)

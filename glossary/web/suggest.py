"""“Suggest from a document”: mine a pasted or uploaded text for glossed Chinese, let an editor
tick the candidates worth keeping, and import those (new ones as drafts) in one transaction.

A ticked gloss for a term already in the glossary (published or not) is added to it as an
alternative translation with a note saying it is not yet reviewed, and the term's revision names
the editor who ticked it; nothing else of the term changes.

The text travels with the form, and the import step mines it again, so what is imported is
exactly what was listed; nothing is kept on the server between the two steps.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..extensions import db
from ..formats import FormatError
from ..services import browse, extraction
from ..services.errors import ServiceError
from . import bp
from .auth import current_user, login_required
from .forms import SuggestForm


def _form(form: SuggestForm, status: int = 200, **context: object) -> tuple[str, int]:
    page = render_template("suggest.html", form=form, max_chars=form.limit, **context)
    return page, status


def _source(form: SuggestForm) -> dict[str, Any]:
    known = browse.source_by_id(db.session, form.source_id.data or "")
    if known is not None:
        return {"id": known.id, "title": known.title, "language": known.language}
    return extraction.source_for(form.document_name, form.document, form.title.data or None)


@bp.route("/suggest", methods=["GET", "POST"])
@login_required
def suggest() -> tuple[str, int] | Response:
    session = db.session
    form = SuggestForm(browse.source_choices(session), current_app.config["MAX_TEXT_CHARS"])
    if request.method == "GET":
        return _form(form)
    if not form.validate():
        return _form(form, 422)
    name = form.document_name
    form.text.data, form.name.data = form.document, name  # an upload's text travels on in the text box
    found = extraction.suggest(session, form.document, names=form.names.data)
    if request.form.get("action") != "import":
        return _form(form, found=found)
    chosen = set(request.form.getlist("pick"))
    if not chosen:
        return _form(form, 422, found=found, pick_error="Tick at least one candidate to import.")
    editor = current_user()
    actor = editor.name if editor else "web"
    doc = extraction.suggestions_document(session, found, _source(form), chosen, added_by=actor)
    try:
        report = extraction.import_suggestions(session, doc, actor)
    except (ServiceError, FormatError) as exc:
        return _form(form, 422, found=found, error=f"Nothing was imported: {exc}", picked=chosen)
    flash(
        f"Imported from {name}: {len(report.created)} new draft(s); {len(report.extended)} known term(s) given "
        "new glosses or excerpts, added as alternatives marked 'not yet reviewed' in a revision under your name.",
        "success",
    )
    return redirect(url_for("web.dashboard"), 303)

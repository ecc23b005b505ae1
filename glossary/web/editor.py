"""Editing for signed-in editors: drafts, create and edit a term, delete, restore a revision.

Every write goes through the editing services with the editor's name as the actor, so each save
is a revision like an API write; a failed save re-renders the form with each error beside its
field and changes nothing.
"""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Term
from ..services import editing, preview
from ..services import terms as term_service
from ..services.errors import Invalid, ServiceError
from ..services.representation import term_to_dict
from . import bp, segmenter
from .auth import current_user, login_required
from .termform import ROWS, TermForm


def _editor() -> str:
    """The signed-in editor's name: every route here is login_required, so there is one."""
    user = current_user()
    assert user is not None
    return user.name


def _derived(form: TermForm, term: Term | None) -> dict[str, Any] | None:
    simplified = form.simplified.data or ""
    if not simplified.strip():
        return None
    try:
        slug = term.slug if term else None
        return preview.derived(db.session, simplified, segmenter(), slug, form.pinyin.data, form.kind.data)
    except Invalid:
        return None


def _render(
    form: TermForm, term: Term | None, status: int = 200, derived: dict[str, Any] | None = None
) -> tuple[str, int]:
    derived = derived or _derived(form, term)
    page = render_template(
        "editor/term_form.html",
        form=form.with_blank_rows(),
        term=term,
        derived=derived,
        choices=editing.choices(db.session),
        row_templates={section: row(prefix=f"{section}-__i__-") for section, row in ROWS.items()},
    )
    return page, status


@bp.get("/edit")
@login_required
def dashboard() -> str:
    board = editing.dashboard(db.session)
    return render_template(
        "editor/dashboard.html", drafts=board.drafts, recent=board.recent, deleted=board.deleted, live=board.live
    )


@bp.route("/edit/new", methods=["GET", "POST"])
@login_required
def new_term() -> tuple[str, int] | Response:
    if request.method == "GET":
        form = TermForm(formdata=None)
        form.simplified.data = request.args.get("simplified", "").strip()
        return _render(form, None)
    return _post(TermForm.posted(request.form), None)


@bp.route("/edit/<slug>", methods=["GET", "POST"])
@login_required
def edit_term(slug: str) -> tuple[str, int] | Response:
    session = db.session
    if request.method == "GET":
        term = term_service.get_term(session, slug)
        if term.slug != slug:
            return redirect(url_for("web.edit_term", slug=term.slug))
        derived = preview.derived(session, term.simplified, segmenter(), term.slug, kind=term.kind)
        form = TermForm.for_term(term_to_dict(term), term.version, derived["traditional"], derived["pinyin"])
        return _render(form, term, derived=derived)
    return _post(TermForm.posted(request.form), editing.term_to_edit(session, slug))


def _post(form: TermForm, term: Term | None) -> tuple[str, int] | Response:
    if request.form.get("action") == "preview":
        return _render(form, term)
    if not form.validate():
        return _render(form, term, 422)
    slug = term.slug if term else None
    try:
        saved = editing.save(
            db.session, form.to_data(slug), _editor(), slug, form.version.data, form.comment.data or None
        )
    except editing.Stale as exc:
        form.summary.append(exc.detail)
        form.version.data = str(exc.version)
        return _render(form, term and editing.term_to_edit(db.session, term.slug), exc.status)
    except ServiceError as exc:
        form.add_service_error(exc)
        return _render(form, term and editing.term_to_edit(db.session, term.slug), exc.status)
    renamed = "".join(f" The tag “{typed}” was saved as {tag}." for typed, tag in form.tags.renamed)
    flash(f"Saved {saved.term.simplified} as revision {saved.revision}.{_draft_note(saved.term)}{renamed}", "success")
    return redirect(url_for("web.term", slug=saved.term.slug), 303)


def _draft_note(term: Term) -> str:
    return " It is a draft: only editors can see it." if term.status == "draft" else ""


@bp.route("/edit/<slug>/delete", methods=["GET", "POST"])
@login_required
def delete_term(slug: str) -> str | Response:
    if request.method == "GET":
        return render_template("editor/delete.html", term=editing.term_to_edit(db.session, slug))
    term = editing.delete(db.session, slug, _editor())
    flash(f"Deleted {term.simplified}. Its history keeps every revision; restore one to bring it back.", "success")
    return redirect(url_for("web.dashboard"), 303)


@bp.post("/edit/<slug>/restore/<int:number>")
@login_required
def restore(slug: str, number: int) -> Response:
    try:
        restored = editing.restore(db.session, slug, number, _editor())
    except ServiceError as exc:
        flash(f"Revision {number} could not be restored: {exc.detail}", "error")
        return redirect(url_for("web.revision", slug=slug, number=number), 303)
    term = restored.term
    flash(
        f"Restored revision {number} of {term.simplified} as revision {restored.revision}.{_draft_note(term)}",
        "success",
    )
    return redirect(url_for("web.term", slug=term.slug), 303)


@bp.get("/edit/preview")
@login_required
def preview_forms() -> Response | tuple[Response, int]:
    """Live preview for the editor: what saving would derive from a simplified form (and the
    pinyin, if the editor gave one) as JSON."""
    try:
        args = request.args
        body = preview.derived(
            db.session,
            args.get("simplified", ""),
            segmenter(),
            args.get("slug") or None,
            args.get("pinyin"),
            args.get("kind"),
        )
    except Invalid as exc:
        return jsonify({"error": exc.detail, "errors": exc.errors}), 422
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response

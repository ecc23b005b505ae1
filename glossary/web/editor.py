"""Editing for signed-in editors: drafts, create and edit a term, delete, restore a revision.

Every write goes through the term services with the editor's name as the actor, so each save is
a revision like an API write; a failed save re-renders the form with the errors beside the
fields and changes nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import FORM_TAGS, RELATION_TYPES, TERM_KINDS, TRANSLATION_STATUSES, Revision, Source, Term
from ..services import browse, preview
from ..services import terms as term_service
from ..services.errors import Invalid, NotFound, ServiceError
from ..services.representation import term_to_dict
from . import bp, segmenter
from .auth import current_user, login_required
from .termform import TermForm, blank_row

EDITED = 20


def _choices() -> dict:
    """What the form's selects and suggestion lists offer."""
    session = db.session
    return {
        "sources": session.execute(sa.select(Source.id, Source.title).order_by(Source.id)).all(),
        "slugs": session.execute(sa.select(Term.slug, Term.simplified).order_by(Term.slug)).all(),
        "kinds": TERM_KINDS,
        "translation_statuses": TRANSLATION_STATUSES,
        "relation_types": RELATION_TYPES,
        "form_tags": FORM_TAGS,
        "blank_row": blank_row,
    }


def _derived(simplified: str, slug: str | None, pinyin: str | None, kind: str | None) -> dict | None:
    if not simplified.strip():
        return None
    try:
        return preview.derived(db.session, simplified, segmenter(), slug, pinyin, kind)
    except Invalid:
        return None


def _render(form: TermForm, term: Term | None, status: int = 200, derived: dict | None = None) -> tuple[str, int]:
    values = form.values
    derived = derived or _derived(
        values.get("simplified", ""), term.slug if term else None, values.get("pinyin"), values.get("kind")
    )
    page = render_template("editor/term_form.html", form=form, term=term, derived=derived, **_choices())
    return page, status


@bp.get("/edit")
@login_required
def dashboard() -> str:
    session = db.session
    recent = list(
        session.scalars(sa.select(Revision).order_by(Revision.created.desc(), Revision.id.desc()).limit(EDITED))
    )
    live = set(session.scalars(sa.select(Term.slug).where(Term.slug.in_({r.slug for r in recent}))))
    gone = session.scalars(
        sa.select(Revision)
        .where(Revision.action == "delete", ~sa.exists().where(Term.slug == Revision.slug))
        .order_by(Revision.created.desc(), Revision.id.desc())
        .limit(EDITED)
    )
    deleted: dict[str, Revision] = {}
    for rev in gone:  # newest first: keep each slug's latest deletion
        deleted.setdefault(rev.slug, rev)
    return render_template(
        "editor/dashboard.html",
        drafts=browse.drafts(session),
        recent=recent,
        deleted=list(deleted.values()),
        live=live,
    )


@bp.route("/edit/new", methods=["GET", "POST"])
@login_required
def new_term() -> tuple[str, int] | Response:
    if request.method == "GET":
        form = TermForm.new()
        if request.args.get("simplified"):
            form.values["simplified"] = request.args["simplified"].strip()
        return _render(form, None)
    form = TermForm.from_post(request.form)
    if request.form.get("action") == "preview":
        return _render(form, None)
    term_service.begin_write(db.session)  # so two editors saving from one version cannot both win
    return _save(form, None)


@bp.route("/edit/<slug>", methods=["GET", "POST"])
@login_required
def edit_term(slug: str) -> tuple[str, int] | Response:
    session = db.session
    if request.method == "GET":
        term = term_service.get_term(session, slug)
        if term.slug != slug:
            return redirect(url_for("web.edit_term", slug=term.slug))
        derived = preview.derived(session, term.simplified, segmenter(), term.slug, kind=term.kind)
        form = TermForm.from_term(term, term_to_dict(term), derived["traditional"], derived["pinyin"])
        return _render(form, term, derived=derived)
    form = TermForm.from_post(request.form)
    if request.form.get("action") == "preview":
        return _render(form, _term_by_slug(slug))
    term_service.begin_write(db.session)
    return _save(form, _term_by_slug(slug, for_update=True))


def _term_by_slug(slug: str, for_update: bool = False) -> Term:
    session = db.session
    query = sa.select(Term).options(*term_service.TERM_LOAD).where(Term.slug == slug)
    if for_update:
        term_service.lock_term(session, slug)
    term = session.scalar(query)
    if term is None:
        raise NotFound(f"no term {slug!r}")
    return term


def _save(form: TermForm, term: Term | None) -> tuple[str, int] | Response:
    session = db.session
    data = term_service.keep_unedited(term, form.to_data(slug=term.slug if term else None))
    if form.has_errors():
        return _render(form, term, 422)
    if term is not None and form.values.get("version") != str(term.version):
        last = session.scalar(
            sa.select(Revision).where(Revision.slug == term.slug).order_by(Revision.number.desc()).limit(1)
        )
        who = f" by {last.actor}" if last else ""
        form.summary.append(
            f"This term was saved{who} after you opened it. Your changes are kept below; "
            "compare them with the current entry and save again to overwrite."
        )
        form.values["version"] = str(term.version)
        return _render(form, term, 409)
    user = current_user()
    comment = form.values.get("comment") or None
    try:
        saved = term_service.save_term(session, term_service.TermInput(data, user.name, term, comment=comment))
        session.commit()
    except ServiceError as exc:
        session.rollback()
        form.add_service_error(exc)
        return _render(form, term, exc.status)
    number = session.scalar(sa.select(sa.func.max(Revision.number)).where(Revision.slug == saved.slug))
    flash(f"Saved {saved.simplified} as revision {number}.{_draft_note(saved)}", "success")
    return redirect(url_for("web.term", slug=saved.slug), 303)


def _draft_note(term: Term) -> str:
    return " It is a draft: only editors can see it." if term.status == "draft" else ""


@bp.route("/edit/<slug>/delete", methods=["GET", "POST"])
@login_required
def delete_term(slug: str) -> str | Response:
    if request.method == "GET":
        term = _term_by_slug(slug)
        return render_template("editor/delete.html", term=term)
    term_service.begin_write(db.session)
    term = _term_by_slug(slug, for_update=True)
    term_service.delete_term(db.session, term, current_user().name)
    db.session.commit()
    flash(f"Deleted {term.simplified}. Its history keeps every revision; restore one to bring it back.", "success")
    return redirect(url_for("web.dashboard"), 303)


@bp.post("/edit/<slug>/restore/<int:number>")
@login_required
def restore(slug: str, number: int) -> Response:
    session = db.session
    term_service.begin_write(db.session)
    try:
        term = term_service.restore_revision(session, slug, number, current_user().name)
        session.commit()
    except ServiceError as exc:
        session.rollback()
        flash(f"Revision {number} could not be restored: {exc.detail}", "error")
        return redirect(url_for("web.revision", slug=slug, number=number), 303)
    latest = session.scalar(sa.select(sa.func.max(Revision.number)).where(Revision.slug == term.slug))
    flash(f"Restored revision {number} of {term.simplified} as revision {latest}.{_draft_note(term)}", "success")
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

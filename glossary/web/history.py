"""Revision history of a term and a readable diff of each revision, for readers and editors.

Public for published terms; the history of a draft or a deleted term is for editors only.
"""

from __future__ import annotations

from flask import abort, render_template, request

from ..extensions import db
from ..models import Revision, Term
from ..services import revisions, visibility
from ..services import terms as term_service
from . import bp
from .auth import current_user


def _visible_history(slug: str) -> tuple[Term | None, list[Revision]]:
    session = db.session
    revs = revisions.history(session, slug)
    if not revs or (current_user() is None and not revisions.history_is_public(session, slug)):
        abort(404, description=f"There is no history for “{slug}”.")
    return revisions.current_term(session, slug), revs


@bp.get("/terms/<slug>/history")
def history(slug: str) -> str:
    term, revs = _visible_history(slug)
    return render_template("history.html", slug=slug, term=term, revisions=revs, editor=current_user())


@bp.get("/terms/<slug>/revisions/<int:number>")
def revision(slug: str, number: int) -> str:
    term, revs = _visible_history(slug)
    rev = term_service.get_revision(db.session, slug, number)
    against_raw = request.args.get("against", "")
    base: Revision | None
    if against_raw.isdigit() and int(against_raw) != number:
        base = term_service.get_revision(db.session, slug, int(against_raw))
    else:
        base = revisions.previous(db.session, rev)
    older, newer = (base, rev) if base is None or base.number < rev.number else (rev, base)
    shown = visibility.redact(
        db.session,
        [revisions.snapshot(older), revisions.snapshot(newer), revisions.snapshot(rev)],
        include_drafts=current_user() is not None,
    )
    return render_template(
        "revision.html",
        slug=slug,
        term=term,
        rev=rev,
        older=older,
        newer=newer,
        revisions=revs,
        changes=revisions.diff(shown[0], shown[1]),
        snapshot=shown[2],
        current=revs[0].number == number and term is not None,
        editor=current_user(),
        describe=revisions.describe,
        sections=revisions.LISTS,
    )

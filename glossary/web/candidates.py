"""The new-formulation watch for editors: phrases recent documents use that the glossary does not
hold, each with a button that makes a draft entry from its passage (services.corpus_candidates)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..extensions import db
from ..services.corpus_candidates import KINDS, candidates, draft_from_candidate
from ..services.errors import Invalid, NotFound, ServiceError
from . import bp
from .auth import current_user, login_required


@bp.route("/candidates", methods=["GET", "POST"])
@login_required
def candidates_page() -> str | Response:
    session = db.session
    if request.method == "POST":
        phrase = request.form.get("phrase", "")
        document = request.form.get("document", "")
        if not document.isdigit():
            abort(400, description=f"document must be a document id, not {document[:40]!r}")
        editor = current_user()
        try:
            term = draft_from_candidate(session, phrase, int(document), editor.name if editor else "web")
            session.commit()
        except ServiceError as exc:
            session.rollback()
            flash(f"No draft was made: {exc.detail}", "error")
            return redirect(url_for("web.candidates_page"), 303)
        flash(f"Draft {term.simplified} made from its passage; complete it before publishing.", "success")
        return redirect(url_for("web.edit_term", slug=term.slug), 303)
    since = request.args.get("since") or None
    kind = request.args.get("kind") or None
    try:
        found = candidates(session, since, 50, kind)
    except Invalid as exc:
        abort(400, description=exc.detail)
    except NotFound as exc:
        abort(404, description=exc.detail)
    return render_template("candidates.html", found=found, since=since or "", kind=kind, kinds=KINDS)

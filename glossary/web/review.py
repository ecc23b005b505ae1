"""First-use review for editors (services.first_use_review): records the corpus contradicts, and
undated terms it could date, each with a button that records the earliest attestation as an
attested first use of the scope the editor chooses."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from ..extensions import db
from ..formats.glossary1 import FIRST_USE_SCOPES
from ..services.errors import ServiceError
from ..services.first_use_review import SCOPE_KINDS, record_attested, review
from . import bp
from .auth import current_user, login_required


@bp.route("/review/first-use", methods=["GET", "POST"])
@login_required
def first_use_review() -> str | Response:
    session = db.session
    if request.method == "POST":
        slug, scope = request.form.get("slug", ""), request.form.get("scope", "")
        editor = current_user()
        try:
            term = record_attested(session, slug, scope, editor.name if editor else "web")
            session.commit()
        except ServiceError as exc:
            session.rollback()
            flash(f"Nothing was recorded: {exc.detail}", "error")
        else:
            flash(f"First use of {term.simplified} recorded as attested ({term.first_use_date}, "
                  f"first {FIRST_USE_SCOPES[scope]}).", "success")  # fmt: skip
        return redirect(url_for("web.first_use_review"), 303)
    checkable = {s: w for s, w in FIRST_USE_SCOPES.items() if SCOPE_KINDS[s] != ()}
    return render_template("first_use_review.html", found=review(session), scopes=checkable)

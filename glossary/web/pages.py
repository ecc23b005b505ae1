"""Public pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request

from ..extensions import db
from ..models import Term
from ..search import QueryError, Searcher
from ..services import terms as term_service
from ..services.representation import preferred
from . import bp


@bp.get("/")
def home() -> str:
    session = db.session
    recent = session.scalars(
        sa.select(Term).where(Term.status == "published").order_by(Term.updated.desc(), Term.slug).limit(12)
    ).all()
    return render_template("home.html", recent=recent, preferred=preferred)


@bp.get("/search")
def search() -> str:
    q = request.args.get("q", "")
    hits, error = [], None
    if q.strip():
        try:
            hits = Searcher(db.session).search(q, 50)
        except QueryError as exc:
            error = str(exc)
    return render_template("search.html", q=q, hits=hits, error=error, preferred=preferred)


@bp.get("/terms/<slug>")
def term(slug: str) -> str:
    t = term_service.get_term(db.session, slug, include_drafts=False)
    return render_template("term.html", term=t, preferred=preferred)

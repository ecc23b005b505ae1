"""Shared annotated texts (/a/<id>): read-only, as they were when saved, with the glossary
version they were annotated against. Saving is on the annotate page (editors) and in the API
(token holders)."""

from __future__ import annotations

from flask import Response, abort, render_template
from markupsafe import Markup

from ..extensions import db
from ..services import sharing
from ..services.errors import NotFound
from ..services.terms import glossary_version
from . import bp


@bp.get("/a/<shared_id>")
def shared_annotation(shared_id: str) -> Response:
    try:
        row = sharing.shared(db.session, shared_id)
    except NotFound:
        abort(404, description="No annotated text is shared under this address; check the link you were given.")
    page = render_template(
        "shared.html",
        shared=row,
        html=Markup(row.html),  # rendered and escaped by text.render.render_html when saved
        found=sharing.terms_of(row),
        current_version=glossary_version(db.session),
    )
    response = Response(page, mimetype="text/html")
    response.headers["X-Robots-Tag"] = "noindex"  # shared by link, not published
    return response

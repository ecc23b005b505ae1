"""Server-rendered pages and forms: thin routes over services.

One blueprint, split into modules by feature. Everything the pages share is wired in here:
the segmenter the editor's live preview uses, CSRF on every unsafe request, Jinja helpers.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, session
from flask.blueprints import BlueprintSetupState

from ..text.segment import Segmenter, shared_segmenter

bp = Blueprint("web", __name__)


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    """The Jinja helpers and CSRF protection."""
    from . import csrf, formatting

    csrf.init_app(state.app)
    formatting.init_app(state.app)


def segmenter() -> Segmenter:
    return shared_segmenter()


@bp.before_request
def _room_for_long_texts() -> None:
    """The annotate form takes texts up to MAX_TEXT_CHARS, far past Flask's 500 kB form-field default
    (UTF-8 needs at most 4 bytes a character; the slack covers the form's other fields).

    Runs before the CSRF check, which is what first reads the form.
    """
    if request.endpoint in ("web.annotate", "web.suggest"):
        request.max_form_memory_size = current_app.config["MAX_TEXT_CHARS"] * 4 + (1 << 16)


@bp.before_request
def _csrf() -> None:
    from .csrf import check_csrf

    if request.method not in ("GET", "HEAD", "OPTIONS"):
        check_csrf()


@bp.after_request
def _private_when_signed_in(response: Response) -> Response:
    """Pages for a signed-in editor may show drafts and carry tokens: keep them out of shared caches."""
    if session.get("user_id"):
        response.headers["Cache-Control"] = "private, no-store"
    return response


from . import annotate, auth, editor, history, pages, suggest, timeline  # noqa: E402,F401

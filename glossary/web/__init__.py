"""Server-rendered pages and forms: thin routes over services.

One blueprint, split into modules by feature. Everything the pages share is wired in here:
the segmenter the editor's live preview uses, CSRF on every unsafe request, Jinja helpers.

CSRF is Flask-WTF's: a random token in the session, sent signed by every form (WTForms forms
render it as their ``csrf_token`` field, the field-less ones with ``{{ csrf_field() }}``) or in an
``X-CSRF-Token`` header. Only this blueprint checks it, so the API (bearer tokens, no cookies)
is untouched; a token lives as long as the session, as before, not Flask-WTF's default hour.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, g, request, session
from flask.blueprints import BlueprintSetupState
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from markupsafe import Markup
from werkzeug.exceptions import BadRequest

from ..text.segment import Segmenter, shared_segmenter

bp = Blueprint("web", __name__)
csrf = CSRFProtect()
CSRF_FIELD = "csrf_token"


class FormExpired(BadRequest):
    """What a page says for any CSRF failure (missing, forged, from another session)."""

    name = "Form expired"
    description = (
        "This form has expired or was not sent from this site, so nothing was changed. "
        "Go back, reload the page and try again."
    )


def csrf_field() -> Markup:
    """The token as a hidden field, for forms without WTForms fields (sign out, delete, restore, annotate)."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, generate_csrf())


def rotate_csrf() -> None:
    """A fresh token, e.g. after signing in, so a token seen before login is worth nothing after."""
    session.pop(CSRF_FIELD, None)
    g.pop(CSRF_FIELD, None)  # generate_csrf caches the signed token for the request


def _init_csrf(app: Flask) -> None:
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid for the session, as the hand-written check was
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked below for this blueprint only
    # the token is the check; refusing HTTPS posts without a same-origin Referer (Flask-WTF's
    # default) would lock out browsers that strip it, which the site never required
    app.config.setdefault("WTF_CSRF_SSL_STRICT", False)
    app.config.setdefault("WTF_CSRF_HEADERS", ["X-CSRF-Token", "X-CSRFToken"])
    csrf.init_app(app)
    app.add_template_global(csrf_field)


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    """The Jinja helpers and CSRF protection."""
    from . import formatting

    assert isinstance(state.app, Flask)  # blueprints register on a Flask app, not a bare sansio App
    _init_csrf(state.app)
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
    """Every unsafe request to a page carries this session's token, or changes nothing (400)."""
    try:
        csrf.protect()
    except CSRFError as exc:  # Flask-WTF's reason goes to its log; the reader gets one plain message
        raise FormExpired() from exc


@bp.after_request
def _private_when_signed_in(response: Response) -> Response:
    """Pages for a signed-in editor may show drafts and carry tokens: keep them out of shared caches."""
    if session.get("user_id"):
        response.headers["Cache-Control"] = "private, no-store"
    return response


from . import (  # noqa: E402,F401
    annotate,
    auth,
    candidates,
    corpus,
    editor,
    feeds,
    history,
    pages,
    research,
    review,
    shared,
    suggest,
    timeline,
    tools,
)

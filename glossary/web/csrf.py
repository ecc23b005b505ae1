"""CSRF protection for every form: a random token kept in the session and echoed by each form.

The session cookie is SameSite=Lax already; the token also covers older browsers and
same-site attackers. Any blueprint can use it: put ``{{ csrf_field() }}`` in the form and call
``check_csrf()`` before acting on a POST (the web blueprint does so for all of its routes).
"""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, request, session
from markupsafe import Markup
from werkzeug.exceptions import BadRequest

SESSION_KEY = "csrf_token"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


class CSRFError(BadRequest):
    name = "Form expired"
    description = (
        "This form has expired or was not sent from this site, so nothing was changed. "
        "Go back, reload the page and try again."
    )


def csrf_token() -> str:
    """This session's token, created on first use."""
    token = session.get(SESSION_KEY)
    if not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def rotate() -> None:
    """A fresh token, e.g. after signing in, so a token seen before login is worth nothing after."""
    session[SESSION_KEY] = secrets.token_urlsafe(32)


def csrf_field() -> Markup:
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, csrf_token())


def check_csrf() -> None:
    """Raise CSRFError (400) unless the request carries this session's token as a field or header."""
    expected = session.get(SESSION_KEY, "")
    sent = request.form.get(FIELD) or request.headers.get(HEADER) or ""
    if not expected or not sent or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CSRFError()


def init_app(app: Flask) -> None:
    app.add_template_global(csrf_field)
    app.add_template_global(csrf_token)

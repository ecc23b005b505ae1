"""Editor sign-in: session login and logout, and the ``login_required`` guard for editing pages.

Accounts are created with ``glossary user create NAME``. The session cookie is HttpOnly,
SameSite=Lax and (outside tests) Secure by configuration; signing in starts a new session so a
session fixed before login is worthless after it. The cookie is signed, not stored, so it is
revoked on the server: it carries the editor's ``session_version``, which sign-out, a password
change and ``glossary user disable`` bump; it expires after SESSION_IDLE_MINUTES without a
request (Flask checks the signature's age, refreshed on each request) and SESSION_MAX_HOURS
after sign-in whatever happens.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from time import time
from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from limits import parse
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from ..extensions import db, limiter
from ..models import User
from ..services.auth import authenticate, sign_out, user_by_id
from . import bp, rotate_csrf
from .forms import LoginForm


def current_user() -> User | None:
    """The signed-in editor, checked against the database on each call: a deleted or disabled
    account, a session ended elsewhere (its version is old) or one past its maximum age is out."""
    user_id = session.get("user_id")
    if user_id is None:
        return None
    user = user_by_id(db.session, user_id)
    max_age = current_app.config["SESSION_MAX_HOURS"] * 3600
    if (
        user is None
        or user.disabled is not None
        or session.get("session_version") != user.session_version
        or time() - session.get("signed_in", 0) > max_age
    ):
        session.clear()
        return None
    return user


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send anonymous visitors to the sign-in page (and back afterwards); fetches get a plain 401."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            if _wants_json():
                abort(401, description="Sign in as an editor first.")
            target = request.full_path if request.method == "GET" else request.referrer
            return redirect(url_for("web.login", next=safe_next(target)), 303)
        return view(*args, **kwargs)

    return wrapped


def safe_next(target: str | None) -> str | None:
    """Only a path on this site may be a redirect target after sign-in (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        if parts.netloc != request.host:
            return None
        target = parts.path + (f"?{parts.query}" if parts.query else "")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target.rstrip("?") or None


def _account_throttle(name: str, failed: bool | None = None) -> None:
    """Failed sign-ins counted per account name in the shared limiter storage, whatever address
    they come from (RATELIMIT_LOGIN_ACCOUNT): past the limit, even the right password is refused
    until the window ends. ``failed=None`` checks, True counts a failure, False clears."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    name = name[:80]  # no account has a longer name; keys stay short
    item = parse(current_app.config["RATELIMIT_LOGIN_ACCOUNT"])
    strategy = limiter.limiter
    if failed:
        strategy.hit(item, "login-account", name)
    elif failed is False:
        strategy.clear(item, "login-account", name)
    elif not strategy.test(item, "login-account", name):
        wait = max(1, int(strategy.get_window_stats(item, "login-account", name).reset_time - time()) + 1)
        raise TooManyRequests(
            f"Too many failed sign-ins for the account {name!r}; try again in {wait} seconds.", retry_after=wait
        )


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login() -> Response | str | tuple[str, int]:
    next_url = safe_next(request.values.get("next"))
    form = LoginForm()
    if request.method == "GET":
        if current_user() is not None:
            return redirect(next_url or url_for("web.dashboard"))
        return render_template("login.html", form=form, next=next_url)
    if not form.validate():
        return render_template("login.html", form=form, next=next_url), 422
    _account_throttle(form.name.data)
    user = authenticate(db.session, form.name.data, form.password.data)
    if user is None:
        _account_throttle(form.name.data, failed=True)
        error = "That name and password do not match an editor account."
        return render_template("login.html", form=form, next=next_url, error=error)
    _account_throttle(form.name.data, failed=False)
    session.clear()
    session.permanent = True  # expires after SESSION_IDLE_MINUTES idle (PERMANENT_SESSION_LIFETIME)
    session["user_id"] = user.id
    session["user_name"] = user.name
    session["session_version"] = user.session_version
    session["signed_in"] = int(time())
    rotate_csrf()
    flash(f"Signed in as {user.name}.", "success")
    return redirect(next_url or url_for("web.dashboard"), 303)


@bp.post("/logout")
def logout() -> Response:
    user_id = session.get("user_id")
    if user_id is not None and current_user() is not None:
        sign_out(db.session, user_id)
    session.clear()
    flash("Signed out.", "success")
    return redirect(url_for("web.home"), 303)

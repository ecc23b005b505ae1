"""Editor accounts (scrypt password hashes) and API tokens (only a SHA-256 is stored)."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import ApiToken, User
from ..models.base import utcnow
from .errors import Conflict, Invalid, NotFound

NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,80}$")
MIN_PASSWORD = 8
# werkzeug's scrypt at its default cost. A module constant so the test suite can swap in a cheap
# method for the hundreds of sign-ins it makes (tests/conftest.py); one test checks this one.
PASSWORD_METHOD = "scrypt"


@functools.cache
def _dummy_hash(method: str) -> str:
    """Hashed on first use, not at import: the CLI imports this module for commands that never
    check a password, and one scrypt costs about 0.1 s of their start-up."""
    return generate_password_hash("timing-equaliser", method=method)


def _check_name(name: str) -> None:
    if not NAME.match(name):
        raise Invalid(f"name {name!r} must be 1–80 letters, digits or _ . @ -")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"password must have at least {MIN_PASSWORD} characters")


def create_user(session: Session, name: str, password: str) -> User:
    _check_name(name)
    _check_password(password)
    if session.scalar(sa.select(User.id).where(User.name == name)) is not None:
        raise Conflict(f"user {name!r} already exists")
    user = User(name=name, password_hash=generate_password_hash(password, method=PASSWORD_METHOD))
    session.add(user)
    session.flush()
    return user


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def user_by_name(session: Session, name: str) -> User:
    user = session.scalar(sa.select(User).where(User.name == name)) if NAME.match(name) else None
    if user is None:
        raise NotFound(f"no editor named {name!r}")
    return user


def end_sessions(user: User) -> None:
    """Make every session cookie issued to this editor worthless (they carry the old version)."""
    user.session_version += 1


def sign_out(session: Session, user_id: int) -> None:
    """Sign-out ends the editor's sessions on the server, not only in this browser: a copy of the
    cookie (saved, stolen, or in another tab) stops working too. Committed here."""
    user = session.get(User, user_id)
    if user is not None:
        end_sessions(user)
        session.commit()


def set_password(session: Session, name: str, password: str) -> User:
    """A new password ends every session signed in with the old one."""
    _check_password(password)
    user = user_by_name(session, name)
    user.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
    end_sessions(user)
    return user


def set_disabled(session: Session, name: str, disabled: bool) -> User:
    """A disabled editor cannot sign in, and the sessions they have stop working at once."""
    user = user_by_name(session, name)
    if disabled and user.disabled is None:
        user.disabled = utcnow()
        end_sessions(user)
    elif not disabled:
        user.disabled = None
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    # a name no account can have (PostgreSQL cannot even compare one with a NUL) is no account
    user = session.scalar(sa.select(User).where(User.name == name)) if NAME.match(name) else None
    if user is None:
        check_password_hash(_dummy_hash(PASSWORD_METHOD), password)  # same cost whether or not the user exists
        return None
    if not check_password_hash(user.password_hash, password) or user.disabled is not None:
        return None
    return user


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, name: str, scope: str) -> tuple[ApiToken, str]:
    _check_name(name)
    if scope not in ("read", "write"):
        raise Invalid(f"scope must be read or write, not {scope!r}")
    token = "gl_" + secrets.token_urlsafe(32)
    row = ApiToken(name=name, scope=scope, token_hash=hash_token(token))
    session.add(row)
    session.flush()
    return row, token


def find_token(session: Session, token: str) -> ApiToken | None:
    """The live (not revoked) token with this secret, or None."""
    return session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == hash_token(token), ApiToken.revoked.is_(None))
    )


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(sa.select(ApiToken).order_by(ApiToken.name, ApiToken.id)))


def revoke_tokens(session: Session, name: str) -> int:
    """Revoke every live token with this name (names need not be unique); how many were live."""
    rows = session.scalars(sa.select(ApiToken).where(ApiToken.name == name, ApiToken.revoked.is_(None))).all()
    if not rows:
        raise NotFound(f"no live token named {name!r} (glossary token list shows them)")
    now = utcnow()
    for row in rows:
        row.revoked = now
    return len(rows)


def actor(token: ApiToken) -> str:
    """How revisions name a write made with a token: by the name given at `glossary token create`."""
    return f"token:{token.name}"

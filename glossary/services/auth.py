"""Editor accounts (scrypt password hashes) and API tokens (only a SHA-256 is stored)."""

from __future__ import annotations

import hashlib
import re
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from ..models import ApiToken, User
from .errors import Conflict, Invalid

NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,80}$")
MIN_PASSWORD = 8
_DUMMY_HASH = generate_password_hash("timing-equaliser", method="scrypt")


def _check_name(name: str) -> None:
    if not NAME.match(name):
        raise Invalid(f"name {name!r} must be 1–80 letters, digits or _ . @ -")


def create_user(session: Session, name: str, password: str) -> User:
    _check_name(name)
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"password must have at least {MIN_PASSWORD} characters")
    if session.scalar(sa.select(User.id).where(User.name == name)) is not None:
        raise Conflict(f"user {name!r} already exists")
    user = User(name=name, password_hash=generate_password_hash(password, method="scrypt"))
    session.add(user)
    session.flush()
    return user


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def authenticate(session: Session, name: str, password: str) -> User | None:
    # a name no account can have (PostgreSQL cannot even compare one with a NUL) is no account
    user = session.scalar(sa.select(User).where(User.name == name)) if NAME.match(name) else None
    if user is None:
        check_password_hash(_DUMMY_HASH, password)  # same cost whether or not the user exists
        return None
    return user if check_password_hash(user.password_hash, password) else None


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


def actor(token: ApiToken) -> str:
    """How revisions name a write made with a token: by the name given at `glossary token create`."""
    return f"token:{token.name}"

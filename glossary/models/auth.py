from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class User(Base):
    """An editor of the web interface; the password is stored as a scrypt hash only."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    created: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # bumped on sign-out, password change and disable: every session cookie signed with an older
    # value is refused, so a copied cookie dies with the session it came from
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    disabled: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApiToken(Base):
    """A bearer token for the API; only its SHA-256 is stored (tokens carry 256 random bits)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    scope: Mapped[str] = mapped_column(sa.String(10))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (sa.CheckConstraint("scope IN ('read', 'write')", name="scope"),)

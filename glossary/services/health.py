"""Whether the database can take a write now, for /health: a read answering is not enough, since a
read-only database or a full disk still answers reads while every write fails."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ..models import GlossaryState
from .terms import begin_write

MIN_FREE_BYTES = 1024 * 1024  # below this on a SQLite database's file system, writes are about to fail


@dataclass(frozen=True)
class Writability:
    database: str  # ok, read-only or disk full
    detail: str | None = None

    @property
    def writable(self) -> bool:
        return self.database == "ok"


def storage_failure(exc: DBAPIError) -> str | None:
    """'disk full' or 'read-only' when a database error says so (SQLite's codes, PostgreSQL's
    SQLSTATE 53100 and 25006), else None."""
    orig = exc.orig
    name = getattr(orig, "sqlite_errorname", "") or ""
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    text = str(orig)
    if name.startswith("SQLITE_FULL") or state == "53100" or "database or disk is full" in text:
        return "disk full"
    if name.startswith("SQLITE_READONLY") or state == "25006" or "readonly database" in text:
        return "read-only"
    return None


def check_writable(session: Session) -> Writability:
    """Take the write lock and write (a no-op update of the version row), then roll back, so a
    read-only database is caught; on SQLite also compare the pages left (max_page_count) and the
    file system's free space, which a rolled-back write cannot show. Ends the session's transaction."""
    try:
        begin_write(session)
        session.execute(sa.update(GlossaryState).values(version=GlossaryState.version))
        full = _sqlite_full(session)
    except DBAPIError as exc:
        session.rollback()
        failure = storage_failure(exc)
        if failure is None:
            raise
        return Writability(failure, str(exc.orig))
    session.rollback()
    return Writability("disk full", full) if full else Writability("ok")


def _sqlite_full(session: Session) -> str | None:
    """Why the SQLite database cannot grow, or None (None on other databases)."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    pragma = {
        n: session.execute(sa.text(f"PRAGMA {n}")).scalar_one()
        for n in ("page_count", "max_page_count", "freelist_count", "page_size")
    }
    if pragma["freelist_count"] == 0 and pragma["page_count"] >= pragma["max_page_count"]:
        return f"the database has reached its page limit ({pragma['max_page_count']} pages)"
    path = session.get_bind().engine.url.database
    if path and not path.startswith((":", "file:")):
        free = shutil.disk_usage(Path(path).resolve().parent).free
        if free < MIN_FREE_BYTES:
            return f"{free} bytes free on the database's file system"
    return None

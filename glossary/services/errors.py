"""Errors a use-case raises; the API and web layers map them to responses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError


class ServiceError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class Invalid(ServiceError):
    status = 422
    title = "Validation failed"


class NotFound(ServiceError):
    status = 404
    title = "Not found"


class TooLarge(ServiceError):
    status = 413
    title = "Payload too large"


class Conflict(ServiceError):
    status = 409
    title = "Conflict"


class PreconditionFailed(ServiceError):
    status = 412
    title = "Precondition failed"


class Busy(ServiceError):
    """Two writers raced for a row only the database could order; retrying succeeds."""

    status = 503
    title = "Database busy"


# what a row of each table is, for "… already exists"
_ROWS = {
    "terms": "a term",
    "surface_forms": "a surface form",
    "sources": "a source",
    "users": "an editor account",
    "api_tokens": "a token",
    "revisions": "a revision",
    "relations": "a relation",
    "term_tags": "a tag",
}
_PG_KEY = re.compile(r"Key \((?P<columns>.+?)\)=\((?P<values>.*)\) already exists")
_SQLITE_KEY = re.compile(r"UNIQUE constraint failed: (?P<columns>.+)")
_INSERT = re.compile(r"\s*INSERT INTO \S+ \((?P<columns>[^)]*)\) VALUES")


def _inserted(exc: IntegrityError) -> dict[str, Any]:
    """The column values of the single-row INSERT that failed (SQLite passes them by position)."""
    if isinstance(exc.params, dict):
        return exc.params
    m = _INSERT.match(exc.statement or "")
    columns = [c.strip() for c in m.group("columns").split(",")] if m else []
    params = exc.params if isinstance(exc.params, Sequence) else ()
    return dict(zip(columns, params, strict=True)) if columns and len(columns) == len(params) else {}


def from_integrity_error(exc: IntegrityError) -> ServiceError | None:
    """A unique violation as the answer a client can act on, or None for any other integrity error.

    The services check uniqueness before writing, but on PostgreSQL two transactions can both pass
    the check (READ COMMITTED) and the second insert then fails on the index: that is a 409 like the
    check's own, not a 500. A clash on a bookkeeping row (any table a client does not name) is a
    503 to retry, since the client's request itself clashes with nothing.
    """
    orig: Any = exc.orig  # the driver's own exception: psycopg's has .diag, sqlite3's .sqlite_errorname
    if getattr(orig, "sqlstate", None) == "23505":  # psycopg's UniqueViolation
        table = orig.diag.table_name or ""
        m = _PG_KEY.search(orig.diag.message_detail or "")
        columns, values = (m.group("columns"), m.group("values")) if m else ("", "")
    elif getattr(orig, "sqlite_errorname", "") in ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"):
        m = _SQLITE_KEY.search(str(orig))
        qualified = m.group("columns").split(", ") if m else []
        table = qualified[0].split(".")[0] if qualified else ""
        names = [c.split(".")[-1] for c in qualified]
        params = _inserted(exc)  # SQLite names no value: take it from the insert
        columns = ", ".join(names)
        values = ", ".join(str(params[n]) for n in names) if names and all(n in params for n in names) else ""
    else:
        return None
    if table not in _ROWS:
        return Busy("another write was creating the same record at the same moment, so nothing was changed; retry")
    key = f" with {columns} {values!r}" if values else (f" with this {columns}" if columns else "")
    detail = f"{_ROWS[table]}{key} already exists (another request saved it at the same moment); nothing was changed"
    return Conflict(detail, [{"path": columns or table, "message": "already exists"}])

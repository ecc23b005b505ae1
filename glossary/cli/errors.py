"""What a failed command tells its user: one line, exit status 1."""

from __future__ import annotations

import re
import sys

import click


class Failure(click.ClickException):
    """A user-facing failure: printed as `glossary COMMAND: error: MESSAGE`, exit status 1."""

    exit_code = 1

    def __init__(self, message: str, command: str = "") -> None:
        super().__init__(message)
        self.command = command  # the top-level command, filled in by the root group


def explain(exc: Exception, database_url: str) -> str | None:
    """One line for an error users can act on, or None for a bug (which keeps its traceback).

    The error classes are looked up in sys.modules rather than imported: an exception of a module
    that was never imported cannot have been raised, and importing SQLAlchemy only to find that
    out would slow down every failing command."""
    service_errors = sys.modules.get("glossary.services.errors")
    if service_errors is not None and isinstance(exc, service_errors.ServiceError):
        return str(exc)
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None and isinstance(exc, sa_exc.OperationalError | sa_exc.ArgumentError):
        return database_problem(exc, database_url)  # unreachable, missing or unmigrated; a bad URL
    if isinstance(exc, ValueError):  # configuration read from the environment
        return str(exc)
    return None


def masked(url: str) -> str:
    """The database URL with its password masked, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not even a URL: mask anything between '://user:' and '@'
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def database_problem(exc: Exception, url: str) -> str:
    """One line for a database that cannot be used: which one (password masked) and why."""
    from sqlalchemy.exc import ArgumentError

    shown = masked(url)
    if isinstance(exc, ArgumentError):
        return f"GLOSSARY_DATABASE_URL {shown!r} is not a database URL this installation can use: {exc}"
    reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
    if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
        return f"the database {shown} has no glossary tables ({reason}); run `glossary init` first"
    return f"cannot use the database {shown}: {reason}"

"""`glossary user …`: editor accounts for the web editor."""

from __future__ import annotations

import getpass
import sys

import click

from .app import make_app
from .errors import Failure
from .groups import Group


@click.group(cls=Group, short_help="manage editor accounts")
def user() -> None:
    """Manage web editor accounts."""


def _password() -> str:
    """Prompted twice on a terminal; otherwise the first line of standard input (for scripts)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("password: ")
    if getpass.getpass("again: ") != password:
        raise Failure("passwords differ")
    return password


@user.command(short_help="create an editor")
@click.argument("name")
def create(name: str) -> None:
    """Create an editor; the password is prompted, or read from standard input."""
    from ..extensions import db
    from ..services import auth

    password = _password()
    app = make_app()
    with app.app_context():
        auth.create_user(db.session, name, password)
        db.session.commit()
    click.echo(f"created editor {name!r}")

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


@user.command(short_help="set an editor's password (ends their sessions)")
@click.argument("name")
def password(name: str) -> None:
    """Set a new password, prompted or read from standard input; every session the editor has
    open, in any browser, ends."""
    from ..extensions import db
    from ..services import auth

    new = _password()
    app = make_app()
    with app.app_context():
        auth.set_password(db.session, name, new)
        db.session.commit()
    click.echo(f"changed the password of {name!r}; their sessions have ended")


@user.command(short_help="stop an editor signing in (ends their sessions)")
@click.argument("name")
def disable(name: str) -> None:
    """Disable an editor: they cannot sign in, and their open sessions stop working at once."""
    _set_disabled(name, disabled=True)
    click.echo(f"disabled editor {name!r}; their sessions have ended")


@user.command(short_help="let a disabled editor sign in again")
@click.argument("name")
def enable(name: str) -> None:
    """Enable a disabled editor again (they sign in anew: old sessions stay ended)."""
    _set_disabled(name, disabled=False)
    click.echo(f"enabled editor {name!r}")


def _set_disabled(name: str, disabled: bool) -> None:
    """disable and enable: one service call, committed."""
    from ..extensions import db
    from ..services import auth

    app = make_app()
    with app.app_context():
        auth.set_disabled(db.session, name, disabled=disabled)
        db.session.commit()
